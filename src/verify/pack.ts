/**
 * The signed manifest of an evidence pack: an in-toto statement whose subjects are every file of
 * the pack (path and sha256), signed by the ledger's signer. Without it SHA256SUMS, index.json and
 * report.html are the packer's word; with it, adding, removing or editing any file of the pack is
 * evident to whoever trusts the ledger's signer.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

import { LedgerError } from '../errors.js';
import { isMissingFile, readBoundedFile } from '../fs/bounded.js';
import { STATEMENT_TYPE } from '../record/predicate.js';
import type { BundleTrust } from './bundle.js';
import { verifyBundle } from './bundle.js';
import { type BundleSigner } from './identity.js';
import type { Problem } from './problems.js';
import { VerificationFailure } from './problems.js';
import { LocalStore } from '../store/local.js';
import { claimedSigner } from './claimed-signer.js';
import { ledgerTrust, type LedgerTrustOptions, type PinnedSigner } from './trust.js';

export const PACK_MANIFEST_FILE = 'MANIFEST.sigstore.json';
export const PACK_PREDICATE_TYPE = 'https://model-ledger.dev/evidence-pack/v1';

/** What the manifest says of the pack, beside its file list. */
export interface PackPredicate {
  origin: string | null;
  range: { from: number; to: number };
  /** Records the pack holds (0 to `range.to`). */
  records: number;
  /** The ledger's checkpoint in the pack, when it has one. */
  checkpoint: { file: string; size: number; rootHash: string } | null;
  generatedAt: string;
  tool: { name: string; version: string };
}

export interface PackManifestStatement {
  _type: typeof STATEMENT_TYPE;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: typeof PACK_PREDICATE_TYPE;
  predicate: PackPredicate;
}

/** The manifest statement's bytes over `files` (every file of the pack but the manifest itself). */
export function packManifestPayload(files: ReadonlyMap<string, Buffer>, predicate: PackPredicate): Buffer {
  const digests = new Map<string, string>();
  for (const [path, bytes] of files) digests.set(path, createHash('sha256').update(bytes).digest('hex'));
  return packManifestPayloadOfDigests(digests, predicate);
}

