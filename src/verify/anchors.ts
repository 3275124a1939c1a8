/**
 * What anchors a ledger outside itself. A chain only proves that a ledger agrees with itself: its
 * newest records can be dropped, or all of it rewritten by whoever holds the key. Checkpoints kept
 * elsewhere (an auditor's copy, a witness's cosigned one, a pinned statement digest) catch that:
 * the ledger must extend each of them — the first `size` records must hash to the same RFC 6962
 * root. Inside the ledger, each record's `chain.tree` and the store's newest checkpoint must
 * agree with the records themselves.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

import { parseCheckpoint, verifyNote, type ParsedCheckpoint } from '../checkpoint/note.js';
import { TreeState } from '../checkpoint/tree-state.js';
import { LedgerError, describeError } from '../errors.js';
import { checkpointKeyName } from '../checkpoint/checkpoint-name.js';
import type { ChainTree } from '../record/predicate.js';
import type { StoredCheckpoint } from '../store/types.js';
import type { ProblemCode } from './problems.js';

/** A checkpoint given from outside the ledger (`verify --checkpoint FILE`). */
export interface CheckpointAnchor {
  /** Where it came from, for messages (a file name). */
  source: string;
  text: string;
}

/** A witness whose cosignatures `verify` requires (`--witness-key`). */
export interface WitnessKey {
  name: string;
  publicKey: KeyObject;
}

export interface AnchorOptions {
  checkpoints?: CheckpointAnchor[];
  /** Statement digests (hex) that must be records of the ledger (`--checkpoint sha256:HEX`). */
  pinnedStatements?: string[];
  witnesses?: WitnessKey[];
  /** Cosignatures needed on an anchor (default: every witness given). */
  witnessThreshold?: number;
  /** The newest cosigned checkpoint may cover fewer records than the ledger when it is this recent (ms). */
  maxWitnessAgeMs?: number;
  now?: Date;
}

/** One record as the anchor checks see it, in chain order. */
export interface AnchorRecord {
  index: number;
  /** The RFC 6962 leaf hash of its DSSE payload bytes (checkpoint/merkle.ts leafHash). */
  leafHash: Buffer;
  statementSha256: string;
  /** The tree the record says came before it. */
  tree?: ChainTree;
  file: string;
}

export interface AnchorReport {
  /** Whether anything outside the ledger was checked against it. */
  anchored: boolean;
  /** The ledger's origin and tree: size and RFC 6962 root (base64) over all its records. */
  origin: string | null;
  size: number;
  rootHash: string;
  /** What each given anchor proved. */
  anchors: { source: string; size: number; result: 'extends' | 'failed'; witnesses?: string[] }[];
}

export type AnchorProblem = (
  code: ProblemCode,
  index: number | null,
  file: string | null,
  message: string,
) => void;

export const UNANCHORED_NOTICE =
  'no checkpoint or witness given: truncation of recent records, or a history rewritten with the signing key, cannot be detected (pass --checkpoint FILE from an earlier run or a witness)';

/**
 * Checks a linear ledger (records 0..n-1 in order) against its own tree claims, its stored
 * checkpoint and the given anchors. Problems are reported; the summary says what was anchored.
 */
