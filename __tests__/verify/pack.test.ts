/**
 * The signed manifest of an evidence pack, checked in process on real files in a temp dir: a
 * manifest signed with real P-256 keys (KeySigner, as `export --sign-key` signs it) over every
 * file, then each way the pack or the manifest can be wrong — with the problem or error it gives.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { LedgerError } from '../../src/errors.js';
import { KeySigner } from '../../src/sign/key-signer.js';
import { generateKeyPair, keyHint, keyRing } from '../../src/sign/keys.js';
import {
  PACK_MANIFEST_FILE,
  PACK_PREDICATE_TYPE,
  packManifestPayload,
  verifyEvidencePack,
  verifyPackManifest,
  type PackPredicate,
} from '../../src/verify/pack.js';
import { VerificationFailure } from '../../src/verify/problems.js';
import type { TempRepo } from '../support/repo.js';
import { createKeyLedger, LEDGER_KEY, LEDGER_PUBLIC_KEY } from '../support/signed-ledger.js';

const STATEMENT = 'https://in-toto.io/Statement/v1';
const PREDICATE: PackPredicate = {
  origin: 'github.com/acme/model#main',
  range: { from: 0, to: 0 },
  records: 1,
  checkpoint: null,
  generatedAt: '2026-01-01T00:00:00.000Z',
  tool: { name: 'model-ledger', version: '0.1.0' },
};

const team = generateKeyPair();
const other = generateKeyPair();
const teamSigner = new KeySigner(createPrivateKey(team.privateKeyPem));
const otherSigner = new KeySigner(createPrivateKey(other.privateKeyPem));
const teamHint = keyHint(createPublicKey(team.publicKeyPem));
const trust = () => ({ keys: keyRing([team.publicKeyPem, other.publicKeyPem]) });

const temporary: string[] = [];
let ledgerRepo: TempRepo;

beforeAll(async () => {
  ledgerRepo = await createKeyLedger(1);
}, 60_000);
afterAll(async () => {
  await ledgerRepo?.cleanup();
  for (const dir of temporary) await rm(dir, { recursive: true, force: true });
});

const FILES: Record<string, string> = {
  'index.json': '{"records":1}\n',
  'report.html': '<html>report</html>\n',
  SHA256SUMS: 'sums\n',
  'ledger/000000-abc.sigstore.json': '{"bundle":0}\n',
};

/** A pack dir holding `files`, and a manifest over them signed by `signer` (of `payload` if given). */
async function pack(
  options: { signer?: KeySigner; payload?: Buffer; files?: Record<string, string> } = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'model-ledger-pack-'));
  temporary.push(dir);
  const files = new Map<string, Buffer>();
  for (const [name, text] of Object.entries(options.files ?? FILES)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
    files.set(name, Buffer.from(text));
  }
  const payload = options.payload ?? packManifestPayload(files, PREDICATE);
  const bundle = await (options.signer ?? teamSigner).signStatement(payload);
  await writeFile(join(dir, PACK_MANIFEST_FILE), `${JSON.stringify(bundle, null, 2)}\n`);
  return dir;
}

const statement = (edit: (value: Record<string, unknown>) => void): Buffer => {
  const value = JSON.parse(
    packManifestPayload(
      new Map([['index.json', Buffer.from(FILES['index.json'] as string)]]),
      PREDICATE,
    ).toString('utf8'),
  ) as Record<string, unknown>;
  edit(value);
  return Buffer.from(JSON.stringify(value));
};

async function failure(promise: Promise<unknown>): Promise<VerificationFailure> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(VerificationFailure);
  return caught as VerificationFailure;
}

