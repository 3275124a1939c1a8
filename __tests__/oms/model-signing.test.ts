import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, chmod, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { hashDirectory } from '../../src/hash/index.js';
import { compareResourceNames, parseOmsStatement } from '../../src/oms/resources.js';
import { modelSignatureAttachment, signModelDirectory } from '../../src/oms/sign.js';
import { loadPrivateKey } from '../../src/sign/keys.js';
import { KeySigner } from '../../src/sign/key-signer.js';
import { runCli } from '../support/cli.js';
import { DEFAULT_ISSUER } from '../support/oidc.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore-stack.js';

/**
 * model_signing's own golden signatures (sigstore/model-transparency scripts/tests, Apache-2.0):
 * vendored in __tests__/fixtures/model-signing so these run in any clone, and, where present,
 * the copy in ../shared/conformance/model-signing as well.
 */
const VENDORED = fileURLToPath(new URL('../fixtures/model-signing/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../shared/conformance/model-signing/', import.meta.url));
const sharedPresent = existsSync(join(SHARED, 'keys'));
if (!sharedPresent) {
  // eslint-disable-next-line no-console -- a skipped suite must say why in the test log
  console.info(
    `shared model-signing goldens skipped: ${SHARED} is absent; the vendored copy is still tested`,
  );
}
const SOURCES: [string, string][] = [
  ['vendored', VENDORED],
  ...(sharedPresent ? [['shared', SHARED] as [string, string]] : []),
];

/** model_signing's test runs, as `verify-model` arguments, from the goldens' folder. */
const GOLDENS: { name: string; args: string[] }[] = [
  ...['v1.0.0', 'v1.0.1', 'v1.1.0'].map((version) => ({
    name: `${version}-certificate`,
    args: [
      `./${version}-certificate/`,
      ...(version === 'v1.0.0' ? [] : ['--ignore-paths', `./${version}-certificate/ignore-me`]),
      '--signature',
      `./${version}-certificate/model.sig`,
      '--certificate-chain',
      './keys/ca-cert.pem',
    ],
  })),
  // v1.0.0's key signature is over the single file signme-1.
  {
    name: 'v1.0.0-elliptic-key',
    args: [
      './v1.0.0-elliptic-key/signme-1',
      '--signature',
      './v1.0.0-elliptic-key/model.sig',
      '--key',
      './keys/signing-key-pub.pem',
    ],
  },
  ...['v1.0.1', 'v1.1.0'].map((version) => ({
    name: `${version}-elliptic-key`,
    args: [
      `./${version}-elliptic-key`,
      '--ignore-paths',
      `./${version}-elliptic-key/ignore-me`,
      '--signature',
      `./${version}-elliptic-key/model.sig`,
      '--key',
      './keys/signing-key-pub.pem',
    ],
  })),
];

async function goldenPayload(root: string, name: string): Promise<ReturnType<typeof parseOmsStatement>> {
  const bundle = JSON.parse(await readFile(join(root, name, 'model.sig'), 'utf8')) as {
    dsseEnvelope: { payload: string };
  };
  return parseOmsStatement(Buffer.from(bundle.dsseEnvelope.payload, 'base64'), name);
}

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

/** A writable copy of the goldens in the temp repo, plus a P-256 key pair of ours. */
async function workingCopy(): Promise<string> {
  const root = join(repo.dir, 'goldens');
  await cp(VENDORED, root, { recursive: true });
  await chmodTree(root);
  return root;
}

