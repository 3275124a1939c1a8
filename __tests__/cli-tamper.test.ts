import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createTempRepo, type TempRepo } from './support/repo.js';
import { runCli } from './support/cli.js';

let repo: TempRepo;
let ledger: string;

/** A ledger of four records (0..3) over a changing model, signed with a real key. */
beforeEach(async () => {
  repo = await createTempRepo();
  ledger = join(repo.dir, '.model-ledger');
  expect((await runCli(['keygen', '--out', 'keys/team'], repo.dir, repo.env)).status).toBe(0);
  for (const version of [1, 2, 3, 4]) {
    await repo.write('model.bin', `weights ${version}`);
    repo.commit(`train ${version}`);
    const run = await runCli(
      ['record', '--json', '--key', 'keys/team.key.pem', '--models', 'model.bin'],
      repo.dir,
      repo.env,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }
});
afterEach(async () => {
  await repo.cleanup();
});

async function recordFiles(): Promise<string[]> {
  return (await readdir(ledger)).filter((name) => name.endsWith('.sigstore.json')).sort();
}

async function fileAt(index: number): Promise<string> {
  const files = await recordFiles();
  return join(ledger, files[index] as string);
}

interface Bundle {
  dsseEnvelope: { payload: string; signatures: { sig: string; keyid: string }[] };
}

async function editBundle(index: number, edit: (bundle: Bundle) => void): Promise<void> {
  const file = await fileAt(index);
  const bundle = JSON.parse(await readFile(file, 'utf8')) as Bundle;
  edit(bundle);
  await writeFile(file, JSON.stringify(bundle, null, 2));
}

async function verify(...extra: string[]) {
  return runCli(['verify', '--key', 'keys/team.pub.pem', ...extra], repo.dir, repo.env);
}

describe('model-ledger verify', () => {
  it('passes an untouched ledger, with the artifacts of its head', async () => {
    const run = await verify('--artifacts', '.');
    expect(run.stderr).toBe(
      'notice: no checkpoint or witness given: truncation of recent records, or a history rewritten with the signing key, cannot be detected (pass --checkpoint FILE from an earlier run or a witness)',
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ok: 4 record\(s\) verified/);
  });

  it('fails when one byte of a payload is changed, naming the record', async () => {
    await editBundle(1, (bundle) => {
      const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
      payload.writeUInt8(payload.readUInt8(10) ^ 0x01, 10);
      bundle.dsseEnvelope.payload = payload.toString('base64');
    });
    const run = await verify();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /FAIL BAD_SIGNATURE: record 1 \(000001-[0-9a-f]{12}\.sigstore\.json\): signature does not verify/,
    );
    expect(run.stderr).toMatch(/FAIL BROKEN_LINK: record 2 /);
  });

  it('fails when a signature is changed', async () => {
    await editBundle(2, (bundle) => {
      const signature = bundle.dsseEnvelope.signatures[0];
      if (!signature) throw new Error('bundle without signature');
      const bytes = Buffer.from(signature.sig, 'base64');
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
      signature.sig = bytes.toString('base64');
    });
    const run = await verify();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/FAIL BAD_SIGNATURE: record 2 /);
  });

  it('fails when a record is deleted from the middle', async () => {
    await rm(await fileAt(1));
    const run = await verify();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/FAIL GAP: record 1 is missing/);
    expect(run.stderr).toMatch(/FAIL BROKEN_LINK: record 2 /);
  });

  it('fails when the first record is deleted, saying where the ledger now starts', async () => {
    await rm(await fileAt(0));
    const run = await verify();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/FAIL GAP: record 0 is missing: the ledger starts at record 1/);
    expect(run.stderr).not.toMatch(/record -1/);
  });

  it('checks every record against an expected origin given with --origin', async () => {
    const origin = JSON.parse(
      Buffer.from(
        (JSON.parse(await readFile(await fileAt(0), 'utf8')) as Bundle).dsseEnvelope.payload,
        'base64',
      ).toString('utf8'),
    ) as { predicate: { chain: { origin: string } } };
    expect((await verify('--origin', origin.predicate.chain.origin)).status).toBe(0);
    const other = await verify('--origin', 'github.com/acme/other#main');
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(
      /FAIL ORIGIN: record 0 .*belongs to ledger .*, not github\.com\/acme\/other#main/,
    );
    expect(other.stderr).toMatch(/FAIL ORIGIN: record 3 /);
  });

  it('fails when two records are swapped', async () => {
    const [a, b] = [await fileAt(1), await fileAt(2)];
    await rename(a, `${a}.swap`);
    await rename(b, a);
    await rename(`${a}.swap`, b);
    const run = await verify();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/FAIL MISNAMED: 000001-[0-9a-f]{12}\.sigstore\.json holds record 2/);
    expect(run.stderr).toMatch(/records were reordered or renamed/);
  });

  it('fails when a record is re-signed with another key', async () => {
    expect((await runCli(['keygen', '--out', 'keys/mallory'], repo.dir, repo.env)).status).toBe(0);
    // Mallory rewrites the ledger's last record with her own key, the chain link kept intact (and
    // removes its checkpoint, which would otherwise stop the run from linking to a truncated ledger).
    await rm(await fileAt(3));
    await rm(join(ledger, 'checkpoints', 'model-ledger-000003.checkpoint'));
    await repo.write('model.bin', 'weights 4');
    const forged = await runCli(
      ['record', '--key', 'keys/mallory.key.pem', '--models', 'model.bin'],
      repo.dir,
      repo.env,
    );
    expect(forged.status).toBe(0);
    const pinned = await verify();
    expect(pinned.status).toBe(1);
    expect(pinned.stderr).toMatch(/FAIL UNKNOWN_SIGNER: record 3 .*not trusted/);
    // Without --key, the ledger's own keys/ are used, pinned to the signer of record 0.
    const unpinned = await runCli(['verify'], repo.dir, repo.env);
    expect(unpinned.status).toBe(1);
    expect(unpinned.stderr).toMatch(
      /FAIL SIGNER_CHANGED: record 3 .*signed by key [0-9a-f]{16}…, expected key [0-9a-f]{16}…/,
    );
  });

  it('fails when a record points to a previous record that does not exist', async () => {
    // Re-signed with the trusted key, so only the link is wrong: what an insider with the key could do.
    const { createPrivateKey, sign } = await import('node:crypto');
    const key = createPrivateKey(await readFile(join(repo.dir, 'keys/team.key.pem'), 'utf8'));
    await editBundle(2, (bundle) => {
      const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as {
        predicate: { chain: { previous: { statementSha256: string } } };
      };
      statement.predicate.chain.previous.statementSha256 = 'f'.repeat(64);
      const payload = Buffer.from(JSON.stringify(statement));
      const type = 'application/vnd.in-toto+json';
      const pae = Buffer.concat([Buffer.from(`DSSEv1 ${type.length} ${type} ${payload.length} `), payload]);
      bundle.dsseEnvelope.payload = payload.toString('base64');
      const signature = bundle.dsseEnvelope.signatures[0];
      if (!signature) throw new Error('bundle without signature');
      signature.sig = sign('sha256', pae, key).toString('base64');
    });
    const run = await verify();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /FAIL BROKEN_LINK: record 2 .*links to statement ffffffffffff, which no record in the ledger has/,
    );
  });

  it('fails on a fork: two records with the same previous', async () => {
    const third = await fileAt(3);
    await rename(third, `${third}.aside`);
    const checkpoint = join(ledger, 'checkpoints', 'model-ledger-000003.checkpoint');
    await rename(checkpoint, `${checkpoint}.aside`);
    await repo.write('model.bin', 'weights 4b');
    const other = await runCli(
      ['record', '--key', 'keys/team.key.pem', '--models', 'model.bin'],
      repo.dir,
      repo.env,
    );
    expect(other.status).toBe(0);
    await rename(`${third}.aside`, third);
    const run = await verify();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /FAIL FORK: fork at record 3: 000003-[0-9a-f]{12}\.sigstore\.json and 000003-/,
    );
    // Recording on top of a fork is refused until someone decides which branch is real.
    const next = await runCli(['record', '--key', 'keys/team.key.pem'], repo.dir, repo.env);
    expect(next.status).toBe(2);
    expect(next.stderr).toMatch(/the ledger has a fork at record 3/);
  });

  it('fails when an artifact no longer has its recorded digest', async () => {
    await repo.write('model.bin', 'weights tampered');
    const run = await verify('--artifacts', '.');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/FAIL ARTIFACT_MISMATCH: record 3 .*artifact model\.bin has sha256/);
  });
});
