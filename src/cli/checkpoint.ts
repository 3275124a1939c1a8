import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { formatCheckpointBody } from '../checkpoint/note.js';
import { LedgerError } from '../errors.js';
import { verifyLedger } from '../verify/ledger.js';
import { COMMON_OPTIONS, parseCommandArgs } from './args.js';
import { LEDGER_HELP, LEDGER_OPTIONS, ledgerFromFlags } from './ledger-options.js';
import type { Command } from './output.js';

export const CHECKPOINT_HELP = `Usage: model-ledger checkpoint [--store DIR | --github OWNER/REPO] [--out FILE]

Verifies the ledger and prints its latest signed checkpoint: a C2SP signed note of the ledger's
origin, its record count and the RFC 6962 Merkle root over the records' DSSE payloads, then the
signature lines. Keep it somewhere the ledger's owners cannot edit: \`model-ledger verify
--checkpoint FILE\` later proves the ledger still extends it (nothing dropped, nothing rewritten).

Options:
${LEDGER_HELP}
  --out FILE          write the checkpoint to FILE instead of printing it (keyless ledgers: and
                      the Sigstore bundle that proves who signed it to FILE.sigstore.json)
  --json              print {origin, size, rootHash, signed, checkpoint[, signatureBundle]} as JSON
Exit status: 0 printed; 1 the ledger does not verify; 2 bad usage or unreadable input.`;

const OPTIONS = { ...COMMON_OPTIONS, ...LEDGER_OPTIONS, out: { type: 'string' } } as const;

export const checkpointCommand: Command = async (argv, context) => {
  const { values } = parseCommandArgs('checkpoint', argv, OPTIONS);
  if (values.help) {
    context.output.out(CHECKPOINT_HELP);
    return 0;
  }
  const ledger = await ledgerFromFlags(values, context, 'checkpoint');
  if (ledger.options.partial) {
    throw new LedgerError('USAGE', 'a checkpoint covers a whole ledger, not one release of it', {
      field: '--release',
      fix: 'drop --release',
    });
  }
  const verification = await verifyLedger(ledger.options);
  const tree = verification.checkpoint;
  if (!verification.ok || !tree || tree.origin === null) {
    for (const problem of verification.problems)
      context.output.err(`FAIL ${problem.code}: ${problem.message}`);
    context.output.err(
      `the ledger in ${verification.location} does not verify: no checkpoint is given for it`,
    );
    return 1;
  }
  const body = formatCheckpointBody({
    origin: tree.origin,
    size: tree.size,
    rootHash: Buffer.from(tree.rootHash, 'base64'),
  });
  const stored = (await ledger.options.store.latestCheckpoint?.()) ?? null;
  // The stored note of the whole ledger carries its signature; verification checked it matches.
  const signed = stored !== null && stored.size === tree.size && stored.text.startsWith(`${body}\n`);
  const text = signed ? stored.text : body;
  if (!signed) {
    context.output.err(
      'notice: the ledger keeps no signed checkpoint of all its records (made before checkpoints were signed): this is the unsigned checkpoint body; have a witness cosign it (`model-ledger witness`)',
    );
  }
  if (values.out) {
    const file = resolve(context.cwd, values.out);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    // Keyless: the note's key is the certificate's in this bundle, which names the signer.
    if (signed && stored.bundle !== undefined) await writeFile(`${file}.sigstore.json`, stored.bundle);
  }
  if (values.json) {
    context.output.out(
      JSON.stringify(
        {
          origin: tree.origin,
          size: tree.size,
          rootHash: tree.rootHash,
          signed,
          checkpoint: text,
          ...(signed && stored.bundle !== undefined
            ? { signatureBundle: JSON.parse(stored.bundle) as unknown }
            : {}),
        },
        null,
        2,
      ),
    );
  } else if (!values.out) {
    context.output.out(text.replace(/\n$/, ''));
  } else {
    context.output.out(`wrote the checkpoint of ${tree.size} record(s) of ${tree.origin} to ${values.out}`);
  }
  return 0;
};