describe('packManifestPayload', () => {
  it('lists every file but the manifest, sorted, with its sha256', () => {
    const files = new Map<string, Buffer>([
      ['b.txt', Buffer.from('b')],
      [PACK_MANIFEST_FILE, Buffer.from('{}')],
      ['a.txt', Buffer.from('a')],
      ['a.txt2', Buffer.from('a2')],
    ]);
    const payload = packManifestPayload(files, PREDICATE);
    expect(payload.toString('utf8').endsWith('}\n')).toBe(true);
    const value = JSON.parse(payload.toString('utf8')) as {
      _type: string;
      predicateType: string;
      subject: { name: string; digest: { sha256: string } }[];
      predicate: PackPredicate;
    };
    expect(value._type).toBe(STATEMENT);
    expect(value.predicateType).toBe(PACK_PREDICATE_TYPE);
    expect(value.predicate).toEqual(PREDICATE);
    expect(value.subject).toEqual([
      { name: 'a.txt', digest: { sha256: createHash('sha256').update('a').digest('hex') } },
      { name: 'a.txt2', digest: { sha256: createHash('sha256').update('a2').digest('hex') } },
      { name: 'b.txt', digest: { sha256: createHash('sha256').update('b').digest('hex') } },
    ]);
  });

  it('sorts the files whatever order they are given in', () => {
    const names = [
      'report.html',
      'index.json',
      'ledger/000001-b.sigstore.json',
      'SHA256SUMS',
      'ledger/000000-a.sigstore.json',
    ];
    const sorted = [...names].sort();
    for (const order of [names, [...sorted].reverse(), sorted]) {
      const files = new Map(order.map((name) => [name, Buffer.from(name)]));
      const { subject } = JSON.parse(packManifestPayload(files, PREDICATE).toString('utf8')) as {
        subject: { name: string }[];
      };
      expect(subject.map((entry) => entry.name)).toEqual(sorted);
    }
  });
});