async function chmodTree(root: string): Promise<void> {
  const { readdir } = await import('node:fs/promises');
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    await chmod(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
}

describe.each(SOURCES)("model_signing's golden signatures (%s copy)", (_label, root) => {
  it.each(GOLDENS)('$name verifies with verify-model', async ({ args }) => {
    const result = await runCli(['verify-model', ...args], root, repo.env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ok: .* file\(s\) match .*model\.sig, signed by /);
  });

  it('the v1.1.0 certificate signature names its chain and subject in --json', async () => {
    const golden = GOLDENS.find((entry) => entry.name === 'v1.1.0-certificate')!;
    const result = await runCli(['verify-model', ...golden.args, '--json'], root, repo.env);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as {
      subject: { name: string; sha256: string };
      files: number;
      signer: { kind: string; issuer: string };
    };
    expect(json.subject).toEqual({
      name: 'v1.1.0-certificate',
      sha256: '61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226',
    });
    expect(json.files).toBe(2);
    expect(json.signer).toMatchObject({ kind: 'certificate-chain', issuer: 'CN=root-ca' });
  });
});

(sharedPresent ? it : it.skip)('the vendored goldens are byte for byte those in ../shared', async () => {
  const { readdir } = await import('node:fs/promises');
  const list = async (root: string): Promise<string[]> =>
    (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(root.length))
      .sort();
  const shared = await list(SHARED);
  // The vendored copy adds the licence, a README, the keyless goldens and their trusted root.
  const extra = /^(LICENSE|README\.md|public-good-trusted-root\.json|v[\d.]+-sigstore\/.*)$/;
  expect((await list(VENDORED)).filter((path) => !extra.test(path))).toEqual(shared);
  for (const path of shared)
    expect(await readFile(join(VENDORED, path))).toEqual(await readFile(join(SHARED, path)));
});

describe("model_signing's keyless goldens (public-good Sigstore, vendored)", () => {
  const IDENTITY = [
    '--certificate-identity',
    'stefanb@us.ibm.com',
    '--certificate-oidc-issuer',
    'https://sigstore.verify.ibm.com/oauth2',
  ];
  const ROOT = ['--trusted-root', join(VENDORED, 'public-good-trusted-root.json')];

  it.each(['v1.0.0', 'v1.0.1', 'v1.1.0'])(
    '%s verifies by identity, from above and from inside the model',
    async (version) => {
      const ignore = version === 'v1.0.0' ? [] : ['--ignore-paths', `./${version}-sigstore/ignore-me`];
      const above = await runCli(
        [
          'verify-model',
          `./${version}-sigstore/`,
          ...ignore,
          '--signature',
          `./${version}-sigstore/model.sig`,
          ...IDENTITY,
          ...ROOT,
        ],
        VENDORED,
        repo.env,
      );
      expect(above.stderr).toBe('');
      expect(above.status).toBe(0);
      expect(above.stdout).toContain(
        'signed by stefanb@us.ibm.com (issuer https://sigstore.verify.ibm.com/oauth2)',
      );
      const inside = await runCli(
        [
          'verify-model',
          '.',
          ...(version === 'v1.0.0' ? [] : ['--ignore-paths', 'ignore-me']),
          '--signature',
          'model.sig',
          ...IDENTITY,
          ...ROOT,
        ],
        join(VENDORED, `${version}-sigstore`),
        repo.env,
      );
      expect(inside.stderr).toBe('');
      expect(inside.status).toBe(0);
    },
  );

  it('another identity fails', async () => {
    const result = await runCli(
      [
        'verify-model',
        './v1.1.0-sigstore/',
        '--signature',
        './v1.1.0-sigstore/model.sig',
        '--certificate-identity',
        'mallory@example.org',
        '--certificate-oidc-issuer',
        'https://sigstore.verify.ibm.com/oauth2',
        ...ROOT,
      ],
      VENDORED,
      repo.env,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/signed by stefanb@us\.ibm\.com, expected mallory@example\.org/);
  });
});

describe('signing the golden directories gives their resources and subject digests', () => {
  it.each(['v1.0.1-elliptic-key', 'v1.1.0-elliptic-key', 'v1.0.0-certificate', 'v1.1.0-certificate'])(
    '%s',
    async (name) => {
      const root = await workingCopy();
      await runCli(['keygen', '--out', 'ours'], repo.dir, repo.env);
      const out = join(repo.dir, `${name}.sig`);
      const result = await runCli(
        [
          'sign-model',
          join(root, name),
          '--key',
          'ours.key.pem',
          '--ignore-paths',
          join(root, name, 'ignore-me'),
          '--ignore-paths',
          join(root, name, 'model.sig'),
          '--out',
          out,
          '--json',
        ],
        repo.dir,
        repo.env,
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const golden = await goldenPayload(root, name);
      const ours = parseOmsStatement(
        Buffer.from(
          (JSON.parse(await readFile(out, 'utf8')) as { dsseEnvelope: { payload: string } }).dsseEnvelope
            .payload,
          'base64',
        ),
        out,
      );
      expect(ours.resources).toEqual(golden.resources);
      expect(ours.subjectDigest).toBe(golden.subjectDigest);
      expect(ours.modelName).toBe(golden.modelName);
      // As model_signing v1.1 records them: the ignored file, the signature, git's files.
      expect(ours.serialization.ignore_paths).toEqual([
        '.git',
        '.gitattributes',
        '.github',
        '.gitignore',
        'ignore-me',
        'model.sig',
      ]);
      if (golden.serialization.ignore_paths) {
        expect(ours.serialization.ignore_paths).toEqual([...golden.serialization.ignore_paths].sort());
      }
      // And ours verifies with our own verifier, from the directory, with our public key.
      const verified = await runCli(
        ['verify-model', join(root, name), '--signature', out, '--key', 'ours.pub.pem'],
        repo.dir,
        repo.env,
      );
      expect(verified.stderr).toBe('');
      expect(verified.status).toBe(0);
    },
  );

  it('signs a single file as model_signing does (resource ".", subject the file name)', async () => {
    const root = await workingCopy();
    await runCli(['keygen', '--out', 'ours'], repo.dir, repo.env);
    const result = await runCli(
      [
        'sign-model',
        join(root, 'v1.0.0-elliptic-key', 'signme-1'),
        '--key',
        'ours.key.pem',
        '--out',
        'file.sig',
        '--json',
      ],
      repo.dir,
      repo.env,
    );
    expect(result.status).toBe(0);
    const golden = await goldenPayload(root, 'v1.0.0-elliptic-key');
    const ours = JSON.parse(result.stdout) as { resources: unknown; subjectDigest: string; model: string };
    expect(ours.resources).toEqual(golden.resources);
    expect(ours.subjectDigest).toBe(golden.subjectDigest);
    expect(ours.model).toBe('signme-1');
  });
});

describe('tampered models and wrong signers fail with exit 1, naming what differs', () => {
  const KEY_ARGS = (root: string): string[] => [
    join(root, 'v1.1.0-elliptic-key'),
    '--ignore-paths',
    join(root, 'v1.1.0-elliptic-key', 'ignore-me'),
    '--signature',
    join(root, 'v1.1.0-elliptic-key', 'model.sig'),
    '--key',
    join(root, 'keys', 'signing-key-pub.pem'),
  ];
  const CERT_ARGS = (root: string, ca = 'ca-cert.pem'): string[] => [
    join(root, 'v1.1.0-certificate'),
    '--signature',
    join(root, 'v1.1.0-certificate', 'model.sig'),
    '--certificate-chain',
    join(root, 'keys', ca),
  ];

  it('a changed file', async () => {
    const root = await workingCopy();
    await appendFile(join(root, 'v1.1.0-elliptic-key', 'signme-2'), 'x');
    const result = await runCli(['verify-model', ...KEY_ARGS(root)], repo.dir, repo.env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /does not match its signature: changed: signme-2 \(signed 32dcb1f8e1ae…, found [0-9a-f]{12}…\)/,
    );
  });

  it('an added file (also in a certificate-signed model)', async () => {
    const root = await workingCopy();
    await mkdir(join(root, 'v1.1.0-certificate', 'extra'));
    await writeFile(join(root, 'v1.1.0-certificate', 'extra', 'payload.bin'), 'surprise');
    const result = await runCli(['verify-model', ...CERT_ARGS(root)], repo.dir, repo.env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not signed \(added\): extra\/payload\.bin/);
  });

  it('an added symlink', async () => {
    const root = await workingCopy();
    const { symlink } = await import('node:fs/promises');
    await symlink('signme-1', join(root, 'v1.1.0-elliptic-key', 'alias'));
    const result = await runCli(['verify-model', ...KEY_ARGS(root)], repo.dir, repo.env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not signed \(added\): alias \(symlink\)/);
  });

  it('a removed file', async () => {
    const root = await workingCopy();
    await rm(join(root, 'v1.1.0-elliptic-key', 'signme-1'));
    const result = await runCli(['verify-model', ...KEY_ARGS(root), '--json'], repo.dir, repo.env);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, problem: 'ARTIFACT_MISMATCH' });
    expect(result.stderr).toMatch(/missing \(removed\): signme-1/);
  });

  it('a file the signature does not ignore, once the ignore flag is dropped (v1.0.1 records no ignore paths)', async () => {
    const root = await workingCopy();
    const args = [
      'verify-model',
      join(root, 'v1.0.1-elliptic-key'),
      '--signature',
      join(root, 'v1.0.1-elliptic-key', 'model.sig'),
      '--key',
      join(root, 'keys', 'signing-key-pub.pem'),
    ];
    const result = await runCli(args, repo.dir, repo.env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not signed \(added\): ignore-me/);
  });

  it('a directory checked against a single-file signature says which file it signs', async () => {
    const root = await workingCopy();
    const result = await runCli(
      [
        'verify-model',
        join(root, 'v1.0.0-elliptic-key'),
        '--signature',
        join(root, 'v1.0.0-elliptic-key', 'model.sig'),
        '--key',
        join(root, 'keys', 'signing-key-pub.pem'),
      ],
      repo.dir,
      repo.env,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /signs a single file \(signme-1\), and .*v1\.0\.0-elliptic-key is a directory — verify the file: .*v1\.0\.0-elliptic-key\/signme-1/,
    );
  });

  it('a wrong key', async () => {
    const root = await workingCopy();
    await runCli(['keygen', '--out', 'other'], repo.dir, repo.env);
    const args = KEY_ARGS(root);
    args[args.length - 1] = join(repo.dir, 'other.pub.pem');
    const result = await runCli(['verify-model', ...args], repo.dir, repo.env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/is signed by key e8450dec4eb9[0-9a-f]+, not by the given key/);
  });

  it('a wrong key with no hint still fails on the signature', async () => {
    const root = await workingCopy();
    const sig = join(root, 'v1.1.0-elliptic-key', 'model.sig');
    const bundle = JSON.parse(await readFile(sig, 'utf8')) as {
      verificationMaterial: { publicKey: { hint: string } };
    };
    bundle.verificationMaterial.publicKey.hint = '';
    await writeFile(sig, JSON.stringify(bundle));
    await runCli(['keygen', '--out', 'other'], repo.dir, repo.env);
    const args = KEY_ARGS(root);
    args[args.length - 1] = join(repo.dir, 'other.pub.pem');
    const result = await runCli(['verify-model', ...args], repo.dir, repo.env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/signature does not verify with the given public key/);
  });

  it('a certificate chain to another CA (the signing certificate itself is no CA)', async () => {
    const root = await workingCopy();
    const result = await runCli(
      ['verify-model', ...CERT_ARGS(root, 'signing-key-cert.pem')],
      repo.dir,
      repo.env,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/certificate chain does not lead to a given CA/);
  });

  it('a key signature checked as a certificate signature, and the reverse', async () => {
    const root = await workingCopy();
    const asCertificate = await runCli(
      [
        'verify-model',
        join(root, 'v1.1.0-elliptic-key'),
        '--signature',
        join(root, 'v1.1.0-elliptic-key', 'model.sig'),
        '--certificate-chain',
        join(root, 'keys', 'ca-cert.pem'),
      ],
      repo.dir,
      repo.env,
    );
    expect(asCertificate.status).toBe(1);
    expect(asCertificate.stderr).toMatch(/is signed with a public key, not a certificate/);
    const asKey = await runCli(
      [
        'verify-model',
        join(root, 'v1.1.0-certificate'),
        '--signature',
        join(root, 'v1.1.0-certificate', 'model.sig'),
        '--key',
        join(root, 'keys', 'signing-key-pub.pem'),
      ],
      repo.dir,
      repo.env,
    );
    expect(asKey.status).toBe(1);
    expect(asKey.stderr).toMatch(/is signed with a certificate, not a key/);
  });

  it('an edited statement (a resource digest changed, signature kept)', async () => {
    const root = await workingCopy();
    const sig = join(root, 'v1.1.0-elliptic-key', 'model.sig');
    const bundle = JSON.parse(await readFile(sig, 'utf8')) as { dsseEnvelope: { payload: string } };
    const text = Buffer.from(bundle.dsseEnvelope.payload, 'base64')
      .toString('utf8')
      .replace('bc9a717d', 'bc9a717e');
    bundle.dsseEnvelope.payload = Buffer.from(text).toString('base64');
    await writeFile(sig, JSON.stringify(bundle));
    const result = await runCli(['verify-model', ...KEY_ARGS(root)], repo.dir, repo.env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/signature does not verify/);
  });

  it('bad usage exits 2', async () => {
    const root = await workingCopy();
    const none = await runCli(
      [
        'verify-model',
        join(root, 'v1.1.0-certificate'),
        '--signature',
        join(root, 'v1.1.0-certificate', 'model.sig'),
      ],
      repo.dir,
      repo.env,
    );
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/say who must have signed/);
    const badCa = await runCli(
      ['verify-model', ...CERT_ARGS(root, 'signing-key-pub.pem')],
      repo.dir,
      repo.env,
    );
    expect(badCa.status).toBe(2);
    expect(badCa.stderr).toMatch(/holds no PEM certificate/);
  });
});

