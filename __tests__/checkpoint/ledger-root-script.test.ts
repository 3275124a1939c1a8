import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import { LEDGER_ROOT_SCRIPT } from '../../src/checkpoint/ledger-root-script.js';
import { inclusionProof, leafHash, merkleRoot } from '../../src/checkpoint/merkle.js';
import { formatCheckpointBody, signNote } from '../../src/checkpoint/note.js';
import { tempDir, type TempDir } from '../support/ml-files.js';
import { describeWithTools } from '../support/tools.js';

/** The script as evidence packs ship it, written out as an auditor would have it: ledger-root.py. */
let SCRIPT = '';

/** Payloads of different lengths, some not valid UTF-8, as DSSE payloads may be any bytes. */
function payloads(count: number): Buffer[] {
  return Array.from({ length: count }, (_, index) =>
    Buffer.concat([
      Buffer.from(`{"_type":"https://in-toto.io/Statement/v1","index":${index}}`),
      createHash('sha256')
        .update(String(index))
        .digest()
        .subarray(0, index % 7),
    ]),
  );
}

/** Writes bundles named as the local store names them, with a few unrelated files beside them. */
async function writeLedger(temp: TempDir, folder: string, data: Buffer[]): Promise<string> {
  await temp.write(`${folder}/keys/ledger.pub.pem`, 'not a record\n');
  await temp.write(`${folder}/README.txt`, 'not a record\n');
  for (const [index, payload] of data.entries()) {
    const name = `${String(index).padStart(6, '0')}-${createHash('sha256').update(payload).digest('hex').slice(0, 12)}`;
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      dsseEnvelope: {
        payload: payload.toString('base64'),
        payloadType: 'application/vnd.in-toto+json',
        signatures: [],
      },
    };
    await temp.write(`${folder}/${name}.sigstore.json`, `${JSON.stringify(bundle, null, 2)}\n`);
  }
  return join(temp.dir, folder);
}

