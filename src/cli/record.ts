import { resolve } from 'node:path';

import type { Logger } from '../log.js';
import { record } from '../record/record.js';
import { DEFAULT_LEDGER_DIR } from '../store/local.js';
import { COMMON_OPTIONS, parseCommandArgs } from './args.js';
import type { Command, CommandContext } from './output.js';

export const RECORD_HELP = `Usage: model-ledger record [options]

Records the current change: collects its metadata, links it to the ledger's head, signs it
and appends it to the ledger.

Options:
  --store DIR         ledger directory (default ${DEFAULT_LEDGER_DIR})
  --key PEM           PKCS#8 ECDSA P-256 private key; without it a local development key is used
  --models GLOB       model files to record (repeatable), relative to the repository root
  --reason TEXT       why this change was made (default: the commit message)
  --ledger NAME       which ledger of the repository (default main)
  --json              print the result as JSON
  --debug             show stack traces`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  store: { type: 'string' },
  key: { type: 'string' },
  models: { type: 'string', multiple: true },
  reason: { type: 'string' },
  ledger: { type: 'string' },
} as const;

function cliLogger(context: CommandContext, quiet: boolean): Logger {
  return {
    debug: () => undefined,
    info: (message) => {
      if (!quiet) context.output.err(message);
    },
    warn: (message) => context.output.err(`warning: ${message}`),
  };
}

export const recordCommand: Command = async (argv, context) => {
  const { values } = parseCommandArgs('record', argv, OPTIONS);
  if (values.help) {
    context.output.out(RECORD_HELP);
    return 0;
  }
  const result = await record({
    cwd: context.cwd,
    env: context.env,
    ledgerDir: resolve(context.cwd, values.store ?? DEFAULT_LEDGER_DIR),
    ...(values.ledger === undefined ? {} : { ledgerName: values.ledger }),
    ...(values.key === undefined ? {} : { keyFile: resolve(context.cwd, values.key) }),
    models: values.models ?? [],
    ...(values.reason === undefined ? {} : { reason: values.reason }),
    log: cliLogger(context, values.json === true),
  });
  if (values.json) {
    context.output.out(
      JSON.stringify(
        {
          index: result.index,
          statementSha256: result.statementSha256,
          bundleSha256: result.bundleSha256,
          bundlePath: result.location,
          previousSha256: result.previous?.statementSha256 ?? null,
          signingMode: result.signingMode,
          subjects: result.statement.subject,
          notices: result.notices,
        },
        null,
        2,
      ),
    );
  } else {
    for (const notice of result.notices) context.output.err(`notice: ${notice}`);
    context.output.out(`recorded #${result.index} ${result.statementSha256} → ${result.location}`);
  }
  return 0;
};
