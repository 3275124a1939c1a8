import { join } from 'node:path';

import { verifyRecordBundle, verifyRecordBytes } from './read.js';
import { precheckSignature } from './signature-precheck.js';
import { readStoredBundle, type StoredBundle } from './claimed-signer.js';
import { claimedSigner } from './claimed-signer.js';
import {
  bundleCarriesTrustedTime,
  carriesTrustedTime,
  openLedgerTrust,
  type LedgerTrustOptions,
  type PinnedSigner,
} from './trust.js';
import { LedgerError } from '../errors.js';
import { leafHash } from '../checkpoint/merkle.js';
import { hashFile, sha256Hex } from '../hash/file.js';
import { hashDirectory } from '../hash/index.js';
import { silentLogger, type Logger } from '../log.js';
import type { LoadedPolicy } from '../policy/types.js';
import {
  checkRecordPolicy,
  ledgerPolicyReport,
  type LedgerPolicyReport,
  type PolicyCandidate,
  type RecordPolicyOutcome,
} from '../policy/verify.js';
import type { Statement } from '../record/predicate.js';
import { parseRecordName, type RecordRef, type Store } from '../store/types.js';
import type { BundleTrust } from './bundle.js';
import type { BundleSigner } from './identity.js';
import { keylessCheckpointKey } from './checkpoint-signer.js';
import { checkAnchors, UNANCHORED_NOTICE, type AnchorOptions, type AnchorReport } from './anchors.js';
import { VerificationFailure, type Problem, type ProblemCode } from './problems.js';

/**
 * `trustedKeys`: public keys (PEM) to trust; when given, every record must be signed by one of
 * them. When absent, the ledger's own keys/ are used and every record must be signed by the key
 * that signed record 0. `identity`: the certificate identity keyless records must carry; when
 * absent, record 0's. `loadTrustedRoot`: the Sigstore trusted root, loaded only if needed.
 */
export interface VerifyLedgerOptions extends LedgerTrustOptions {
  store: Store;
  /** Directory holding the artifacts of the head record: their digests must match its subjects. */
  artifactsDir?: string;
  /**
   * The store holds a contiguous part of the ledger (one release): checks start at its first
   * record, whose link points outside the part and is not checked.
   */
  partial?: boolean;
  /** A policy every verified record is evaluated against (`verify --policy`); enforced failures are problems. */
  policy?: LoadedPolicy;
  /** Checkpoints, pinned statements and witnesses the ledger must extend (`--checkpoint`, `--witness-key`). */
  anchors?: AnchorOptions;
  /**
   * The ledger every record must belong to (`--origin github.com/OWNER/REPO#main`), in full and
   * partial verification; default: record 0's (partial: the first record read).
   */
  origin?: string;
  log?: Logger;
}

export interface RecordSummary {
  index: number;
  file: string;
  statementSha256: string | null;
  bundleSha256: string;
  signer: string | null;
  signingMode: string | null;
  recordedAt: string | null;
  verified: boolean;
}

export interface LedgerVerification {
  ok: boolean;
  location: string;
  records: RecordSummary[];
  problems: Problem[];
  /** The highest-indexed record that verified. */
  head: RecordSummary | null;
  notices: string[];
  /** Each record's results under `options.policy`, when one was given. */
  policy?: LedgerPolicyReport;
  /**
   * The ledger's Merkle tree (size, RFC 6962 root) and what anchored it outside itself; absent
   * in partial verification, or when the chain is too broken to have one tree.
   */
  checkpoint?: AnchorReport;
}

/**
 * What ledger verification keeps of one stored file once it is read: the digests and the chain
 * fields the checks after reading need. The bundle, its bytes and the statement are let go when
 * the next record is read, so verifying holds a window of records, not the ledger.
 */
interface Entry {
  ref: RecordRef;
  bundleSha256: string;
  /** sha256 of the envelope payload, when the file had one (signature checked or not). */
  statementSha256: string | null;
  /** RFC 6962 leaf hash of the envelope payload, when the file had one: the record's Merkle leaf. */
  leafHash: Buffer | null;
  /** The verified statement's chain fields; null when the record did not verify. */
  facts: RecordFacts | null;
  signer: BundleSigner | null;
  verified: boolean;
}

