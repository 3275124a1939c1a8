import { LedgerError } from '../errors.js';
import type { PolicyOutcome } from '../report/facts.js';
import { loadLedger } from '../report/load.js';
import { cachedText, cachedView } from '../verify/verified-cache.js';
import {
  filterEntries,
  isLogEntryList,
  formatCsv,
  type LogEntry,
  formatTable,
  logEntry,
  parseDateBound,
  type LogFilter,
} from '../report/log.js';
import { COMMON_OPTIONS, parseCommandArgs } from './args.js';
import {
  cacheNotice,
  LEDGER_HELP,
  LEDGER_OPTIONS,
  ledgerFromFlags,
  READ_CACHE_HELP,
  READ_CACHE_OPTIONS,
  readCache,
} from './ledger-options.js';
import { writeOut, type Command } from './output.js';

export const LOG_HELP = `Usage: model-ledger log [options]

Lists the records of a ledger, newest last, each verified (signature and chain link).

Filters:
  --since DATE        records made on or after DATE (YYYY-MM-DD, UTC, or an ISO 8601 time)
  --until DATE        records made on or before DATE (a whole day when YYYY-MM-DD)
  --model NAME        records with a model whose path contains NAME
  --dataset NAME      records with a dataset whose name contains NAME
  --actor LOGIN       records in which LOGIN (or an email) acted: triggered, implemented or approved
  --policy OUTCOME    pass, warn, fail or none
  --digest sha256:HEX records holding a model or dataset with this digest; the first one listed
                      introduced it
Output:
  --format FORMAT     table (default), json or csv
  --json              the same as --format json
${LEDGER_HELP}
${READ_CACHE_HELP}
Exit status: 0 every listed record verified; 1 a listed record failed verification; 2 bad usage.`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  ...LEDGER_OPTIONS,
  ...READ_CACHE_OPTIONS,
  since: { type: 'string' },
  until: { type: 'string' },
  model: { type: 'string' },
  dataset: { type: 'string' },
  actor: { type: 'string' },
  policy: { type: 'string' },
  digest: { type: 'string' },
  format: { type: 'string' },
} as const;

const POLICY_OUTCOMES: readonly PolicyOutcome[] = ['pass', 'warn', 'fail', 'none'];

/** `sha256:HEX` or bare HEX, 64 hex digits. */
function parseDigest(text: string): string {
  const hex = text
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new LedgerError('USAGE', `"${text}" is not a sha256 digest`, {
      field: '--digest',
      fix: 'write sha256: and 64 hex digits, as `sha256sum` prints them',
    });
  }
  return hex;
}

export const logCommand: Command = async (argv, context) => {
  const { values } = parseCommandArgs('log', argv, OPTIONS);
  if (values.help) {
    context.output.out(LOG_HELP);
    return 0;
  }
  const format = values.json ? 'json' : (values.format ?? 'table');
  if (format !== 'table' && format !== 'json' && format !== 'csv') {
    throw new LedgerError('USAGE', `"${format}" is not a log format`, {
      field: '--format',
      fix: 'use table, json or csv',
    });
  }
  if (values.policy !== undefined && !(POLICY_OUTCOMES as readonly string[]).includes(values.policy)) {
    throw new LedgerError('USAGE', `"${values.policy}" is not a policy outcome`, {
      field: '--policy',
      fix: 'use pass, warn, fail or none',
    });
  }
  const filter: LogFilter = {
    ...(values.since === undefined ? {} : { since: parseDateBound(values.since, 'since') }),
    ...(values.until === undefined ? {} : { until: parseDateBound(values.until, 'until') }),
    ...(values.model === undefined ? {} : { model: values.model }),
    ...(values.dataset === undefined ? {} : { dataset: values.dataset }),
    ...(values.actor === undefined ? {} : { actor: values.actor }),
    ...(values.policy === undefined ? {} : { policy: values.policy as PolicyOutcome }),
    ...(values.digest === undefined ? {} : { digest: parseDigest(values.digest) }),
  };
  const ledger = await ledgerFromFlags(values, context, 'log');
  const cache = readCache(values, context);
  const loaded = await loadLedger({ ...ledger.options, cache });
  const fromCache = cacheNotice(loaded);
  if (fromCache && format === 'table') context.output.err(`notice: ${fromCache}`);
  const all = () => loaded.rows.map(logEntry);
  const listing = async (): Promise<LogEntry[]> =>
    loaded.cacheKey === undefined
      ? all()
      : cachedView(cache, loaded.store.location, loaded.cacheKey, 'log', isLogEntryList, all);
  if (format === 'json' && Object.keys(filter).length === 0 && loaded.cacheKey !== undefined) {
    // Every record as JSON, the listing a script reads: printed as rendered for this ledger state.
    const render = async () => JSON.stringify(await listing(), null, 2);
    writeOut(context.output, await cachedText(cache, loaded.store.location, loaded.cacheKey, 'log', render));
    return loaded.rows.every((row) => row.signatureVerified && row.chainVerified) ? 0 : 1;
  }
  const entries = filterEntries(await listing(), filter);
  if (format === 'json') context.output.out(JSON.stringify(entries, null, 2));
  else if (format === 'csv') context.output.out(formatCsv(entries));
  else {
    context.output.out(entries.length > 0 ? formatTable(entries) : 'no records match');
    for (const notice of loaded.verification.notices) context.output.err(`notice: ${notice}`);
    for (const entry of entries) for (const problem of entry.problems) context.output.err(`FAIL ${problem}`);
  }
  return entries.every((entry) => entry.signatureVerified && entry.chainVerified) ? 0 : 1;
};
