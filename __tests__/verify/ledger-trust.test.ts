/**
 * The trust a ledger is verified with (whose keys, which identity, which trusted root), the
 * parsing of untrusted bundle JSON, and the key that signs a keyless ledger's checkpoints — on
 * real key-signed and keyless ledgers made through the CLI and a loopback Sigstore.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { KeylessSigner } from '../../src/sign/keyless.js';
import { generateKeyPair, keyHint } from '../../src/sign/keys.js';
import { requireIdentityProvider } from '../../src/sign/oidc.js';
import { LocalStore } from '../../src/store/local.js';
import type { RecordRef, StoredCheckpoint } from '../../src/store/types.js';
import { parseBundle } from '../../src/verify/bundle-parse.js';
import { keylessCheckpointKey } from '../../src/verify/checkpoint-signer.js';
import { VerificationFailure } from '../../src/verify/problems.js';
import { ledgerTrust } from '../../src/verify/trust.js';
import { runCli } from '../support/cli.js';
import { DEFAULT_ISSUER } from '../support/oidc.js';
import type { TempRepo } from '../support/repo.js';
import {
  createKeyLedger,
  createKeylessLedger,
  LEDGER_PUBLIC_KEY,
  storedRecord,
} from '../support/signed-ledger.js';
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore-stack.js';
import { refusal } from '../support/refusal.js';

const RELEASE = 'https://github.com/acme/model/.github/workflows/release.yml@refs/heads/main';
const NAME = 'github.com/acme/model#main';

let stack: SigstoreStack;
let keyRepo: TempRepo;
let keylessRepo: TempRepo;
let stampedRepo: TempRepo;

beforeAll(async () => {
  stack = await startSigstoreStack();
  keyRepo = await createKeyLedger(2);
  keylessRepo = await createKeylessLedger(stack, 2, RELEASE);
  stampedRepo = await createKeyLedger(0);
  await stampedRepo.write('model.bin', 'weights');
  stampedRepo.commit('train');
  const run = await runCli(
    ['record', '--key', 'keys/team.key.pem', '--tsa-url', stack.tsaUrl, '--models', 'model.bin'],
    stampedRepo.dir,
    stampedRepo.env,
  );
  if (run.status !== 0) throw new Error(run.stderr);
}, 120_000);
afterAll(async () => {
  await keyRepo?.cleanup();
  await keylessRepo?.cleanup();
  await stampedRepo?.cleanup();
  await stack?.close();
});

/** A store over `repo`'s ledger that counts how often each record is read. */
function countingStore(repo: TempRepo): { store: LocalStore; reads: Map<string, number> } {
  const store = new LocalStore(join(repo.dir, '.model-ledger'));
  const reads = new Map<string, number>();
  const get = store.get.bind(store);
  store.get = (ref: RecordRef) => {
    reads.set(ref.name, (reads.get(ref.name) ?? 0) + 1);
    return get(ref);
  };
  return { store, reads };
}

describe('the trust of a key-signed ledger', () => {
  it("trusts the ledger's own keys, pins record 0's key, and loads no trusted root", async () => {
    const { store } = countingStore(keyRepo);
    const refs = await store.list();
    const pub = createPublicKey(await readFile(join(keyRepo.dir, LEDGER_PUBLIC_KEY)));
    let loaded = 0;
    const { trust, pinned, claims } = await ledgerTrust(store, refs, {
      loadTrustedRoot: () => {
        loaded += 1;
        return Promise.resolve({});
      },
    });
    expect([...(trust.keys?.keys() ?? [])]).toEqual([keyHint(pub)]);
    expect(pinned).toEqual({ kind: 'key', keyHint: keyHint(pub) });
    expect(loaded).toBe(0);
    expect(trust.trustedRoot).toBeUndefined();
    expect(trust.identity).toBeUndefined();
    expect([...claims.keys()]).toEqual(refs.map((ref) => ref.name));
    expect([...claims.values()]).toEqual(refs.map(() => ({ kind: 'key', keyHint: keyHint(pub) })));
  });

  it('trusts exactly the keys it is given, and then pins none', async () => {
    const { store } = countingStore(keyRepo);
    const refs = await store.list();
    const other = generateKeyPair();
    const extra = generateKeyPair();
    const given = await ledgerTrust(store, refs, { trustedKeys: [other.publicKeyPem] }, [extra.publicKeyPem]);
    expect([...(given.trust.keys?.keys() ?? [])].sort()).toEqual(
      [keyHint(createPublicKey(other.publicKeyPem)), keyHint(createPublicKey(extra.publicKeyPem))].sort(),
    );
    expect(given.pinned).toBeNull();
    // With the ledger's own keys, the extra key is trusted besides them.
    const own = await ledgerTrust(store, refs, {}, [extra.publicKeyPem]);
    expect(own.trust.keys?.size).toBe(2);
    expect(own.pinned?.kind).toBe('key');
  });

  it('reuses the claims it is handed, reading only the records it has none for', async () => {
    const { store, reads } = countingStore(keyRepo);
    const refs = await store.list();
    const first = refs[0] as RecordRef;
    const known = new Map([[first.name, null]]);
    const { claims, pinned } = await ledgerTrust(store, refs, {}, [], known);
    expect(reads.get(first.name)).toBeUndefined();
    expect(reads.get((refs[1] as RecordRef).name)).toBe(1);
    expect(claims.get(first.name)).toBeNull();
    // Record 0's claim was known to be unreadable: nothing to pin.
    expect(pinned).toBeNull();
  });

  it('loads the trusted root for a key-signed ledger only when a record is timestamped', async () => {
    const { store } = countingStore(stampedRepo);
    const refs = await store.list();
    const root = { mediaType: 'a trusted root' };
    const { trust } = await ledgerTrust(store, refs, { loadTrustedRoot: () => Promise.resolve(root) });
    expect(trust.trustedRoot).toBe(root);
    // The same ledger without a way to load one verifies its keys alone.
    expect((await ledgerTrust(store, refs, {})).trust.trustedRoot).toBeUndefined();
  });
});