/** The parts of a verified statement that the chain, anchor and summary checks read. */
interface RecordFacts {
  chain: Statement['predicate']['chain'];
  signingMode: string;
  recordedAt: string;
}

export async function verifyLedger(options: VerifyLedgerOptions): Promise<LedgerVerification> {
  const store = options.store;
  const log = options.log ?? silentLogger;
  const refs = await store.list();
  const problems: Problem[] = [];
  const notices: string[] = [];
  const report: Report = (code, entry, index, message) => {
    problems.push({ code, index, file: entry?.ref.name ?? null, message });
  };

  // Record 0 pins the signer: it is read first; the trusted root is loaded when a record needs it.
  const first = refs.find((ref) => ref.index === 0);
  const firstBytes = first ? await store.get(first) : undefined;
  const opened = await openLedgerTrust(
    store,
    first && firstBytes ? claimedSigner(firstBytes, first.name) : undefined,
    options,
  );
  const { trust, pinned } = opened;
  // Record 0's bytes are handed on, so a remote store downloads it once.
  const ahead = readAhead(
    store,
    refs,
    trust,
    first && firstBytes ? { ref: first, bytes: firstBytes } : undefined,
  );
  const entries: Entry[] = [];
  const policyOutcomes: RecordPolicyOutcome[] = [];
  let head: { entry: Entry; statement: Statement } | null = null;
  let developmentKey = false;
  for (const [position, ref] of refs.entries()) {
    const record = await ahead(position);
    await opened.admit(
      record.claim,
      record.bundle ? bundleCarriesTrustedTime(record.bundle) : carriesTrustedTime(record.bytes),
    );
    const { entry, statement } = readEntry(record, ref, trust, pinned, report);
    entries.push(entry);
    if (options.policy)
      policyOutcomes.push(checkRecordPolicy(options.policy, policyCandidate(entry, statement)));
    if (statement) {
      if (statement.predicate.signing.mode === 'development-key') developmentKey = true;
      if (!head || statement.predicate.chain.index > head.statement.predicate.chain.index)
        head = { entry, statement };
    }
  }
  log.debug(`verify: ${entries.length} record file(s) read from ${store.location}`);

  checkNames(entries, report);
  checkSigners(entries, pinned, report, notices);
  checkChain(entries, report, options.partial === true, options.origin);
  if (options.partial) {
    notices.push(
      `only part of the ledger was verified (${store.location}): the link of its first record to the record before it was not checked, and without record 0 signers are pinned only by --key or --certificate-identity`,
    );
  }
  const checkpoint = options.partial
    ? undefined
    : await anchorsOf(store, entries, trust, pinned, options.anchors ?? {}, report, notices);
  const policy = options.policy ? ledgerPolicyReport(options.policy, policyOutcomes) : undefined;
  if (policy) {
    problems.push(...policy.problems);
    notices.push(...policy.notices);
  }
  if (options.artifactsDir !== undefined && head) {
    await checkArtifacts(head.entry, head.statement, options.artifactsDir, report);
  }
  if (developmentKey) {
    notices.push(
      'some records are signed with a development key: they are for trying model-ledger out, not evidence',
    );
  }
  const records = entries.map(summarize);
  problems.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
  return {
    ok: problems.length === 0 && refs.length > 0,
    location: store.location,
    records,
    problems,
    head: head ? summarize(head.entry) : null,
    notices: refs.length === 0 ? [...notices, `no records found in ${store.location}`] : notices,
    ...(policy ? { policy: policy.report } : {}),
    ...(checkpoint ? { checkpoint } : {}),
  };
}

/**
 * The stored records in order, each read, parsed and its signature check started on the thread
 * pool (signature-precheck.ts) a window ahead of the one being verified: the reads and ECDSA
 * checks overlap the parsing and checking here, and at most the window is held in memory.
 */
