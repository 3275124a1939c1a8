/**
 * A forger who holds the ledger's real key: rewrites one record's statement, signs it again, and
 * links every later record to it again, so that the ledger verifies as a whole.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { sha256Hex } from '../../src/hash/file.js';
import type { Statement } from '../../src/record/predicate.js';
import { buildStatement, serializeStatement } from '../../src/record/statement.js';
import { KeySigner } from '../../src/sign/key-signer.js';
import { loadPrivateKey } from '../../src/sign/keys.js';
import { recordFileName } from '../../src/store/types.js';

export async function forgeRecord(
  ledgerDir: string,
  keyFile: string,
  index: number,
  edit: (statement: Statement) => void,
): Promise<void> {
  const signer = new KeySigner(await loadPrivateKey(keyFile));
  const names = (await readdir(ledgerDir)).filter((name) => name.endsWith('.sigstore.json')).sort();
  let previous: { statementSha256: string; bundleSha256: string; uri: string } | null = null;
  for (const name of names) {
    const bundle = JSON.parse(await readFile(join(ledgerDir, name), 'utf8')) as {
      dsseEnvelope: { payload: string };
    };
    const statement = JSON.parse(
      Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'),
    ) as Statement;
    const at = statement.predicate.chain.index;
    if (at < index) continue;
    if (at === index) edit(statement);
    else if (previous) statement.predicate.chain.previous = previous;
    const payload = serializeStatement(buildStatement(statement.predicate));
    const bytes = Buffer.from(`${JSON.stringify(await signer.signStatement(payload), null, 2)}\n`, 'utf8');
    const file = recordFileName(at, sha256Hex(payload));
    await rm(join(ledgerDir, name));
    await writeFile(join(ledgerDir, file), bytes);
    previous = { statementSha256: sha256Hex(payload), bundleSha256: sha256Hex(bytes), uri: file };
  }
}