describe('the trust of a keyless ledger', () => {
  it("pins record 0's identity and issuer and loads the trusted root", async () => {
    const { store } = countingStore(keylessRepo);
    const refs = await store.list();
    const { trust, pinned, claims } = await ledgerTrust(store, refs, {
      loadTrustedRoot: () => Promise.resolve(stack.trustedRoot),
    });
    expect(pinned).toEqual({ kind: 'identity', identity: RELEASE, issuer: DEFAULT_ISSUER });
    expect(trust.identity).toEqual({ identity: RELEASE, issuer: DEFAULT_ISSUER });
    expect(trust.trustedRoot).toBe(stack.trustedRoot);
    expect(claims.get((refs[1] as RecordRef).name)).toEqual({
      kind: 'certificate',
      identity: RELEASE,
      issuer: DEFAULT_ISSUER,
    });
  });

  it('takes the identity it is given instead, pinning nothing', async () => {
    const { store } = countingStore(keylessRepo);
    const identity = {
      identity: 'https://github.com/acme/model/.github/workflows/other.yml@refs/heads/main',
      issuer: DEFAULT_ISSUER,
    };
    const { trust, pinned } = await ledgerTrust(store, await store.list(), {
      identity,
      loadTrustedRoot: () => Promise.resolve(stack.trustedRoot),
    });
    expect(trust.identity).toBe(identity);
    expect(pinned).toBeNull();
  });

  it('without record 0, pins nothing', async () => {
    const { store } = countingStore(keylessRepo);
    const refs = (await store.list()).filter((ref) => ref.index !== 0);
    const { trust, pinned } = await ledgerTrust(store, refs, {
      loadTrustedRoot: () => Promise.resolve(stack.trustedRoot),
    });
    expect(pinned).toBeNull();
    expect(trust.identity).toBeUndefined();
  });

  it('refuses to go on without a way to load the trusted root, naming the ledger', async () => {
    const { store } = countingStore(keylessRepo);
    const refs = await store.list();
    const error = await refusal(() => ledgerTrust(store, refs, {}));
    expect({ code: error.code, file: error.file }).toEqual({ code: 'VERIFY', file: store.location });
    expect(error.message).toContain(
      'the ledger holds keyless records, and no Sigstore trusted root was given to check them',
    );
    expect(error.fix).toBe('pass --trusted-root FILE, or let model-ledger fetch it through TUF');
  });
});

