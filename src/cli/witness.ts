import { resolve } from 'node:path';

import { LedgerError } from '../errors.js';
import { loadWitnessKey, witnessLedger } from '../witness/witness.js';
import { COMMON_OPTIONS, parseCommandArgs } from './args.js';
import { LEDGER_HELP, LEDGER_OPTIONS, ledgerFromFlags } from './ledger-options.js';
import type { Command } from './output.js';

export const WITNESS_HELP = `Usage: model-ledger witness (--store DIR | --github OWNER/REPO) --witness-key WITNESS.key.pem
                          --state DIR [--name NAME] [--key PUB.PEM …]

Run by a second party on a schedule (a compliance repository, an auditor): verifies the ledger,
checks that it extends the checkpoint this witness cosigned last, and only then cosigns the new
checkpoint, keeping it in the witness's own state directory. A ledger that was truncated, rolled
back or rewritten since is refused: exit 1, with what was seen, kept in the state directory.

Options:
  --witness-key FILE  the witness's private key (Ed25519 from \`model-ledger keygen --ed25519\`,
                      or ECDSA P-256); its public half is what verifiers pass as --witness-key
  --state DIR         where the witness keeps its cosigned checkpoints (commit it, or keep it in
                      the witness's own storage)
  --name NAME         the name the witness signs under (default witness-<key digest>)
The ledger to witness, and whom it must be signed by:
${LEDGER_HELP}
  --json              print the result as JSON
Exit status: 0 cosigned; 1 refused (the ledger does not verify or does not extend what was
cosigned before); 2 bad usage or unreadable input.`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  ...LEDGER_OPTIONS,
  'witness-key': { type: 'string' },
  state: { type: 'string' },
  name: { type: 'string' },
} as const;

export const witnessCommand: Command = async (argv, context) => {
  const { values } = parseCommandArgs('witness', argv, OPTIONS);
  if (values.help) {
    context.output.out(WITNESS_HELP);
    return 0;
  }
  if (!values['witness-key'] || !values.state) {
    throw new LedgerError('USAGE', '--witness-key FILE and --state DIR are required', {
      field: 'witness',
      fix: 'e.g. `model-ledger witness --github acme/model --witness-key witness.key.pem --state witness-state`',
    });
  }
  const ledger = await ledgerFromFlags(values, context, 'witness');
  if (ledger.options.partial) {
    throw new LedgerError('USAGE', 'a witness cosigns a whole ledger, not one release of it', {
      field: '--release',
      fix: 'drop --release',
    });
  }
  const result = await witnessLedger({
    ...ledger.options,
    witnessKey: await loadWitnessKey(resolve(context.cwd, values['witness-key'])),
    stateDir: resolve(context.cwd, values.state),
    ...(values.name ? { name: values.name } : {}),
  });
  if (values.json) context.output.out(JSON.stringify(result, null, 2));
  else if (result.ok) {
    context.output.out(
      `cosigned: ${result.origin} at ${result.size} record(s)${result.previousSize === null ? ' (first cosignature)' : `, extending the ${result.previousSize} cosigned before`} → ${result.file}`,
    );
  } else {
    for (const line of result.refused) context.output.err(`REFUSED ${line}`);
    context.output.err(`witness ${result.name} refused to cosign; what it saw is kept in ${result.file}`);
  }
  return result.ok ? 0 : 1;
};