function readAhead(
  store: Store,
  refs: readonly RecordRef[],
  trust: BundleTrust,
  alreadyRead?: { ref: RecordRef; bytes: Buffer },
): (position: number) => Promise<StoredRecord> {
  const pending = new Map<number, Promise<StoredRecord>>();
  let started = 0;
  const start = (position: number): void => {
    const ref = refs[position] as RecordRef; // position < refs.length: see the loop below
    const reading = ref === alreadyRead?.ref ? Promise.resolve(alreadyRead.bytes) : store.get(ref);
    const loading = reading.then(async (bytes) => {
      const record: StoredRecord = { bytes, ...readStoredBundle(bytes, ref.name) };
      const key =
        record.claim?.kind === 'key' ? (trust.key ?? trust.keys?.get(record.claim.keyHint)) : undefined;
      if (record.bundle && key) await precheckSignature(record.bundle, key);
      return record;
    });
    // Awaited in order below, where a failed read is thrown; until then it is not unhandled.
    loading.catch(() => undefined);
    pending.set(position, loading);
  };
  return (position) => {
    while (started < Math.min(refs.length, position + READ_AHEAD)) start(started++);
    const loading = pending.get(position) as Promise<StoredRecord>;
    pending.delete(position);
    return loading;
  };
}

/**
 * The ledger's tree against its records' claims, its own newest checkpoint and the anchors given.
 * Needs one record per index from 0: a broken chain is reported as such, with no tree.
 */
async function anchorsOf(
  store: Store,
  entries: Entry[],
  trust: BundleTrust,
  pinned: PinnedSigner | null,
  anchors: AnchorOptions,
  report: Report,
  notices: string[],
): Promise<AnchorReport | undefined> {
  if (entries.length === 0) {
    // No records, but a checkpoint of some: the ledger was wiped, not never started. Without
    // this, only the "no records" notice would say so, and no problem would name it.
    const stored = (await store.latestCheckpoint?.()) ?? null;
    if (stored && stored.size > 0) {
      report(
        'TRUNCATED',
        null,
        0,
        `checkpoint ${stored.uri} covers ${stored.size} records, but the ledger holds none: records 0–${stored.size - 1} were removed`,
      );
    }
    return undefined;
  }
  const ordered = [...entries].sort((a, b) => a.ref.index - b.ref.index);
  const linear = ordered.every(
    (entry, at) => entry.ref.index === at && entry.leafHash !== null && entry.verified,
  );
  if (!linear) {
    notices.push(
      'the chain is broken (see the problems above), so its checkpoints and anchors were not checked',
    );
    return undefined;
  }
  const origin = ordered.find((entry) => entry.facts)?.facts?.chain.origin ?? null;
  let keys = pinned?.kind === 'key' ? [trust.keys?.get(pinned.keyHint)] : [...(trust.keys?.values() ?? [])];
  const stored = (await store.latestCheckpoint?.()) ?? null;
  if (stored && pinned?.kind === 'identity') {
    const signer = keylessCheckpointKey(stored, trust);
    if ('key' in signer) keys = [signer.key];
    else report('CHECKPOINT', null, null, signer.problem);
  }
  const summary = checkAnchors(
    ordered.map((entry) => ({
      index: entry.ref.index,
      leafHash: entry.leafHash as Buffer,
      statementSha256: entry.statementSha256 as string,
      ...(entry.facts?.chain.tree ? { tree: entry.facts.chain.tree } : {}),
      file: entry.ref.name,
    })),
    origin,
    stored,
    keys.filter((key): key is NonNullable<typeof key> => key !== undefined),
    anchors,
    (code, index, _file, message) =>
      report(code, index === null ? null : (ordered[index] ?? null), index, message),
  );
  if (!summary.anchored) notices.push(UNANCHORED_NOTICE);
  return summary;
}

/** A stored file's bytes and their parse (readStoredBundle): the bundle, null when it is not one. */
interface StoredRecord extends StoredBundle {
  bytes: Buffer;
}

/** Records read, parsed and signature-checked ahead of the one being verified. */
const READ_AHEAD = 64;

