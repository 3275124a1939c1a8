import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCli } from '../support/cli.js';
import { keyedRepo, recordVersion } from '../support/report-ledger.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore-stack.js';
import { describeWithTools, extractZip } from '../support/tools.js';

/**
 * Signed evidence packs: MANIFEST.sigstore.json covers every file, and VERIFY.md's offline script
 * (run exactly as VERIFY.md prints it) checks it and the records — key-signed, and keyless down to
 * the certificate chain, the timestamp or log promise, and the identity — on intact packs and on
 * each tamper case, failing at the step that should catch it.
 */

const RELEASE = 'https://github.com/acme/fraud-model/.github/workflows/release.yml@refs/heads/main';
const DEV = 'https://github.com/acme/fraud-model/.github/workflows/dev.yml@refs/heads/dev';
const ISSUER = 'https://token.actions.githubusercontent.com';
const temporary: string[] = [];

afterAll(async () => {
  for (const dir of temporary) await rm(dir, { recursive: true, force: true });
});

function bash(script: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Section 3's script of the VERIFY.md in `dir`, as a reader would copy it. */
async function packScript(dir: string): Promise<string> {
  const verifyMd = await readFile(join(dir, 'VERIFY.md'), 'utf8');
  const match = /```sh\n(# Check the pack with openssl[\s\S]*?)```/.exec(verifyMd);
  if (!match) throw new Error('VERIFY.md has no offline script');
  return match[1] as string;
}

async function unzipped(zip: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-ledger-signed-pack-'));
  temporary.push(dir);
  await extractZip(await readFile(zip), dir);
  return dir;
}

/** A copy of an unzipped pack, to tamper with. */
async function copyOf(dir: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'model-ledger-signed-copy-'));
  temporary.push(copy);
  await cp(dir, copy, { recursive: true });
  return copy;
}

async function bundlesIn(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'ledger'))).filter((name) => name.endsWith('.sigstore.json')).sort();
}

const MANIFEST_OK = 'MANIFEST.sigstore.json: signature OK; every file is the one signed';

