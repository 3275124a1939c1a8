/**
 * Key-signed records with RFC 3161 timestamps (`--tsa-url`): the time of signing is a timestamp
 * authority's word, checked against the trusted root, not the key holder's claim.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { runCli } from './support/cli.js';
import { createTempRepo, type TempRepo } from './support/repo.js';
import { startSigstoreStack, type SigstoreStack } from './support/sigstore-stack.js';

let tsa: SigstoreStack;
let other: SigstoreStack;
let repo: TempRepo;

beforeAll(async () => {
  tsa = await startSigstoreStack({ services: ['tsa'] });
  other = await startSigstoreStack({ services: ['tsa'] });
});
afterAll(async () => {
  await tsa.close();
  await other.close();
});
beforeEach(async () => {
  repo = await createTempRepo();
  expect((await runCli(['keygen', '--out', 'keys/team'], repo.dir, repo.env)).status).toBe(0);
});
afterEach(async () => {
  await repo.cleanup();
});

describe('key-signed records with a timestamp authority', () => {
  it('carry an RFC 3161 token that verify checks against the trusted root', async () => {
    await repo.write('model.bin', 'weights');
    repo.commit('train');
    const recorded = await runCli(
      ['record', '--key', 'keys/team.key.pem', '--tsa-url', tsa.tsaUrl, '--models', 'model.bin'],
      repo.dir,
      repo.env,
    );
    expect(recorded.status).toBe(0);
    expect(tsa.requests.some((request) => request.service === 'tsa')).toBe(true);
    const ledger = join(repo.dir, '.model-ledger');
    const file = join(
      ledger,
      (await readdir(ledger)).find((name) => name.endsWith('.sigstore.json')) as string,
    );
    const bundle = JSON.parse(await readFile(file, 'utf8')) as {
      verificationMaterial: {
        timestampVerificationData: { rfc3161Timestamps: { signedTimestamp: string }[] };
      };
    };
    expect(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);

    const verified = await runCli(
      ['verify', '--key', 'keys/team.pub.pem', '--trusted-root', tsa.trustedRootFile],
      repo.dir,
      repo.env,
    );
    expect(verified.stderr).not.toMatch(/FAIL/);
    expect(verified.status).toBe(0);

    // A timestamp authority the trusted root does not name is not believed.
    const untrusted = await runCli(
      ['verify', '--key', 'keys/team.pub.pem', '--trusted-root', other.trustedRootFile],
      repo.dir,
      repo.env,
    );
    expect(untrusted.status).toBe(1);
    expect(untrusted.stderr).toMatch(/FAIL UNTRUSTED: record 0 /);

    // A token edited after the fact does not verify either.
    const token = bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0];
    if (!token) throw new Error('no timestamp');
    const bytes = Buffer.from(token.signedTimestamp, 'base64');
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff;
    token.signedTimestamp = bytes.toString('base64');
    await writeFile(file, JSON.stringify(bundle, null, 2));
    const edited = await runCli(
      ['verify', '--key', 'keys/team.pub.pem', '--trusted-root', tsa.trustedRootFile],
      repo.dir,
      repo.env,
    );
    expect(edited.status).toBe(1);
  });
});