describe('verifyPackManifest', () => {
  it('passes an intact pack signed by the pinned key', async () => {
    const dir = await pack();
    const check = await verifyPackManifest({
      dir,
      trust: trust(),
      pinned: { kind: 'key', keyHint: teamHint },
    });
    expect(check.problems).toEqual([]);
    expect(check.files).toBe(4);
    expect(check.predicate).toEqual(PREDICATE);
    expect(check.signer).toMatchObject({ kind: 'key', keyHint: teamHint });
  });

  it('names each file edited, removed, replaced by a directory or added after signing', async () => {
    const dir = await pack();
    await writeFile(join(dir, 'report.html'), '<html>edited</html>\n');
    await rm(join(dir, 'index.json'));
    await rm(join(dir, 'SHA256SUMS'));
    await mkdir(join(dir, 'SHA256SUMS'));
    await writeFile(join(dir, 'ledger', 'extra.json'), '{}\n');
    await symlink('report.html', join(dir, 'link.html'));
    const check = await verifyPackManifest({ dir, trust: trust(), pinned: null });
    expect(check.files).toBe(4);
    expect(check.problems.map(({ code, file, index }) => [code, file, index])).toEqual([
      ['ARTIFACT_MISSING', 'SHA256SUMS', null],
      ['ARTIFACT_MISSING', 'index.json', null],
      ['ARTIFACT_MISMATCH', 'report.html', null],
      ['ARTIFACT_MISMATCH', 'ledger/extra.json', null],
      ['ARTIFACT_MISMATCH', 'link.html', null],
    ]);
    const [directory, removed, edited, added] = check.problems.map((problem) => problem.message);
    expect(directory).toBe(
      'SHA256SUMS is listed in the signed manifest but is not a regular file of the pack that can be read',
    );
    expect(removed).toBe(
      'index.json is listed in the signed manifest but is not in the pack: it was removed after signing',
    );
    expect(edited).toMatch(
      /^report\.html has sha256 [0-9a-f]{64}, the signed manifest says [0-9a-f]{64}: it was changed after the pack was signed$/,
    );
    expect(added).toBe(
      'ledger/extra.json is in the pack but not in its signed manifest: it was added after signing',
    );
  });

  it('refuses a manifest signed by another key than record 0 pins', async () => {
    const dir = await pack({ signer: otherSigner });
    const error = await failure(
      verifyPackManifest({ dir, trust: trust(), pinned: { kind: 'key', keyHint: teamHint } }),
    );
    expect(error.problem).toBe('SIGNER_CHANGED');
    expect(error.message).toContain(
      `is signed by key ${otherSigner.hint.slice(0, 16)}…, not by the signer of record 0, key ${teamHint.slice(0, 16)}…: the pack was not made by the ledger's signer`,
    );
  });

  it('refuses a key-signed manifest when record 0 pins a certificate identity', async () => {
    const dir = await pack();
    const pinned = {
      kind: 'identity' as const,
      identity: 'https://github.com/acme/model/.github/workflows/release.yml@refs/heads/main',
      issuer: 'https://token.actions.githubusercontent.com',
    };
    const error = await failure(verifyPackManifest({ dir, trust: trust(), pinned }));
    expect(error.problem).toBe('SIGNER_CHANGED');
    expect(error.message).toContain(`not by the signer of record 0, ${pinned.identity} (${pinned.issuer})`);
  });

  it('refuses a manifest no trusted key signed', async () => {
    const dir = await pack({ signer: otherSigner });
    const error = await failure(
      verifyPackManifest({ dir, trust: { keys: keyRing([team.publicKeyPem]) }, pinned: null }),
    );
    expect(error.message).toMatch(/MANIFEST\.sigstore\.json/);
  });

  it('throws VERIFICATION_FAILED for a pack without a manifest', async () => {
    const dir = await pack();
    await rm(join(dir, PACK_MANIFEST_FILE));
    await expect(verifyPackManifest({ dir, trust: trust(), pinned: null })).rejects.toMatchObject({
      code: 'VERIFICATION_FAILED',
    });
    await expect(verifyPackManifest({ dir, trust: trust(), pinned: null })).rejects.toBeInstanceOf(
      LedgerError,
    );
  });

  it('refuses a manifest that is not JSON, or not a bundle of a DSSE envelope', async () => {
    const dir = await pack();
    await writeFile(join(dir, PACK_MANIFEST_FILE), '{ not json');
    const notJson = await failure(verifyPackManifest({ dir, trust: trust(), pinned: null }));
    expect(notJson.problem).toBe('CORRUPT');
    expect(notJson.message).toMatch(/is not JSON/);

    const bundle = JSON.parse(await readFile(join(await pack(), PACK_MANIFEST_FILE), 'utf8')) as Record<
      string,
      unknown
    >;
    delete bundle.dsseEnvelope;
    await writeFile(join(dir, PACK_MANIFEST_FILE), JSON.stringify(bundle));
    const noEnvelope = await failure(verifyPackManifest({ dir, trust: trust(), pinned: null }));
    expect(noEnvelope.message).toMatch(/MANIFEST\.sigstore\.json/);
  });

  const bad: [string, Buffer, RegExp, string][] = [
    ['a payload that is not JSON', Buffer.from('{ nope'), /signs a payload that is not JSON/, 'SCHEMA'],
    ['a list', Buffer.from('[]'), /whose payload is not an object/, 'SCHEMA'],
    ['null', Buffer.from('null'), /whose payload is not an object/, 'SCHEMA'],
    [
      'another _type',
      statement((s) => (s._type = 'x')),
      /whose _type is not https:\/\/in-toto\.io/,
      'SCHEMA',
    ],
    [
      'another predicate type',
      statement((s) => (s.predicateType = 'https://model-ledger.dev/record/v1')),
      /whose predicateType is not https:\/\/model-ledger\.dev\/evidence-pack\/v1/,
      'SCHEMA',
    ],
    [
      'subjects that are not a list',
      statement((s) => (s.subject = {})),
      /whose subject is not a list/,
      'SCHEMA',
    ],
    ...['../outside', '/etc/passwd', 'a//b', './a', 'a\\b', '', 'a\0b', 'x'.repeat(4097)].map(
      (name): [string, Buffer, RegExp, string] => [
        `a subject path ${JSON.stringify(name.slice(0, 20))}`,
        statement((s) => (s.subject = [{ name, digest: { sha256: 'a'.repeat(64) } }])),
        /whose subject\[0\]\.name is not a path inside the pack/,
        'SCHEMA',
      ],
    ),
    [
      'a subject that is null',
      statement((s) => (s.subject = [null])),
      /whose subject\[0\]\.name is not a path inside the pack/,
      'SCHEMA',
    ],
    [
      'a digest that is not sha256 hex',
      statement((s) => (s.subject = [{ name: 'index.json', digest: { sha256: 'A'.repeat(64) } }])),
      /whose subject\[0\]\.digest\.sha256 is not a sha256 digest/,
      'SCHEMA',
    ],
    [
      'no digest',
      statement((s) => (s.subject = [{ name: 'index.json' }])),
      /whose subject\[0\]\.digest\.sha256 is not a sha256 digest/,
      'SCHEMA',
    ],
    [
      'a file listed twice',
      statement(
        (s) =>
          (s.subject = [
            { name: 'index.json', digest: { sha256: 'a'.repeat(64) } },
            { name: 'index.json', digest: { sha256: 'b'.repeat(64) } },
          ]),
      ),
      /whose subject\[1\]\.name names a file twice/,
      'SCHEMA',
    ],
    ['no predicate', statement((s) => delete s.predicate), /whose predicate is not an object/, 'SCHEMA'],
    [
      'a null predicate',
      statement((s) => (s.predicate = null)),
      /whose predicate is not an object/,
      'SCHEMA',
    ],
  ];
  it.each(bad)('refuses a manifest that signs %s', async (_name, payload, message, problem) => {
    const dir = await pack({ payload });
    const error = await failure(verifyPackManifest({ dir, trust: trust(), pinned: null }));
    expect(error.problem).toBe(problem);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/MANIFEST\.sigstore\.json/);
  });
});