function readEntry(
  record: StoredRecord,
  ref: RecordRef,
  trust: BundleTrust,
  pinned: PinnedSigner | null,
  report: Report,
): { entry: Entry; statement: Statement | null } {
  const { bytes, bundle, claim } = record;
  const payload =
    bundle?.content.$case === 'dsseEnvelope'
      ? Buffer.from(bundle.content.dsseEnvelope.payload)
      : payloadBytes(bytes);
  const entry: Entry = {
    ref,
    bundleSha256: sha256Hex(bytes),
    statementSha256: payload ? sha256Hex(payload) : null,
    leafHash: payload ? leafHash(payload) : null,
    facts: null,
    signer: null,
    verified: false,
  };
  if (claim?.kind === 'certificate' && !trust.identity) {
    const expected =
      pinned?.kind === 'key'
        ? `key ${pinned.keyHint.slice(0, 16)}… (the signer of record 0)`
        : 'a certificate identity';
    report(
      'SIGNER_CHANGED',
      entry,
      ref.index,
      `record ${ref.index} (${ref.name}): signed keyless by ${claim.identity}, expected ${expected}; pass --certificate-identity to accept keyless records`,
    );
    return { entry, statement: null };
  }
  try {
    const verified = bundle
      ? verifyRecordBundle(bundle, bytes, ref, trust)
      : verifyRecordBytes(bytes, ref, trust);
    const { predicate } = verified.statement;
    entry.signer = verified.signer;
    entry.facts = {
      chain: predicate.chain,
      signingMode: predicate.signing.mode,
      recordedAt: predicate.recordedAt,
    };
    entry.verified = true;
    return { entry, statement: verified.statement };
  } catch (error) {
    if (!(error instanceof VerificationFailure)) throw error;
    report(
      error.problem,
      entry,
      ref.index,
      `record ${ref.index} (${ref.name}): ${stripFile(error.message, ref.name)}`,
    );
    return { entry, statement: null };
  }
}

function stripFile(message: string, file: string): string {
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}

/** The payload straight from the file, so links can be checked even for records that fail. */
function payloadBytes(bytes: Buffer): Buffer | null {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null; // not JSON: reported as CORRUPT when the record is verified
  }
  const payload = (json as { dsseEnvelope?: { payload?: unknown } } | null)?.dsseEnvelope?.payload;
  return typeof payload === 'string' ? Buffer.from(payload, 'base64') : null;
}

type Report = (code: ProblemCode, entry: Entry | null, index: number | null, message: string) => void;

function label(entry: Entry): string {
  return `record ${entry.facts?.chain.index ?? entry.ref.index} (${entry.ref.name})`;
}

/** A file's name carries the index and statement digest: disagreement means renaming or reordering. */
function checkNames(entries: Entry[], report: Report): void {
  for (const entry of entries) {
    if (!entry.facts || !entry.statementSha256) continue;
    const index = entry.facts.chain.index;
    // Local names carry the statement digest's prefix; release asset names only the index.
    const prefix = parseRecordName(entry.ref.name)?.sha256Prefix;
    if (index !== entry.ref.index || (prefix !== undefined && !entry.statementSha256.startsWith(prefix))) {
      report(
        'MISNAMED',
        entry,
        index,
        `${entry.ref.name} holds record ${index} (statement ${entry.statementSha256.slice(0, 12)}), but its name says record ${entry.ref.index}${prefix === undefined ? '' : ` (statement ${prefix})`}: records were reordered or renamed`,
      );
    }
  }
}

function signerLabel(signer: BundleSigner): string {
  return signer.kind === 'key'
    ? `key ${signer.keyHint.slice(0, 16)}…`
    : `${signer.identity} (issuer ${signer.issuer})`;
}

/**
 * Key-signed ledgers: without explicit keys, every record must be signed by record 0's key.
 * (Keyless ledgers are pinned during verification itself: the identity is part of the trust.)
 */