describeWithTools(['jq', 'openssl'])('a key-signed ledger exported with --sign-key', () => {
  let repo: TempRepo;
  let pack: string;
  beforeAll(async () => {
    repo = await keyedRepo();
    for (let v = 0; v < 3; v++) await recordVersion(repo, v);
    const run = await runCli(
      ['export', '--out', 'evidence.zip', '--sign-key', 'team.key.pem'],
      repo.dir,
      repo.env,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    pack = await unzipped(join(repo.dir, 'evidence.zip'));
  }, 120_000);
  afterAll(async () => {
    await repo.cleanup();
  });

  it('signs a manifest of every file, which the script and verify --pack accept', async () => {
    const manifest = JSON.parse(await readFile(join(pack, 'MANIFEST.sigstore.json'), 'utf8')) as {
      dsseEnvelope: { payload: string };
    };
    const statement = JSON.parse(Buffer.from(manifest.dsseEnvelope.payload, 'base64').toString('utf8')) as {
      predicateType: string;
      subject: { name: string }[];
      predicate: { range: { from: number; to: number }; records: number };
    };
    expect(statement.predicateType).toBe('https://model-ledger.dev/evidence-pack/v1');
    const names = statement.subject.map((subject) => subject.name);
    expect(names).toEqual(expect.arrayContaining(['index.json', 'report.html', 'SHA256SUMS', 'VERIFY.md']));
    expect(names).not.toContain('MANIFEST.sigstore.json');
    expect(statement.predicate).toMatchObject({ range: { from: 0, to: 2 }, records: 3 });

    const run = bash(await packScript(pack), pack);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(MANIFEST_OK);
    expect(lines.slice(1)).toHaveLength(3);

    // Section 2's one command, with our CLI in place of the downloaded one.
    const verifyMd = await readFile(join(pack, 'VERIFY.md'), 'utf8');
    expect(verifyMd).toContain('node model-ledger.mjs verify --pack .\n');
    const verify = await runCli(['verify', '--pack', '.'], pack, { HOME: pack });
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(
      new RegExp(
        `^pack: ${names.length} file\\(s\\) as signed in MANIFEST\\.sigstore\\.json by key [0-9a-f]{16}…$`,
        'm',
      ),
    );
  });

  it('fails on an edited report.html, an added file and a removed index.json', async () => {
    const edited = await copyOf(pack);
    const html = await readFile(join(edited, 'report.html'), 'utf8');
    await writeFile(join(edited, 'report.html'), html.replace('</body>', '<p>all clear</p></body>'));
    const run = bash(await packScript(edited), edited);
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('a file of the pack differs from the signed manifest');
    const verify = await runCli(['verify', '--pack', '.'], edited, { HOME: edited });
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(
      /^FAIL ARTIFACT_MISMATCH: report\.html has sha256 [0-9a-f]{64}, the signed manifest says/m,
    );

    const added = await copyOf(pack);
    await writeFile(join(added, 'ledger', 'keys', 'extra.pub.pem'), 'not from the packer\n');
    const addedRun = bash(await packScript(added), added);
    expect(addedRun.status).toBe(1);
    expect(addedRun.stdout).toContain('files were added to or removed from the pack after signing:');
    expect(addedRun.stdout).toContain('> ledger/keys/extra.pub.pem');
    const addedVerify = await runCli(['verify', '--pack', '.'], added, { HOME: added });
    expect(addedVerify.status).toBe(1);
    expect(addedVerify.stderr).toContain(
      'FAIL ARTIFACT_MISMATCH: ledger/keys/extra.pub.pem is in the pack but not in its signed manifest',
    );

    const removed = await copyOf(pack);
    await rm(join(removed, 'index.json'));
    expect(bash(await packScript(removed), removed).status).toBe(1);
    const removedVerify = await runCli(['verify', '--pack', '.'], removed, { HOME: removed });
    expect(removedVerify.status).toBe(1);
    expect(removedVerify.stderr).toMatch(
      /^FAIL ARTIFACT_MISSING: index\.json is listed in the signed manifest but is not in the pack/m,
    );
  });

  it('fails a pack whose manifest another key signed, and one without a manifest', async () => {
    expect((await runCli(['keygen', '--out', 'other'], repo.dir, repo.env)).status).toBe(0);
    const run = await runCli(
      ['export', '--out', 'other.zip', '--sign-key', 'other.key.pem'],
      repo.dir,
      repo.env,
    );
    expect(run.status).toBe(0);
    const other = await unzipped(join(repo.dir, 'other.zip'));
    const script = bash(await packScript(other), other);
    expect(script.status).toBe(1);
    expect(script.stdout.trim()).toMatch(
      /^MANIFEST\.sigstore\.json: signed by key [0-9a-f]{64}, not by the key of record 0$/,
    );
    // The other key's public half is not in the ledger's keys/: verify finds no trusted signer.
    const verify = await runCli(['verify', '--pack', '.'], other, { HOME: other });
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(
      /^FAIL UNKNOWN_SIGNER: MANIFEST\.sigstore\.json: is signed by key [0-9a-f]{64}, which is not trusted/m,
    );
    // The other key among the ledger's keys (as a rotated key would be): still not record 0's signer.
    const hint = /is signed by key ([0-9a-f]{64})/.exec(verify.stderr)?.[1] as string;
    const rotated = await copyOf(other);
    await cp(join(repo.dir, 'other.pub.pem'), join(rotated, 'ledger', 'keys', `${hint}.pub.pem`));
    const rotatedRun = await runCli(['verify', '--pack', '.'], rotated, { HOME: rotated });
    expect(rotatedRun.status).toBe(1);
    expect(rotatedRun.stderr).toMatch(
      /^FAIL SIGNER_CHANGED: MANIFEST\.sigstore\.json: is signed by key [0-9a-f]{16}…, not by the signer of record 0/m,
    );
    // Only the team's key trusted explicitly: the other key is nobody's.
    const teamOnly = await runCli(
      ['verify', '--pack', other, '--key', join(repo.dir, 'team.pub.pem')],
      repo.dir,
      repo.env,
    );
    expect(teamOnly.status).toBe(1);
    expect(teamOnly.stderr).toMatch(
      /^FAIL UNKNOWN_SIGNER: MANIFEST\.sigstore\.json: is signed by key [0-9a-f]{64}, which is not trusted/m,
    );
    // Both keys given with --key: as for records, any key the auditor trusts may sign.
    const both = await runCli(
      [
        'verify',
        '--pack',
        other,
        '--key',
        join(repo.dir, 'team.pub.pem'),
        '--key',
        join(repo.dir, 'other.pub.pem'),
      ],
      repo.dir,
      repo.env,
    );
    expect(both.stderr).not.toContain('FAIL');
    expect(both.status).toBe(0);

    const bare = await copyOf(pack);
    await rm(join(bare, 'MANIFEST.sigstore.json'));
    const bareVerify = await runCli(['verify', '--pack', '.'], bare, { HOME: bare });
    expect(bareVerify.status).toBe(1);
    expect(bareVerify.stderr).toMatch(/^FAIL ARTIFACT_MISSING: MANIFEST\.sigstore\.json does not exist/m);
  });

  it('says in VERIFY.md when the pack is not signed as a whole', async () => {
    const run = await runCli(['export', '--out', 'unsigned.zip'], repo.dir, repo.env);
    expect(run.status).toBe(0);
    const unsigned = await unzipped(join(repo.dir, 'unsigned.zip'));
    const verifyMd = await readFile(join(unsigned, 'VERIFY.md'), 'utf8');
    expect(verifyMd).toContain('**This pack is not signed as a whole**');
    expect(verifyMd).not.toContain('pae MANIFEST.sigstore.json');
    const verify = await runCli(['verify', '--pack', '.'], unsigned, { HOME: unsigned });
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(
      /FAIL ARTIFACT_MISSING: MANIFEST\.sigstore\.json does not exist: this pack has no signed manifest/,
    );
  });
});

describeWithTools(['jq', 'openssl', 'python3'])('keyless packs checked with openssl alone', () => {
  let stack: SigstoreStack;
  let tsaOnly: SigstoreStack;
  beforeAll(async () => {
    stack = await startSigstoreStack();
    tsaOnly = await startSigstoreStack({ services: ['tsa'] });
  });
  afterAll(async () => {
    await stack.close();
    await tsaOnly.close();
  });

  const flags = (on: SigstoreStack): string[] => [
    '--fulcio-url',
    on.fulcioUrl,
    ...(on === tsaOnly ? [] : ['--rekor-url', on.rekorUrl]),
    '--tsa-url',
    on.tsaUrl,
  ];

  async function keylessLedger(on: SigstoreStack, subjects: string[]): Promise<TempRepo> {
    const repo = await createTempRepo();
    for (const [at, sub] of subjects.entries()) {
      await repo.write('model.bin', `weights ${at}`);
      repo.commit(`train ${at}`);
      const env = { ...repo.env, SIGSTORE_ID_TOKEN: await on.token({ sub }) };
      const run = await runCli(
        ['record', '--keyless', ...flags(on), '--trusted-root', on.trustedRootFile, '--models', 'model.bin'],
        repo.dir,
        env,
      );
      expect(run.status).toBe(0);
    }
    return repo;
  }

  /** Exit 1 when a record does not verify (the pack says which): the tamper cases' packs. */
  async function exportPack(on: SigstoreStack, repo: TempRepo, signed: boolean, status = 0): Promise<string> {
    const env = { ...repo.env, SIGSTORE_ID_TOKEN: await on.token({ sub: RELEASE }) };
    const name = signed ? 'signed.zip' : 'unsigned.zip';
    const run = await runCli(
      [
        'export',
        '--out',
        name,
        '--trusted-root',
        on.trustedRootFile,
        ...(signed ? ['--sign-keyless', ...flags(on)] : []),
      ],
      repo.dir,
      env,
    );
    expect(run.status).toBe(status);
    return unzipped(join(repo.dir, name));
  }

  it('passes on intact packs, with a log entry and with a timestamp only, and verify --pack agrees', async () => {
    for (const on of [stack, tsaOnly]) {
      const repo = await keylessLedger(on, [RELEASE, RELEASE, RELEASE]);
      try {
        const pack = await exportPack(on, repo, true);
        const run = bash(await packScript(pack), pack);
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        const lines = run.stdout.trim().split('\n');
        expect(lines[0]).toBe(MANIFEST_OK);
        expect(lines.slice(1, 4).every((line) => line.endsWith(': signature and link OK'))).toBe(true);
        expect(lines[4]).toBe('ledger/checkpoints/model-ledger-000002.checkpoint: signature OK');
        const verifyMd = await readFile(join(pack, 'VERIFY.md'), 'utf8');
        // Section 5's standard-library steps, as VERIFY.md prints them, hold for keyless packs too.
        const section5 = verifyMd.slice(verifyMd.indexOf('## 5. The checkpoint'));
        const [root, included] = [...section5.matchAll(/```sh\n([\s\S]*?)```/g)].map(
          (match) => match[1] as string,
        );
        const rootRun = bash(root as string, pack);
        expect(rootRun.status).toBe(0);
        expect(rootRun.stdout).toMatch(/the first 3 records have its root/);
        expect(included).toMatch(/--inclusion/);
        expect(bash(included as string, pack).status).toBe(0);
        expect(verifyMd).toContain(`identity=${RELEASE}`);
        expect(verifyMd).toContain(`issuer=${ISSUER}`);
        const verify = await runCli(['verify', '--pack', '.', '--trusted-root', 'trusted_root.json'], pack, {
          HOME: pack,
        });
        expect(verify.stderr).not.toContain('FAIL');
        expect(verify.status).toBe(0);
        expect(verify.stdout).toContain(`MANIFEST.sigstore.json by ${RELEASE}`);

        // The checkpoint's body edited: the certificate's key no longer signs it.
        const unsigned = await exportPack(on, repo, false);
        const checkpoint = join(unsigned, 'ledger/checkpoints/model-ledger-000002.checkpoint');
        const note = await readFile(checkpoint, 'utf8');
        await writeFile(checkpoint, note.replace(/^([^\n]+\n)3\n/, '$12\n'));
        const broken = bash(await packScript(unsigned), unsigned);
        expect(broken.status).toBe(1);
        expect(broken.stdout.trim().split('\n').at(-1)).toBe(
          'ledger/checkpoints/model-ledger-000002.checkpoint.sigstore.json: BAD SIGNATURE',
        );
      } finally {
        await repo.cleanup();
      }
    }
  }, 120_000);

  it('fails a record re-signed with a self-signed certificate of the same identity', async () => {
    const repo = await keylessLedger(stack, [RELEASE, RELEASE, RELEASE]);
    try {
      const pack = await exportPack(stack, repo, false);
      const [, second] = await bundlesIn(pack);
      await forgeSelfSigned(join(pack, 'ledger', second as string), pack, stack.tsaUrl);
      const run = bash(await packScript(pack), pack);
      expect(run.status).toBe(1);
      expect(run.stdout.trim().split('\n').at(-1)).toMatch(
        new RegExp(`^ledger/${second as string}: CERTIFICATE NOT ISSUED BY THE TRUSTED FULCIO`),
      );
    } finally {
      await repo.cleanup();
    }
  }, 60_000);

  it('fails a record of another workflow, and a log entry whose promise was edited', async () => {
    const repo = await keylessLedger(stack, [RELEASE, RELEASE, DEV]);
    try {
      const pack = await exportPack(stack, repo, false, 1);
      const bundles = await bundlesIn(pack);
      const run = bash(await packScript(pack), pack);
      expect(run.status).toBe(1);
      expect(run.stdout.trim().split('\n').at(-1)).toBe(
        `ledger/${bundles[2] as string}: signed by ${DEV} (${ISSUER}), not by the expected identity`,
      );

      const promised = await copyOf(pack);
      const file = join(promised, 'ledger', bundles[1] as string);
      const bundle = JSON.parse(await readFile(file, 'utf8')) as {
        verificationMaterial: { tlogEntries: { integratedTime: string }[] };
      };
      const entry = bundle.verificationMaterial.tlogEntries[0] as { integratedTime: string };
      entry.integratedTime = String(Number(entry.integratedTime) - 3600);
      await writeFile(file, `${JSON.stringify(bundle, null, 2)}\n`);
      const edited = bash(await packScript(promised), promised);
      expect(edited.status).toBe(1);
      expect(edited.stdout.trim().split('\n').at(-1)).toBe(
        `ledger/${bundles[1] as string}: BAD LOG ENTRY PROMISE`,
      );
    } finally {
      await repo.cleanup();
    }
  }, 60_000);
});

/**
 * Re-signs a keyless record with a key of its own and a self-signed certificate that claims the
 * record's SAN and issuer, with a genuine timestamp of the trusted TSA over the new signature (a
 * TSA stamps whatever it is sent): everything but the chain to the trusted Fulcio looks right.
 */
async function forgeSelfSigned(file: string, scratch: string, tsaUrl: string): Promise<void> {
  const bundle = JSON.parse(await readFile(file, 'utf8')) as {
    dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string }[] };
    verificationMaterial: {
      certificate: { rawBytes: string };
      tlogEntries?: unknown[];
      timestampVerificationData?: { rfc3161Timestamps: { signedTimestamp: string }[] };
    };
  };
  const key = join(scratch, 'forged.key.pem');
  const cert = join(scratch, 'forged.cert.pem');
  const issuerHex = Buffer.from(ISSUER, 'utf8')
    .toString('hex')
    .toUpperCase()
    .replace(/(..)/g, '$1:')
    .slice(0, -1);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/O=sigstore.dev',
      '-addext',
      `subjectAltName=critical,URI:${RELEASE}`,
      '-addext',
      `1.3.6.1.4.1.57264.1.1=DER:${issuerHex}`,
      '-addext',
      'extendedKeyUsage=codeSigning',
    ],
    { stdio: 'pipe' },
  );
  const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
  const type = bundle.dsseEnvelope.payloadType;
  const pae = Buffer.concat([Buffer.from(`DSSEv1 ${type.length} ${type} ${payload.length} `), payload]);
  const paeFile = join(scratch, 'forged.pae');
  await writeFile(paeFile, pae);
  const signature = execFileSync('openssl', ['dgst', '-sha256', '-sign', key, paeFile]);
  const der = execFileSync('openssl', ['x509', '-in', cert, '-outform', 'DER']);
  bundle.dsseEnvelope.signatures = [{ sig: signature.toString('base64') }];
  bundle.verificationMaterial.certificate.rawBytes = der.toString('base64');
  const stamped = await fetch(`${tsaUrl}/api/v1/timestamp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      artifactHash: createHash('sha256').update(signature).digest('base64'),
      hashAlgorithm: 'sha256',
    }),
  });
  expect(stamped.ok).toBe(true);
  bundle.verificationMaterial.timestampVerificationData = {
    rfc3161Timestamps: [{ signedTimestamp: Buffer.from(await stamped.arrayBuffer()).toString('base64') }],
  };
  delete bundle.verificationMaterial.tlogEntries;
  await writeFile(file, `${JSON.stringify(bundle, null, 2)}\n`);
  await rm(key);
  await rm(cert);
  await rm(paeFile);
}