/** The same statement, from each file's sha256 (hex) by path: for files no longer in memory. */
export function packManifestPayloadOfDigests(
  digests: ReadonlyMap<string, string>,
  predicate: PackPredicate,
): Buffer {
  const subject = [...digests]
    .filter(([path]) => path !== PACK_MANIFEST_FILE)
    .map(([name, sha256]) => ({ name, digest: { sha256 } }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const statement: PackManifestStatement = {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: PACK_PREDICATE_TYPE,
    predicate,
  };
  return Buffer.from(`${JSON.stringify(statement)}\n`, 'utf8');
}

export interface PackManifestCheck {
  /** Who signed the manifest (verified). */
  signer: BundleSigner;
  predicate: PackPredicate;
  /** Files the manifest lists, all present with their signed digest when `problems` is empty. */
  files: number;
  problems: Problem[];
}

/** Largest file of a pack read to check its digest: bundles, manifests, report.html. */
const MAX_PACK_FILE = 512 * 1024 * 1024;
const MAX_MANIFEST = 64 * 1024 * 1024;

/**
 * Checks the pack unzipped in `dir` against its signed manifest: the signature (by the pinned
 * signer, or one `trust` names), then every listed file's digest, then that no file is outside
 * the list. Problems name the file; a manifest that cannot be read or verified throws.
 */
export async function verifyPackManifest(options: {
  dir: string;
  trust: BundleTrust;
  /** The signer the ledger's record 0 pins; the manifest must be signed by the same. */
  pinned: PinnedSigner | null;
}): Promise<PackManifestCheck> {
  const { dir } = options;
  const file = join(dir, PACK_MANIFEST_FILE);
  const bytes = await readBoundedFile(file, MAX_MANIFEST, PACK_MANIFEST_FILE, {
    code: 'VERIFICATION_FAILED',
    fix: 'this pack has no signed manifest: it was exported without --sign-key/--sign-keyless, or the manifest was removed',
  });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new VerificationFailure('CORRUPT', 'is not JSON', { file: PACK_MANIFEST_FILE, cause: error });
  }
  const verified = verifyBundle(json, options.trust, PACK_MANIFEST_FILE);
  if (verified.content !== 'dsseEnvelope') {
    throw new VerificationFailure('CORRUPT', 'holds no DSSE envelope', { file: PACK_MANIFEST_FILE });
  }
  requirePinned(verified.signer, options.pinned);
  const statement = parseManifest(verified.payload);
  const problems: Problem[] = [];
  const listed = new Set<string>();
  for (const subject of statement.subject) {
    listed.add(subject.name);
    const path = join(dir, ...subject.name.split('/'));
    let content: Buffer;
    try {
      content = await readBoundedFile(path, MAX_PACK_FILE, subject.name);
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      problems.push(
        packProblem(
          'ARTIFACT_MISSING',
          subject.name,
          isMissingFile(error)
            ? 'is listed in the signed manifest but is not in the pack: it was removed after signing'
            : 'is listed in the signed manifest but is not a regular file of the pack that can be read',
        ),
      );
      continue;
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    if (sha256 !== subject.digest.sha256) {
      problems.push(
        packProblem(
          'ARTIFACT_MISMATCH',
          subject.name,
          `has sha256 ${sha256}, the signed manifest says ${subject.digest.sha256}: it was changed after the pack was signed`,
        ),
      );
    }
  }
  for (const present of await packFiles(dir)) {
    if (present !== PACK_MANIFEST_FILE && !listed.has(present)) {
      problems.push(
        packProblem(
          'ARTIFACT_MISMATCH',
          present,
          'is in the pack but not in its signed manifest: it was added after signing',
        ),
      );
    }
  }
  return { signer: verified.signer, predicate: statement.predicate, files: listed.size, problems };
}

function packProblem(code: Problem['code'], file: string, message: string): Problem {
  return { code, index: null, file, message: `${file} ${message}` };
}

function requirePinned(signer: BundleSigner, pinned: PinnedSigner | null): void {
  if (!pinned) return;
  const same =
    pinned.kind === 'key'
      ? signer.kind === 'key' && signer.keyHint === pinned.keyHint
      : signer.kind === 'certificate' &&
        signer.identity === pinned.identity &&
        signer.issuer === pinned.issuer;
  if (same) return;
  const who =
    signer.kind === 'key' ? `key ${signer.keyHint.slice(0, 16)}…` : `${signer.identity} (${signer.issuer})`;
  const expected =
    pinned.kind === 'key' ? `key ${pinned.keyHint.slice(0, 16)}…` : `${pinned.identity} (${pinned.issuer})`;
  throw new VerificationFailure(
    'SIGNER_CHANGED',
    `is signed by ${who}, not by the signer of record 0, ${expected}: the pack was not made by the ledger's signer`,
    { file: PACK_MANIFEST_FILE },
  );
}

/** The manifest statement, validated: every subject a relative path inside the pack and a sha256. */
function parseManifest(payload: Buffer): PackManifestStatement {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new VerificationFailure('SCHEMA', 'signs a payload that is not JSON', {
      file: PACK_MANIFEST_FILE,
      cause: error,
    });
  }
  const fail = (field: string, what: string): never => {
    throw new VerificationFailure('SCHEMA', `signs a statement whose ${field} ${what}`, {
      file: PACK_MANIFEST_FILE,
      field,
    });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('payload', 'is not an object');
  const statement = value as Record<string, unknown>;
  if (statement._type !== STATEMENT_TYPE) fail('_type', `is not ${STATEMENT_TYPE}`);
  if (statement.predicateType !== PACK_PREDICATE_TYPE) fail('predicateType', `is not ${PACK_PREDICATE_TYPE}`);
  if (!Array.isArray(statement.subject)) return fail('subject', 'is not a list');
  const seen = new Set<string>();
  for (const [at, entry] of (statement.subject as unknown[]).entries()) {
    const subject = entry as { name?: unknown; digest?: { sha256?: unknown } } | null;
    const name = subject?.name;
    if (typeof name !== 'string' || !isPackPath(name))
      fail(`subject[${at}].name`, 'is not a path inside the pack');
    if (typeof subject?.digest?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(subject.digest.sha256))
      fail(`subject[${at}].digest.sha256`, 'is not a sha256 digest');
    if (seen.has(name as string)) fail(`subject[${at}].name`, 'names a file twice');
    seen.add(name as string);
  }
  const predicate = statement.predicate as PackPredicate | undefined;
  if (typeof predicate !== 'object' || predicate === null) return fail('predicate', 'is not an object');
  return statement as unknown as PackManifestStatement;
}

/** A relative, normalised path: no `..`, no leading `/`, no empty or `.` parts, no backslashes. */
function isPackPath(name: string): boolean {
  if (name.length === 0 || name.length > 4096 || name.includes('\\') || name.includes('\0')) return false;
  return name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Every regular file and symlink under `dir`, as pack paths. A symlink is a file the pack never holds. */
async function packFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  if ((await lstat(dir)).isDirectory()) await walk(dir);
  return out.sort();
}

export interface EvidencePackVerification {
  /** The manifest's check, when it could be read and its signature verified. */
  manifest: PackManifestCheck | null;
  problems: Problem[];
}

/**
 * The signed manifest of the pack unzipped in `dir`, checked with the trust its ledger
 * (`dir/ledger`) is verified with: the manifest must be signed by the signer record 0 pins (or
 * by one the options name) and every file must be the one signed. Problems, never a throw, for
 * what the pack holds; a LedgerError only when trust cannot be set up.
 */
export async function verifyEvidencePack(
  options: LedgerTrustOptions & { dir: string },
): Promise<EvidencePackVerification> {
  const store = new LocalStore(join(options.dir, 'ledger'));
  const { trust, pinned } = await ledgerTrust(store, await store.list(), options);
  if (!trust.trustedRoot && options.loadTrustedRoot && (await manifestIsKeyless(options.dir)))
    trust.trustedRoot = await options.loadTrustedRoot();
  try {
    const manifest = await verifyPackManifest({ dir: options.dir, trust, pinned });
    return { manifest, problems: manifest.problems };
  } catch (error) {
    const failed = (code: Problem['code'], message: string): EvidencePackVerification => ({
      manifest: null,
      problems: [{ code, index: null, file: PACK_MANIFEST_FILE, message }],
    });
    // Its message names the manifest already (`MANIFEST.sigstore.json: …`).
    if (error instanceof VerificationFailure) return failed(error.problem, error.message);
    if (error instanceof LedgerError && error.code === 'VERIFICATION_FAILED') {
      return failed(
        'ARTIFACT_MISSING',
        `${PACK_MANIFEST_FILE} ${
          isMissingFile(error)
            ? 'does not exist: this pack has no signed manifest (it was exported without --sign-key or --sign-keyless, or the manifest was removed)'
            : 'cannot be read as a regular file of the pack'
        }`,
      );
    }
    throw error;
  }
}

/** Whether the manifest carries a certificate (so the trusted root is needed), read untrusted. */
async function manifestIsKeyless(dir: string): Promise<boolean> {
  try {
    const claim = claimedSigner(
      await readBoundedFile(join(dir, PACK_MANIFEST_FILE), MAX_MANIFEST),
      PACK_MANIFEST_FILE,
    );
    return claim?.kind === 'certificate';
  } catch (error) {
    if (error instanceof LedgerError) return false; // reported when the manifest is checked
    throw error;
  }
}
