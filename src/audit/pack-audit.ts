import { resolve } from 'node:path';

import { auditCompleteness } from './completeness.js';
import { auditReplay } from './replay.js';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load.js';
import { LedgerError } from '../errors.js';
import { runGit } from '../git/command.js';
import type { PackAudit } from '../report/evidence.js';
import type { LoadedLedger } from '../report/load.js';

/**
 * The audit figures an evidence pack carries: the completeness of the history up to the range's
 * last record, and the replay of the range's records (`export --audit`) or of its last one only
 * (release builds, where replaying the whole history on every release would cost too much), run
 * in the repository at `cwd`.
 */
export async function packAudit(options: {
  cwd: string;
  ledger: LoadedLedger;
  from: number;
  to: number;
  configFile?: string;
  replay?: 'range' | 'last';
}): Promise<PackAudit> {
  const top = await runGit(options.cwd, ['rev-parse', '--show-toplevel']);
  if (!top.ok) {
    throw new LedgerError('USAGE', '--audit needs the git repository the ledger records', {
      field: '--audit',
      fix: 'run export from a clone of the repository (with its history: not a shallow clone)',
    });
  }
  const root = top.stdout.trim();
  const configFile = options.configFile ?? DEFAULT_CONFIG_FILE;
  const config = await loadConfig(
    resolve(options.cwd, configFile),
    configFile,
    options.configFile !== undefined,
  );
  const rowAt = (index: number) => options.ledger.rows.find((row) => row.index === index);
  const last = rowAt(options.to)?.statement?.predicate.commit?.sha;
  const before = options.from > 0 ? rowAt(options.from - 1)?.recordedAt : null;
  const since = before ? new Date(before) : undefined;
  const completeness = await auditCompleteness({
    cwd: root,
    ledger: options.ledger,
    config,
    configFile,
    ...(last ? { ref: last } : {}),
    ...(since ? { since } : {}),
  });
  const indexes =
    options.replay === 'last'
      ? [options.to]
      : options.ledger.rows
          .map((row) => row.index)
          .filter((index) => index >= options.from && index <= options.to);
  const replay = await auditReplay({ cwd: root, ledger: options.ledger, select: { indexes } });
  const scope = `changes up to ${last ? `commit ${last.slice(0, 12)} of record ${options.to}` : 'HEAD'}${since ? `, committed since record ${options.from - 1} was made (${since.toISOString()})` : ''}; replay of ${options.replay === 'last' ? `record ${options.to}` : `records ${options.from} to ${options.to}`}`;
  return { scope, completeness, replay };
}