function runScript(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('python3', [SCRIPT, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectedOutput(data: Buffer[]): string {
  return `size ${data.length}\nroot ${merkleRoot(data.map(leafHash)).toString('base64')}\n`;
}

describeWithTools(['python3'])('ledger-root.py, the script evidence packs ship', () => {
  let temp: TempDir;
  beforeAll(async () => {
    temp = await tempDir('model-ledger-root-');
    SCRIPT = await temp.write('ledger-root.py', LEDGER_ROOT_SCRIPT);
  });
  afterAll(() => temp.cleanup());

  it('prints the size and the root merkleRoot gives, for ledgers of 0 to 70 records', async () => {
    for (const count of [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 70]) {
      const data = payloads(count);
      const dir = await writeLedger(temp, `ledger-${count}`, data);
      expect(runScript(dir)).toEqual({ status: 0, stdout: expectedOutput(data), stderr: '' });
    }
  });

  it('accepts a checkpoint the ledger extends, and names truncation and rewriting below it', async () => {
    const data = payloads(12);
    const dir = await writeLedger(temp, 'checked', data);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const origin = 'github.com/acme/model';
    const signer = { name: origin, privateKey };
    const checkpointOf = (records: Buffer[], size = records.length): string =>
      signNote(formatCheckpointBody({ origin, size, rootHash: merkleRoot(records.map(leafHash)) }), signer);
    for (const size of [12, 11, 8, 1]) {
      const file = await temp.write(`at-${size}.checkpoint`, checkpointOf(data.slice(0, size)));
      expect(runScript(dir, file)).toEqual({
        status: 0,
        stdout: `${expectedOutput(data)}${file}: the first ${size} records have its root: the ledger extends it\n`,
        stderr: '',
      });
    }
    // The auditor's checkpoint is ahead of the ledger: records were deleted.
    const ahead = await temp.write('ahead.checkpoint', checkpointOf([...data, Buffer.from('13th')]));
    const truncated = runScript(dir, ahead);
    expect(truncated.status).toBe(1);
    expect(truncated.stderr).toMatch(
      /^TRUNCATED: .*ahead\.checkpoint covers 13 records, the ledger holds 12/,
    );
    // A record below the checkpoint was rewritten (and everything after re-signed).
    const rewritten = await writeLedger(temp, 'rewritten-below', data.with(4, Buffer.from('rewritten')));
    const before = await temp.write('before.checkpoint', checkpointOf(data.slice(0, 8)));
    const inconsistent = runScript(rewritten, before);
    expect(inconsistent.status).toBe(1);
    expect(inconsistent.stderr).toMatch(
      /^INCONSISTENT: the first 8 records do not have the root of .*before\.checkpoint/,
    );
    // The same rewrite above the checkpoint is not the checkpoint's to catch.
    const early = await temp.write('early.checkpoint', checkpointOf(data.slice(0, 4)));
    expect(runScript(rewritten, early).status).toBe(0);
    const garbled = await temp.write('garbled.checkpoint', `${origin}\nmany\nroot\n`);
    expect(runScript(dir, garbled).status).toBe(1);
  });

  it('a rewritten record changes the root; a missing or doubled index exits 1', async () => {
    const data = payloads(6);
    const dir = await writeLedger(temp, 'rewritten', data.with(3, Buffer.from('rewritten')));
    expect(runScript(dir).stdout).not.toBe(expectedOutput(data));

    const gap = await writeLedger(temp, 'gap', data);
    await rm(
      join(
        gap,
        `000002-${createHash('sha256')
          .update(data[2] as Buffer)
          .digest('hex')
          .slice(0, 12)}.sigstore.json`,
      ),
    );
    const missing = runScript(gap);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(
      /^000003-.*: expected record 000002 here: a record is missing or duplicated/,
    );

    const doubled = await writeLedger(temp, 'doubled', data);
    await temp.write(
      'doubled/000001-ffffffffffff.sigstore.json',
      JSON.stringify({ dsseEnvelope: { payload: '' } }),
    );
    expect(runScript(doubled).status).toBe(1);
  });

  it('--inclusion checks each record against the checkpoint with its RFC 9162 proof alone', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const origin = 'github.com/acme/model';
    for (const size of [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17]) {
      const data = Array.from({ length: size }, (_, index) =>
        Buffer.from(JSON.stringify({ predicate: { chain: { index } }, pad: 'x'.repeat(index % 5) })),
      );
      const dir = await writeLedger(temp, `inclusion-${size}`, data);
      const leaves = data.map(leafHash);
      const checkpoint = await temp.write(
        `inclusion-${size}.checkpoint`,
        signNote(formatCheckpointBody({ origin, size, rootHash: merkleRoot(leaves) }), {
          name: origin,
          privateKey,
        }),
      );
      const fileOf = (index: number): string =>
        join(
          dir,
          `${String(index).padStart(6, '0')}-${createHash('sha256')
            .update(data[index] as Buffer)
            .digest('hex')
            .slice(0, 12)}.sigstore.json`,
        );
      const proofs = (entries: { index: number; file: string; proof: string[] }[], treeSize = size) =>
        temp.write(`inclusion-${size}.json`, JSON.stringify({ treeSize, proofs: entries }));
      const honest = data.map((_, index) => ({
        index,
        file: fileOf(index),
        proof: inclusionProof(leaves, index).map((hash) => hash.toString('hex')),
      }));
      const ok = runScript('--inclusion', await proofs(honest), checkpoint);
      expect(ok.stderr).toBe('');
      expect(ok.status).toBe(0);
      expect(ok.stdout.trim().split('\n')).toHaveLength(size);
      if (size < 2) continue;
      // Another record's proof, or a proof with one hash changed, does not lead to the root.
      const wrongProof = honest.map((entry, index) =>
        index === 1 ? { ...entry, proof: (honest[0] as { proof: string[] }).proof } : entry,
      );
      const wrong = runScript('--inclusion', await proofs(wrongProof), checkpoint);
      expect(wrong.status).toBe(1);
      expect(wrong.stderr).toMatch(/^NOT INCLUDED: .*000001-.* is not record 1 of the tree/);
      const flipped = honest.map((entry) => ({
        ...entry,
        proof: entry.proof.map((hash, at) =>
          at === 0 ? `${hash.slice(0, -1)}${hash.endsWith('0') ? '1' : '0'}` : hash,
        ),
      }));
      expect(runScript('--inclusion', await proofs(flipped), checkpoint).status).toBe(1);
      // A record presented at another index.
      const moved = [{ ...(honest[1] as (typeof honest)[number]), index: 0 }];
      const movedRun = runScript('--inclusion', await proofs(moved), checkpoint);
      expect(movedRun.stderr).toMatch(/holds another record than number 0/);
      // Proofs for a tree of another size than the checkpoint's.
      expect(runScript('--inclusion', await proofs(honest, size + 1), checkpoint).stderr).toMatch(
        /^INCONSISTENT: /,
      );
    }
  });

  it('reads release assets (model-ledger-NNNNNN.sigstore.json) the same way', async () => {
    const data = payloads(5);
    for (const [index, payload] of data.entries()) {
      const bundle = { dsseEnvelope: { payload: payload.toString('base64') } };
      await temp.write(
        `assets/model-ledger-${String(index).padStart(6, '0')}.sigstore.json`,
        JSON.stringify(bundle),
      );
    }
    expect(runScript(join(temp.dir, 'assets'))).toEqual({
      status: 0,
      stdout: expectedOutput(data),
      stderr: '',
    });
    // The same record under both names is a duplicate, not two records.
    await temp.write(
      'assets/000002-abcdefabcdef.sigstore.json',
      JSON.stringify({ dsseEnvelope: { payload: '' } }),
    );
    const doubled = runScript(join(temp.dir, 'assets'));
    expect(doubled.status).toBe(1);
    expect(doubled.stderr).toMatch(/expected record 000003 here: a record is missing or duplicated/);
  });

  it('exits 2 with its usage when given no directory', () => {
    const result = runScript();
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Usage: ledger-root\.py LEDGER_DIR \[CHECKPOINT_FILE\]/);
  });
});