describe('signing what a record already hashed', () => {
  it('reads no file again when the digests are known, and gives the same manifest', async () => {
    await repo.write('model/config.json', '{"layers": 2}\n');
    await repo.write('model/weights/a.bin', 'aaaa');
    await repo.write('model/weights-b.bin', 'bbbb');
    await runCli(['keygen', '--out', 'team'], repo.dir, repo.env);
    const signer = new KeySigner(await loadPrivateKey(join(repo.dir, 'team.key.pem')));
    const directory = await hashDirectory(join(repo.dir, 'model'), 'model', { noCache: true });
    const known = new Map(directory.files.map((file) => [file.path, file.sha256]));
    const reused = await signModelDirectory({
      path: join(repo.dir, 'model'),
      signer,
      knownDigests: known,
      hash: { noCache: true },
    });
    expect(reused.stats).toMatchObject({ files: 3, known: 3, hashed: { files: 0, bytes: 0 } });
    const fresh = await signModelDirectory({
      path: join(repo.dir, 'model'),
      signer,
      hash: { noCache: true },
    });
    expect(fresh.stats).toMatchObject({ files: 3, known: 0, hashed: { files: 3 } });
    expect(reused.manifest).toEqual(fresh.manifest);
    // model_signing's order: path components first, so weights/a.bin before weights-b.bin.
    expect(fresh.manifest.resources.map((resource) => resource.name)).toEqual([
      'config.json',
      'weights/a.bin',
      'weights-b.bin',
    ]);
    expect(reused.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Kept beside the record, named by its digest.
    const attachment = modelSignatureAttachment(reused);
    expect(attachment.name).toBe(`${reused.sha256}.model.sig`);
    expect(createHash('sha256').update(attachment.content).digest('hex')).toBe(reused.sha256);
  });

  it('orders names as Python orders PurePosixPath', () => {
    const names = ['b', 'a-c', 'a/b', 'a', 'A', 'a/b/c', '\u{1F600}', '\uFFFD'];
    expect([...names].sort(compareResourceNames)).toEqual([
      'A',
      'a',
      'a/b',
      'a/b/c',
      'a-c',
      'b',
      '\uFFFD',
      '\u{1F600}',
    ]);
  });

  it('refuses symlinks in the model unless ignored', async () => {
    const { symlink } = await import('node:fs/promises');
    await repo.write('model/w.bin', 'w');
    await symlink('w.bin', join(repo.dir, 'model', 'alias.bin'));
    await runCli(['keygen', '--out', 'team'], repo.dir, repo.env);
    const refused = await runCli(
      ['sign-model', 'model', '--key', 'team.key.pem', '--out', 'm.sig'],
      repo.dir,
      repo.env,
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/model\/alias\.bin: is a symlink/);
    const ignored = await runCli(
      ['sign-model', 'model', '--key', 'team.key.pem', '--out', 'm.sig', '--ignore-paths', 'model/alias.bin'],
      repo.dir,
      repo.env,
    );
    expect(ignored.status).toBe(0);
    // --allow-symlinks: the link is signed as its target, and the signature says so.
    const followed = await runCli(
      ['sign-model', 'model', '--key', 'team.key.pem', '--out', 'm.sig', '--allow-symlinks', '--json'],
      repo.dir,
      repo.env,
    );
    expect(followed.stderr).toBe('');
    expect(followed.status).toBe(0);
    const signed = JSON.parse(followed.stdout) as {
      resources: { name: string; digest: string }[];
      serialization: { allow_symlinks: boolean };
    };
    expect(signed.serialization.allow_symlinks).toBe(true);
    expect(signed.resources.map((resource) => resource.name)).toEqual(['alias.bin', 'w.bin']);
    expect(signed.resources[0]?.digest).toBe(signed.resources[1]?.digest);
    const verify = () =>
      runCli(['verify-model', 'model', '--signature', 'm.sig', '--key', 'team.pub.pem'], repo.dir, repo.env);
    expect((await verify()).status).toBe(0);
    await writeFile(join(repo.dir, 'model', 'w.bin'), 'changed');
    const changed = await verify();
    expect(changed.status).toBe(1);
    expect(changed.stderr).toMatch(/changed: alias\.bin .*, w\.bin/);
  });
});

describe('keyless model signatures through a loopback Sigstore', () => {
  let stack: SigstoreStack;
  beforeAll(async () => {
    stack = await startSigstoreStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('signs with a Fulcio certificate and verifies by identity; another identity fails', async () => {
    const subject = 'https://github.com/acme/fraud-model/.github/workflows/release.yml@refs/heads/main';
    await repo.write('model/w.bin', 'weights');
    const env = { ...repo.env, SIGSTORE_ID_TOKEN: await stack.token({ sub: subject }) };
    const signed = await runCli(
      [
        'sign-model',
        'model',
        '--keyless',
        '--fulcio-url',
        stack.fulcioUrl,
        '--rekor-url',
        stack.rekorUrl,
        '--tsa-url',
        stack.tsaUrl,
        '--out',
        'model/model.sig',
      ],
      repo.dir,
      env,
    );
    expect(signed.stderr).toMatch(/notice: signing keyless/);
    expect(signed.status).toBe(0);
    const verify = (identity: string) =>
      runCli(
        [
          'verify-model',
          'model',
          '--signature',
          'model/model.sig',
          '--certificate-identity',
          identity,
          '--certificate-oidc-issuer',
          DEFAULT_ISSUER,
          '--trusted-root',
          stack.trustedRootFile,
        ],
        repo.dir,
        repo.env,
      );
    const ok = await verify(subject);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`signed by ${subject}`);
    const other = await verify(
      'https://github.com/acme/fraud-model/.github/workflows/train.yml@refs/heads/dev',
    );
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(
      /expected https:\/\/github\.com\/acme\/fraud-model\/\.github\/workflows\/train\.yml/,
    );
  });
});