describe('verifyEvidencePack', () => {
  /** A pack whose ledger/ is the CLI-made ledger of one record, and its manifest signed by `signer`. */
  async function ledgerPack(signer: KeySigner): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'model-ledger-evidence-'));
    temporary.push(dir);
    await cp(join(ledgerRepo.dir, '.model-ledger'), join(dir, 'ledger'), { recursive: true });
    await writeFile(join(dir, 'index.json'), FILES['index.json'] as string);
    const { readdir } = await import('node:fs/promises');
    const files = new Map<string, Buffer>();
    const walk = async (at: string, prefix: string): Promise<void> => {
      for (const entry of await readdir(at, { withFileTypes: true })) {
        const name = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await walk(join(at, entry.name), name);
        else files.set(name, await readFile(join(at, entry.name)));
      }
    };
    await walk(dir, '');
    const bundle = await signer.signStatement(packManifestPayload(files, PREDICATE));
    await writeFile(join(dir, PACK_MANIFEST_FILE), `${JSON.stringify(bundle, null, 2)}\n`);
    return dir;
  }

  const ledgerSigner = async () =>
    new KeySigner(createPrivateKey(await readFile(join(ledgerRepo.dir, LEDGER_KEY), 'utf8')));

  it("passes a pack signed by the ledger's signer, with its ledger's trust", async () => {
    const dir = await ledgerPack(await ledgerSigner());
    let loaded = 0;
    const result = await verifyEvidencePack({
      dir,
      loadTrustedRoot: () => {
        loaded += 1;
        return Promise.resolve({});
      },
    });
    expect(result.problems).toEqual([]);
    expect(result.manifest?.problems).toEqual([]);
    expect(result.manifest?.signer).toMatchObject({ kind: 'key', keyHint: (await ledgerSigner()).hint });
    // A key-signed manifest needs no trusted root.
    expect(loaded).toBe(0);
  });

  it('reports a pack signed by another key, unless that key is the one trusted', async () => {
    const dir = await ledgerPack(teamSigner);
    const result = await verifyEvidencePack({ dir });
    expect(result.manifest).toBeNull();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ index: null, file: PACK_MANIFEST_FILE });
    expect(result.problems[0]?.message).toMatch(/^MANIFEST\.sigstore\.json/);

    const trusted = await verifyEvidencePack({
      dir,
      trustedKeys: [team.publicKeyPem, await readFile(join(ledgerRepo.dir, LEDGER_PUBLIC_KEY), 'utf8')],
    });
    expect(trusted.problems).toEqual([]);
    expect(trusted.manifest?.files).toBeGreaterThan(1);
  });

  it('reports a pinned-signer change as SIGNER_CHANGED when both keys are in the ledger', async () => {
    const dir = await ledgerPack(teamSigner);
    // Keys are stored under their hint; a second trusted key is not the pinned one.
    await writeFile(join(dir, 'ledger', 'keys', `${teamSigner.hint}.pub.pem`), team.publicKeyPem);
    const result = await verifyEvidencePack({ dir });
    expect(result.manifest).toBeNull();
    expect(result.problems.map((problem) => problem.code)).toEqual(['SIGNER_CHANGED']);
  });

  it('reports a tampered file of the pack as a problem, not a throw', async () => {
    const dir = await ledgerPack(await ledgerSigner());
    await writeFile(join(dir, 'index.json'), '{"records":2}\n');
    const result = await verifyEvidencePack({ dir });
    expect(result.manifest).not.toBeNull();
    expect(result.problems.map(({ code, file }) => [code, file])).toEqual([
      ['ARTIFACT_MISMATCH', 'index.json'],
    ]);
  });

  it('reports a pack without a manifest, or with one that is not a file', async () => {
    const dir = await ledgerPack(await ledgerSigner());
    await rm(join(dir, PACK_MANIFEST_FILE));
    const loadTrustedRoot = () => Promise.reject(new Error('not needed'));
    const missing = await verifyEvidencePack({ dir, loadTrustedRoot });
    expect(missing).toEqual({
      manifest: null,
      problems: [
        {
          code: 'ARTIFACT_MISSING',
          index: null,
          file: PACK_MANIFEST_FILE,
          message:
            'MANIFEST.sigstore.json does not exist: this pack has no signed manifest (it was exported without --sign-key or --sign-keyless, or the manifest was removed)',
        },
      ],
    });
    await mkdir(join(dir, PACK_MANIFEST_FILE));
    const directory = await verifyEvidencePack({ dir });
    expect(directory.problems).toEqual([
      {
        code: 'ARTIFACT_MISSING',
        index: null,
        file: PACK_MANIFEST_FILE,
        message: 'MANIFEST.sigstore.json cannot be read as a regular file of the pack',
      },
    ]);
  });

  it('loads the trusted root for a manifest that claims a certificate', async () => {
    const dir = await ledgerPack(await ledgerSigner());
    const bundle = JSON.parse(await readFile(join(dir, PACK_MANIFEST_FILE), 'utf8')) as {
      verificationMaterial: Record<string, unknown>;
    };
    const cert = Buffer.from('not a certificate').toString('base64');
    bundle.verificationMaterial = { certificate: { rawBytes: cert } };
    await writeFile(join(dir, PACK_MANIFEST_FILE), JSON.stringify(bundle));
    let loaded = 0;
    const result = await verifyEvidencePack({
      dir,
      loadTrustedRoot: () => {
        loaded += 1;
        return Promise.resolve({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' });
      },
    });
    expect(result.manifest).toBeNull();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.file).toBe(PACK_MANIFEST_FILE);
    expect(loaded).toBeLessThanOrEqual(1);
  });
});