function checkSigners(
  entries: Entry[],
  pinned: PinnedSigner | null,
  report: Report,
  notices: string[],
): void {
  if (!pinned) return;
  if (pinned.kind === 'identity') {
    notices.push(`signer pinned to ${pinned.identity} (issuer ${pinned.issuer}), which signed record 0`);
    return;
  }
  notices.push(`signer pinned to key ${pinned.keyHint.slice(0, 16)}…, which signed record 0`);
  for (const entry of entries) {
    if (
      entry.verified &&
      entry.signer &&
      (entry.signer.kind !== 'key' || entry.signer.keyHint !== pinned.keyHint)
    ) {
      const index = entry.facts?.chain.index ?? entry.ref.index;
      report(
        'SIGNER_CHANGED',
        entry,
        index,
        `${label(entry)}: signed by ${signerLabel(entry.signer)}, expected key ${pinned.keyHint.slice(0, 16)}… (the signer of record 0); pass --key to trust a rotated key`,
      );
    }
  }
}

function checkChain(entries: Entry[], report: Report, partial = false, expectedOrigin?: string): void {
  const byIndex = new Map<number, Entry[]>();
  for (const entry of entries) {
    if (!entry.facts) continue;
    const index = entry.facts.chain.index;
    byIndex.set(index, [...(byIndex.get(index) ?? []), entry]);
  }
  const allDigests = new Map<string, Entry>();
  for (const entry of entries) if (entry.statementSha256) allDigests.set(entry.statementSha256, entry);
  // Records that could not be decoded still hold their place (by file name) for gap detection.
  const occupied = new Set<number>([...byIndex.keys(), ...entries.map((entry) => entry.ref.index)]);
  const maxIndex = Math.max(-1, ...occupied);

  const start = partial ? Math.min(...occupied) : 0;
  const firstOrigin = expectedOrigin ?? byIndex.get(start)?.[0]?.facts?.chain.origin;
  for (let index = start; index <= maxIndex; index++) {
    if (!occupied.has(index)) {
      const next = [...occupied].filter((other) => other > index).sort((a, b) => a - b)[0] ?? maxIndex;
      report(
        'GAP',
        null,
        index,
        index === 0
          ? `record 0 is missing: the ledger starts at record ${next}`
          : `record ${index} is missing: the chain goes from record ${index - 1} to record ${next}`,
      );
    }
    const here = byIndex.get(index) ?? [];
    if (here.length > 1) {
      report(
        'FORK',
        here[1] ?? null,
        index,
        `fork at record ${index}: ${here.map((entry) => entry.ref.name).join(' and ')} both claim index ${index}`,
      );
    }
    for (const entry of here) {
      const { chain } = entry.facts as RecordFacts;
      if (firstOrigin !== undefined && chain.origin !== firstOrigin) {
        report(
          'ORIGIN',
          entry,
          index,
          `${label(entry)}: belongs to ledger ${chain.origin}, not ${firstOrigin}`,
        );
      }
      // A part's first link points outside the part, except at record 0, which links nowhere:
      // a part holding record 0 must still see a record 0 that claims a previous record.
      if (!partial || index !== start || index === 0)
        checkLink(entry, index, byIndex.get(index - 1) ?? [], allDigests, report);
    }
  }
  const zero = byIndex.get(0);
  if (!partial && entries.length > 0 && !zero && !occupied.has(0)) {
    report('FIRST_RECORD', null, 0, 'the ledger has no record 0: it was truncated from the start');
  }
}