describe('parsing untrusted bundle JSON', () => {
  function corrupt(json: unknown): VerificationFailure {
    try {
      parseBundle(json, 'b.json');
    } catch (error) {
      expect(error).toBeInstanceOf(VerificationFailure);
      expect((error as VerificationFailure).problem).toBe('CORRUPT');
      return error as VerificationFailure;
    }
    throw new Error('expected CORRUPT');
  }

  it('parses a stored record', async () => {
    const record = await storedRecord(join(keyRepo.dir, '.model-ledger'), 0);
    expect(parseBundle(record.bundle, record.name).content.$case).toBe('dsseEnvelope');
  });

  it('refuses what is not an object or has no known media type', () => {
    for (const json of [null, [], 'bundle', 1]) {
      expect(corrupt(json).message).toBe('b.json: is not a Sigstore bundle (expected a JSON object)');
    }
    const none = corrupt({});
    expect({ field: none.field, message: none.message }).toEqual({
      field: 'mediaType',
      message: 'b.json: mediaType: is not a Sigstore bundle (it has no mediaType)',
    });
    for (const mediaType of ['application/vnd.dev.sigstore.bundle.v0.4+json', 3]) {
      expect(corrupt({ mediaType }).message).toBe(
        `b.json: mediaType: has media type ${JSON.stringify(mediaType)}, which is not a Sigstore bundle version this verifier knows (v0.1, v0.2, v0.3)`,
      );
    }
  });

  it('says in words which part of a bundle is missing', async () => {
    const record = await storedRecord(join(keyRepo.dir, '.model-ledger'), 0);
    const { dsseEnvelope: _content, ...noContent } = record.bundle;
    expect(corrupt(noContent).message).toBe(
      'b.json: is not a valid Sigstore bundle: it holds no signature (neither messageSignature nor dsseEnvelope)',
    );
    const { verificationMaterial: _material, ...noMaterial } = record.bundle;
    expect(corrupt(noMaterial).message).toContain(
      'it has no verificationMaterial (no certificate or public key to check the signature with)',
    );
    expect(corrupt({ ...record.bundle, verificationMaterial: {} }).message).toContain(
      'its verificationMaterial holds no certificate, certificate chain or public key',
    );
    const oddField = corrupt({
      ...record.bundle,
      dsseEnvelope: { ...record.bundle.dsseEnvelope, signatures: [] },
    });
    expect(oddField.message).toMatch(/^b\.json: is not a valid Sigstore bundle: .+ is missing or invalid$/);
    expect(oddField.cause).toBeDefined();
  });
});

describe("the key of a keyless ledger's checkpoint", () => {
  let checkpoint: StoredCheckpoint;
  let trustWith: () => { trustedRoot: unknown; identity: { identity: string; issuer: string } };

  beforeAll(async () => {
    const signer = new KeylessSigner({
      instance: { name: 'custom', fulcioUrl: stack.fulcioUrl, rekorUrl: stack.rekorUrl },
      identity: requireIdentityProvider({ SIGSTORE_ID_TOKEN: await stack.token({ sub: RELEASE }) }),
    });
    const signed = await signer.signCheckpoint(
      `${NAME}\n2\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n`,
      NAME,
    );
    checkpoint = {
      size: 2,
      text: signed.note,
      uri: '000001.checkpoint',
      bundle: JSON.stringify(signed.bundle),
    };
    trustWith = () => ({
      trustedRoot: stack.trustedRoot,
      identity: { identity: RELEASE, issuer: DEFAULT_ISSUER },
    });
  });

  it("is the certificate's key, when the bundle verifies for the ledger's identity", () => {
    const result = keylessCheckpointKey(checkpoint, trustWith());
    expect('key' in result).toBe(true);
    expect('key' in result && result.key.asymmetricKeyType).toBe('ec');
  });

  it('is a problem, said plainly, when the bundle is missing, not JSON, another identity, or not over this note', () => {
    const problem = (stored: StoredCheckpoint, trust: object = trustWith()): string => {
      const result = keylessCheckpointKey(stored, trust);
      return 'problem' in result ? result.problem : 'no problem';
    };
    const { bundle: _bundle, ...unbundled } = checkpoint;
    expect(problem(unbundled)).toBe(
      "the ledger's checkpoint 000001.checkpoint has no signature bundle (000001.checkpoint.sigstore.json): nothing ties its signature to the ledger's signer",
    );
    expect(problem({ ...checkpoint, bundle: '{"mediaType":' })).toBe(
      '000001.checkpoint.sigstore.json is not JSON: it cannot prove who signed checkpoint 000001.checkpoint',
    );
    expect(problem({ ...checkpoint, text: 'no blank line' })).toMatch(
      /^the ledger's checkpoint 000001\.checkpoint is malformed: /,
    );
    expect(
      problem(checkpoint, {
        ...trustWith(),
        identity: { identity: 'https://github.com/evil/x', issuer: DEFAULT_ISSUER },
      }),
    ).toMatch(/^the signature bundle of checkpoint 000001\.checkpoint does not verify: /);
    const otherBody = checkpoint.text.replace(`${NAME}\n2\n`, `${NAME}\n3\n`);
    expect(problem({ ...checkpoint, text: otherBody })).toMatch(
      /^the signature bundle of checkpoint 000001\.checkpoint does not verify: /,
    );
  });

  it('is a problem when the bundle beside the checkpoint signs a statement or is key-signed', async () => {
    const record = await storedRecord(join(keylessRepo.dir, '.model-ledger'), 0);
    const dsse = keylessCheckpointKey({ ...checkpoint, bundle: record.bytes.toString('utf8') }, trustWith());
    expect('problem' in dsse && dsse.problem).toMatch(/000001\.checkpoint\.sigstore\.json/);
  });
});