export function checkAnchors(
  records: AnchorRecord[],
  origin: string | null,
  stored: StoredCheckpoint | null,
  ledgerKeys: KeyObject[],
  options: AnchorOptions,
  report: AnchorProblem,
): AnchorReport {
  // Roots of every prefix, so any checkpoint size is answered without rehashing.
  const roots: Buffer[] = [];
  let state = TreeState.empty();
  roots.push(state.root());
  for (const record of records) {
    if (record.tree) {
      let claimed: TreeState | undefined;
      try {
        claimed = TreeState.fromRecord(record.tree, `record ${record.index}`);
      } catch (error) {
        if (!(error instanceof LedgerError)) throw error;
        report('TREE', record.index, record.file, `${record.file}: ${error.message}`);
      }
      if (claimed && !claimed.equals(state)) {
        report(
          'TREE',
          record.index,
          record.file,
          `record ${record.index} (${record.file}) says the ledger before it was a tree of ${claimed.size} records that is not the tree of records 0–${record.index - 1}: records before it were changed or removed`,
        );
      }
    }
    state = state.appendLeafHash(record.leafHash);
    roots.push(state.root());
  }
  const size = records.length;
  const summary: AnchorReport = {
    anchored: false,
    origin,
    size,
    rootHash: state.root().toString('base64'),
    anchors: [],
  };

  if (stored) checkStoredCheckpoint(stored, origin, size, roots, ledgerKeys, report);

  const witnessed: { size: number; time?: Date; source: string }[] = [];
  for (const anchor of options.checkpoints ?? []) {
    const parsed = parseAnchor(anchor, report);
    if (!parsed) continue;
    summary.anchored = true;
    const ok = extends_(parsed, anchor.source, origin, size, roots, report);
    const entry: AnchorReport['anchors'][number] = {
      source: anchor.source,
      size: parsed.size,
      result: ok ? 'extends' : 'failed',
    };
    if (options.witnesses && options.witnesses.length > 0) {
      const cosigned = witnessesOf(anchor, options.witnesses, report);
      entry.witnesses = cosigned.names;
      const needed = options.witnessThreshold ?? options.witnesses.length;
      if (cosigned.names.length >= needed) {
        witnessed.push({
          size: parsed.size,
          source: anchor.source,
          ...(cosigned.time ? { time: cosigned.time } : {}),
        });
      }
    }
    summary.anchors.push(entry);
  }

  for (const digest of options.pinnedStatements ?? []) {
    summary.anchored = true;
    const found = records.find((record) => record.statementSha256 === digest);
    summary.anchors.push({
      source: `sha256:${digest}`,
      size: found ? found.index + 1 : 0,
      result: found ? 'extends' : 'failed',
    });
    if (!found) {
      report(
        'TRUNCATED',
        null,
        null,
        `no record of the ledger has statement sha256:${digest.slice(0, 12)}…, which was pinned as one of its records: it was removed, or the ledger rewritten`,
      );
    }
  }

  if (options.witnesses && options.witnesses.length > 0) {
    summary.anchored = true;
    checkWitnessed(witnessed, size, options, report);
  }
  return summary;
}

function checkStoredCheckpoint(
  stored: StoredCheckpoint,
  origin: string | null,
  size: number,
  roots: Buffer[],
  ledgerKeys: KeyObject[],
  report: AnchorProblem,
): void {
  let parsed: ParsedCheckpoint;
  try {
    parsed = parseCheckpoint(stored.text, stored.uri);
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    report(
      'CHECKPOINT',
      null,
      stored.uri,
      `the ledger's checkpoint ${stored.uri} is malformed: ${error.message}`,
    );
    return;
  }
  if (origin !== null && ledgerKeys.length > 0) {
    const name = checkpointKeyName(origin);
    try {
      const verification = verifyNote(
        stored.text,
        ledgerKeys.map((publicKey) => ({ name, publicKey })),
        stored.uri,
      );
      if (verification.verified.length === 0) {
        report(
          'CHECKPOINT',
          null,
          stored.uri,
          `the ledger's checkpoint ${stored.uri} is not signed by the ledger's key`,
        );
      }
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      report('CHECKPOINT', null, stored.uri, `the ledger's checkpoint ${stored.uri}: ${error.message}`);
    }
  }
  extends_(parsed, stored.uri, origin, size, roots, report);
}

function parseAnchor(anchor: CheckpointAnchor, report: AnchorProblem): ParsedCheckpoint | undefined {
  try {
    return parseCheckpoint(anchor.text, anchor.source);
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    report('CHECKPOINT', null, anchor.source, `checkpoint ${anchor.source} is malformed: ${error.message}`);
    return undefined;
  }
}