function checkLink(
  entry: Entry,
  index: number,
  before: Entry[],
  all: Map<string, Entry>,
  report: Report,
): void {
  const { previous } = (entry.facts as RecordFacts).chain;
  if (index === 0) {
    if (previous !== null)
      report('FIRST_RECORD', entry, 0, `${label(entry)}: the first record must have previous null`);
    return;
  }
  if (previous === null) {
    report('BROKEN_LINK', entry, index, `${label(entry)}: has no link to record ${index - 1}`);
    return;
  }
  // A record below that did not verify has no trusted statement, so it is not in `before`; when
  // its stored payload is the statement this link names, the link holds (and the bundle digest is
  // still checked): that record's own problem is the one to report, not a reordering.
  const stored = all.get(previous.statementSha256);
  const target =
    before.find((candidate) => candidate.statementSha256 === previous.statementSha256) ??
    (stored && !stored.verified && stored.ref.index === index - 1 ? stored : undefined);
  if (!target) {
    const actual = before.map(
      (candidate) => `${candidate.ref.name} has ${candidate.statementSha256?.slice(0, 12) ?? 'no statement'}`,
    );
    const detail = stored
      ? `which is ${label(stored)}, not record ${index - 1}: records were reordered`
      : `which no record in the ledger has${actual.length > 0 ? ` (${actual.join(', ')}): record ${index - 1} was replaced, or this link was forged` : ''}`;
    report(
      'BROKEN_LINK',
      entry,
      index,
      `${label(entry)}: links to statement ${previous.statementSha256.slice(0, 12)}, ${detail}`,
    );
    return;
  }
  if (target.bundleSha256 !== previous.bundleSha256) {
    report(
      'EDITED',
      target,
      index - 1,
      `${label(target)}: its bundle file changed after ${label(entry)} linked to it (bundle sha256 ${target.bundleSha256.slice(0, 12)}, linked ${previous.bundleSha256.slice(0, 12)}): re-signed or rewritten`,
    );
  }
}

/** What of the head record's subjects lives in the working tree: model files and directories, local datasets. */
function localArtifacts(
  statement: Statement,
): { label: string; path: string; kind: 'file' | 'directory'; sha256: string }[] {
  const { models, datasets } = statement.predicate;
  return [
    ...models.map((model) => ({
      label: model.name,
      path: model.name,
      kind: model.kind,
      sha256: model.digest.sha256,
    })),
    ...datasets.flatMap((dataset) =>
      dataset.path !== undefined && dataset.kind !== 'uri'
        ? [
            {
              label: `dataset:${dataset.name}`,
              path: dataset.path,
              kind: dataset.kind,
              sha256: dataset.digest.sha256,
            },
          ]
        : [],
    ),
  ];
}

/** The head record's model files, model directories and local datasets are rehashed under `dir`. */
async function checkArtifacts(head: Entry, statement: Statement, dir: string, report: Report): Promise<void> {
  const index = statement.predicate.chain.index;
  for (const artifact of localArtifacts(statement)) {
    const location = join(dir, artifact.path);
    let actual: string;
    try {
      actual =
        artifact.kind === 'file'
          ? (await hashFile(location)).sha256
          : (await hashDirectory(location, artifact.path, { noCache: true })).manifest.digest;
    } catch (error) {
      if (error instanceof LedgerError && (error.code === 'HASH' || error.code === 'BAD_INPUT')) {
        report(
          'ARTIFACT_MISSING',
          head,
          index,
          `${label(head)}: artifact ${artifact.label} is missing or unreadable under ${dir} (${error.message})`,
        );
        continue;
      }
      throw error;
    }
    if (actual !== artifact.sha256) {
      report(
        'ARTIFACT_MISMATCH',
        head,
        index,
        `${label(head)}: artifact ${artifact.label} has sha256 ${actual}, the record says ${artifact.sha256}`,
      );
    }
  }
}

function policyCandidate(entry: Entry, statement: Statement | null): PolicyCandidate {
  return {
    index: entry.facts?.chain.index ?? entry.ref.index,
    file: entry.ref.name,
    statement,
    signer: entry.signer,
    verified: entry.verified,
  };
}

function summarize(entry: Entry): RecordSummary {
  return {
    index: entry.facts?.chain.index ?? entry.ref.index,
    file: entry.ref.name,
    statementSha256: entry.statementSha256,
    bundleSha256: entry.bundleSha256,
    signer: entry.signer
      ? entry.signer.kind === 'key'
        ? `key:${entry.signer.keyHint}`
        : entry.signer.identity
      : null,
    signingMode: entry.facts?.signingMode ?? null,
    recordedAt: entry.facts?.recordedAt ?? null,
    verified: entry.verified,
  };
}