describe('a keyless manifest', () => {
  const GH = fileURLToPath(new URL('../fixtures/sigstore-conformance/gh-cli/', import.meta.url));
  /** A DSSE bundle GitHub's release workflow signed keyless: here, a manifest by another signer. */
  const keylessBundle = readFileSync(join(GH, 'sigstore-js-2.1.0-bundle.json'));
  const trustedRoot = JSON.parse(readFileSync(join(GH, 'trusted_root.json'), 'utf8')) as unknown;
  const SAN = 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main';
  const GITHUB = 'https://token.actions.githubusercontent.com';

  async function keylessPack(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'model-ledger-keyless-pack-'));
    temporary.push(dir);
    await writeFile(join(dir, PACK_MANIFEST_FILE), keylessBundle);
    return dir;
  }

  it('signed by another identity or issuer than record 0 pins is refused, naming both', async () => {
    const dir = await keylessPack();
    const check = (pinned: { identity: string; issuer: string }) =>
      failure(
        verifyPackManifest({
          dir,
          trust: { trustedRoot, identity: { signerRepo: 'sigstore/sigstore-js' } },
          pinned: { kind: 'identity', ...pinned },
        }),
      );
    const other = 'https://github.com/acme/model/.github/workflows/release.yml@refs/heads/main';
    for (const pinned of [
      { identity: other, issuer: GITHUB },
      { identity: SAN, issuer: 'https://issuer.example' },
    ]) {
      const refused = await check(pinned);
      expect(refused.problem).toBe('SIGNER_CHANGED');
      expect(refused.message).toBe(
        `MANIFEST.sigstore.json: is signed by ${SAN} (${GITHUB}), not by the signer of record 0, ${pinned.identity} (${pinned.issuer}): the pack was not made by the ledger's signer`,
      );
    }
    // Signed by the pinned identity, it is read as a manifest — which this statement is not.
    const schema = await check({ identity: SAN, issuer: GITHUB });
    expect(schema.problem).toBe('SCHEMA');
    expect(schema.message).toBe(
      `MANIFEST.sigstore.json: predicateType: signs a statement whose predicateType is not ${PACK_PREDICATE_TYPE}`,
    );
  });

  it("loads the trusted root for it when the pack's ledger needs none, and needs an identity to check it", async () => {
    const dir = await keylessPack();
    let loaded = 0;
    const loadTrustedRoot = () => {
      loaded += 1;
      return Promise.resolve(trustedRoot);
    };
    const result = await verifyEvidencePack({
      dir,
      identity: { signerRepo: 'sigstore/sigstore-js' },
      loadTrustedRoot,
    });
    expect(loaded).toBe(1);
    expect(result).toEqual({
      manifest: null,
      problems: [
        {
          code: 'SCHEMA',
          index: null,
          file: PACK_MANIFEST_FILE,
          message: `MANIFEST.sigstore.json: predicateType: signs a statement whose predicateType is not ${PACK_PREDICATE_TYPE}`,
        },
      ],
    });
    // Without an identity, any signer would pass: a usage error, not a problem of the pack.
    const unchecked = verifyEvidencePack({ dir, loadTrustedRoot });
    await expect(unchecked).rejects.toBeInstanceOf(LedgerError);
    await expect(unchecked).rejects.toMatchObject({ code: 'USAGE', file: PACK_MANIFEST_FILE });
    expect(loaded).toBe(2);
  });
});