/** The ledger's first `checkpoint.size` records must have the checkpoint's root. */
function extends_(
  checkpoint: ParsedCheckpoint,
  source: string,
  origin: string | null,
  size: number,
  roots: Buffer[],
  report: AnchorProblem,
): boolean {
  if (origin !== null && checkpoint.origin !== origin) {
    report('ORIGIN', null, source, `checkpoint ${source} is of ledger ${checkpoint.origin}, not ${origin}`);
    return false;
  }
  if (checkpoint.size > size) {
    report(
      'TRUNCATED',
      size,
      source,
      `checkpoint ${source} covers ${checkpoint.size} records, but the ledger holds ${size}: records ${size}–${checkpoint.size - 1} were removed (truncated or rolled back)`,
    );
    return false;
  }
  const root = roots[checkpoint.size] as Buffer;
  if (!root.equals(checkpoint.rootHash)) {
    report(
      'INCONSISTENT',
      null,
      source,
      `the ledger's first ${checkpoint.size} records are not those checkpoint ${source} covered (root ${root.toString('base64')} instead of ${checkpoint.rootHash.toString('base64')}): records were rewritten, replaced or forked`,
    );
    return false;
  }
  return true;
}

function witnessesOf(
  anchor: CheckpointAnchor,
  witnesses: WitnessKey[],
  report: AnchorProblem,
): { names: string[]; time?: Date } {
  try {
    const verification = verifyNote(anchor.text, witnesses, anchor.source);
    const times = verification.verifiedSignatures
      .map((signature) => signature.timestamp)
      .filter((time): time is Date => time !== undefined);
    const oldest = times.sort((a, b) => a.getTime() - b.getTime())[0];
    return { names: verification.verified, ...(oldest ? { time: oldest } : {}) };
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    report(
      'UNWITNESSED',
      null,
      anchor.source,
      `checkpoint ${anchor.source}: a witness signature does not verify (${error.message})`,
    );
    return { names: [] };
  }
}

/** The newest cosigned checkpoint must cover the whole ledger, or be recent enough. */
function checkWitnessed(
  witnessed: { size: number; time?: Date; source: string }[],
  size: number,
  options: AnchorOptions,
  report: AnchorProblem,
): void {
  const needed = options.witnessThreshold ?? options.witnesses?.length ?? 0;
  const newest = witnessed.sort((a, b) => b.size - a.size)[0];
  if (!newest) {
    report(
      'UNWITNESSED',
      null,
      null,
      `no checkpoint given carries ${needed} cosignature(s) of the witness key(s) given: pass the witness's cosigned checkpoint with --checkpoint`,
    );
    return;
  }
  if (newest.size >= size) return;
  const now = (options.now ?? new Date()).getTime();
  const age = newest.time ? now - newest.time.getTime() : Number.POSITIVE_INFINITY;
  if (options.maxWitnessAgeMs !== undefined && age <= options.maxWitnessAgeMs) return;
  report(
    'UNWITNESSED',
    newest.size,
    newest.source,
    `the newest cosigned checkpoint (${newest.source}) covers ${newest.size} of ${size} records${newest.time ? `, cosigned ${newest.time.toISOString()}` : ''}: records ${newest.size}–${size - 1} are not witnessed${options.maxWitnessAgeMs === undefined ? '' : ` within --max-witness-age`}`,
  );
}

/** A witness's public key from PEM, named as the witness names itself (default from the key). */
export function witnessKey(pem: string, name: string | undefined, file: string): WitnessKey {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(pem);
  } catch (error) {
    throw new LedgerError('BAD_INPUT', `is not a public key (${describeError(error)})`, {
      file,
      cause: error,
      fix: 'pass the witness public key PEM (`model-ledger keygen` writes PREFIX.pub.pem)',
    });
  }
  return { name: name ?? defaultWitnessName(publicKey), publicKey };
}

/** `witness-<16 hex of the SHA-256 of the key's SPKI>`: a stable name when the witness gives none. */
export function defaultWitnessName(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `witness-${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}
