/**
 * The evidence pack: one zip that lets a regulator check a range of records without trusting us
 * or GitHub. It holds every bundle from record 0 to the end of the range (the chain back to the
 * start), the manifests they refer to, the public keys and trusted root that verify them offline,
 * VERIFY.md with the exact commands, index.json (machine-readable), report.html (for people) and
 * SHA256SUMS over all of it.
 */
import { createPublicKey } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

import type { CompletenessReport } from '../audit/completeness.js';
import type { ReplayReport } from '../audit/replay.js';
import { LEDGER_ROOT_SCRIPT } from '../checkpoint/ledger-root-script.js';
import { MerkleTree, leafHash } from '../checkpoint/merkle.js';
import { parseCheckpoint } from '../checkpoint/note.js';
import { LedgerError, describeError } from '../errors.js';
import { buildCycloneDx } from '../exchange/cyclonedx.js';
import { buildSpdx3 } from '../exchange/spdx3.js';
import { sha256Hex } from '../hash/file.js';
import type { Statement } from '../record/predicate.js';
import { TOOL_VERSION } from '../record/version.js';
import { keyHint } from '../sign/keys.js';
import type { Signer } from '../sign/types.js';
import {
  checkpointBundleName,
  checkpointFileName,
  parseRecordFileName,
  recordFileName,
} from '../store/types.js';
import type { IdentityPolicy } from '../verify/identity.js';
import { PACK_MANIFEST_FILE, packManifestPayloadOfDigests } from '../verify/pack.js';
import { renderReportHtml } from './html.js';
import { readStoredManifest, type LedgerRow, type LoadedLedger } from './load.js';
import { buildReportData, type ReportData } from './report-data.js';
import { verifyInstructions } from './verify-md.js';
import { prettyJsonChunks } from './json-chunks.js';
import { MemoryPackFiles, StagedPackFiles, type PackFiles } from './pack-files.js';

export interface EvidenceOptions {
  ledger: LoadedLedger;
  /** First record of the range (default 0). */
  from?: number;
  /** Last record of the range (default the newest). */
  to?: number;
  /** The Sigstore trusted root that verified keyless records, written as trusted_root.json. */
  trustedRoot?: Record<string, unknown>;
  /** Public keys (PEM) the ledger was verified with besides its own keys/ (`--key`). */
  trustedKeys?: string[];
  /** The identity keyless records were verified against, when given (else record 0's). */
  identity?: IdentityPolicy;
  /** When the pack is made (default now): written into index.json and the report. */
  now?: Date;
  /**
   * Signs the pack's manifest (MANIFEST.sigstore.json: every file and its sha256), so that
   * index.json, report.html and the rest are the signer's word, not only the packer's. Give the
   * ledger's own signer: verification requires the signer of record 0.
   */
  signer?: Signer;
  /** Completeness and replay figures for the range (`export --audit`), packed and signed with the rest. */
  audit?: PackAudit;
  /**
   * Checkpoints of this ledger cosigned by witnesses (`export --cosigned FILE`), kept in
   * `witnessed/` so that an auditor checks them with the witnesses' keys, obtained from them.
   */
  cosigned?: { name: string; text: string }[];
}

/** What `audit completeness` and `audit replay` found for the pack's range. */
export interface PackAudit {
  /** Which history and records the figures cover, in words. */
  scope: string;
  completeness: CompletenessReport | null;
  replay: ReplayReport | null;
}

/** Where a pack keeps its audit figures. */
export const AUDIT_FILES = { completeness: 'audit/completeness.json', replay: 'audit/replay.json' } as const;

export interface EvidencePack {
  zip: Buffer;
  data: ReportData;
  /** Every file in the pack, by path. */
  files: Map<string, Buffer>;
  /** Things the pack could not include (a manifest the store lacks). */
  missing: string[];
  /** Whether the pack holds a signed manifest of its files. */
  signed: boolean;
}

export const LEDGER_DIR = 'ledger';
/** Where the pack keeps the range as CycloneDX 1.6 and SPDX 3.0.1 documents. */
export const EXPORT_FILES = {
  cyclonedx: 'exports/ledger.cdx.json',
  spdx3: 'exports/ledger.spdx.json',
} as const;

/** The pack in memory: its zip and its files (the library, and the Action's release pack). */
export async function buildEvidencePack(options: EvidenceOptions): Promise<EvidencePack> {
  const files = new MemoryPackFiles();
  const assembled = await assemblePack(options, files);
  return { ...assembled, zip: files.zip(), files: files.files() };
}

/** What `writeEvidencePack` wrote. */
export interface WrittenEvidencePack {
  out: string;
  size: number;
  sha256: string;
  data: ReportData;
  missing: string[];
  signed: boolean;
}

/**
 * The pack written to `out`, with one of its files in memory at a time: they are staged beside
 * `out`, then zipped into a temporary file renamed over `out` (an atomic rename on one file
 * system), so `out` is either the whole pack or as it was. The staging is removed either way.
 */
export async function writeEvidencePack(
  options: EvidenceOptions & { out: string },
): Promise<WrittenEvidencePack> {
  const { out } = options;
  const temporary = `${out}.${process.pid}.tmp`;
  await mkdir(dirname(out), { recursive: true }).catch((error: unknown) => {
    throw new LedgerError('IO', `cannot make the directory of the evidence pack (${describeError(error)})`, {
      file: out,
      cause: error,
    });
  });
  const files = await StagedPackFiles.create(out);
  try {
    const assembled = await assemblePack(options, files);
    let written: { size: number; sha256: string };
    try {
      written = await files.writeZip(temporary);
      await rename(temporary, out);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error instanceof LedgerError
        ? error
        : new LedgerError('IO', `cannot write the evidence pack (${describeError(error)})`, {
            file: out,
            cause: error,
          });
    }
    return { out, ...written, ...assembled };
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw new LedgerError('IO', `cannot stage the evidence pack (${describeError(error)})`, {
      file: out,
      cause: error,
      fix: 'make the directory of --out writable, with room for the pack twice over',
    });
  } finally {
    await files.cleanup();
  }
}

async function assemblePack(
  options: EvidenceOptions,
  files: PackFiles,
): Promise<{ data: ReportData; missing: string[]; signed: boolean }> {
  const { ledger } = options;
  const indexes = ledger.rows.map((row) => row.index);
  if (indexes.length === 0) {
    throw new LedgerError('BAD_INPUT', 'the ledger has no records to export', { file: ledger.location });
  }
  const last = Math.max(...indexes);
  const from = options.from ?? 0;
  const to = options.to ?? last;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > last || from > to) {
    throw new LedgerError(
      'USAGE',
      `records ${from} to ${to} are not a range of this ledger (records 0 to ${last})`,
      {
        field: '--from/--to',
        fix: `give 0 ≤ --from ≤ --to ≤ ${last}`,
      },
    );
  }
  const rows = ledger.rows.filter((row) => row.index <= to);
  const missing: string[] = [];
  // Each bundle is read again, one at a time, and must be the bytes verified.
  const leaves = new Map<number, Buffer>();
  for (const row of rows) {
    const bundle = await ledger.store.get(row.ref);
    if (sha256Hex(bundle) !== row.bundleSha256) {
      throw new LedgerError('STORE', `record ${row.index} changed after it was verified`, {
        file: row.location,
        fix: 'export again once nothing is writing to the ledger',
      });
    }
    await files.add(packFile(row), bundle);
    const payload = payloadOf(bundle);
    if (payload) leaves.set(row.index, leafHash(payload));
  }
  const checkpoint = await anchorFiles(ledger, rows, leaves, from, to, files);
  const witnessed = await cosignedFiles(options.cosigned ?? [], rows, to, files);
  if (!checkpoint)
    missing.push(
      `the ledger's signed checkpoint of records 0–${to} (records made before checkpoints have none)`,
    );

  const keys = await ledger.store.publicKeys();
  for (const pem of options.trustedKeys ?? []) keys.set(keyHint(createPublicKey(pem)), pem);
  for (const [hint, pem] of [...keys].sort(([a], [b]) => (a < b ? -1 : 1)))
    await files.add(`${LEDGER_DIR}/keys/${hint}.pub.pem`, Buffer.from(pem, 'utf8'));

  for (const row of rows) {
    for (const stored of storedManifests(row.statement)) {
      const path = `${LEDGER_DIR}/manifests/${stored.name}`;
      if (files.has(path)) continue;
      const text = await readStoredManifest(ledger.store, stored.name);
      if (text === null)
        missing.push(`record ${row.index}: manifest ${stored.name} is not in ${ledger.location}`);
      else if (sha256Hex(Buffer.from(text, 'utf8')) !== stored.sha256)
        missing.push(`record ${row.index}: manifest ${stored.name} does not hash to ${stored.sha256}`);
      else await files.add(path, Buffer.from(text, 'utf8'));
    }
  }
  // The range in the formats auditors' tools read; index.json and SHA256SUMS list their digests.
  // One document at a time, written as it is serialised (the text of serializeCycloneDx and
  // serializeSpdx3): at 10,000 records each is tens of MiB.
  const range = { ledger, from, to, ...(options.now ? { now: options.now } : {}) };
  for (const [path, label, build] of [
    [EXPORT_FILES.cyclonedx, 'CycloneDX export', () => buildCycloneDx(range)],
    [EXPORT_FILES.spdx3, 'SPDX 3 export', () => buildSpdx3(range)],
  ] as const) {
    let document: unknown;
    try {
      document = build();
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      missing.push(`${label}: ${error.message}`);
      continue;
    }
    await files.addText(path, jsonPieces(document));
  }
  if (options.audit?.completeness)
    await files.add(
      AUDIT_FILES.completeness,
      jsonFile({ scope: options.audit.scope, ...options.audit.completeness }),
    );
  if (options.audit?.replay)
    await files.add(AUDIT_FILES.replay, jsonFile({ scope: options.audit.scope, ...options.audit.replay }));
  if (options.trustedRoot)
    await files.add('trusted_root.json', Buffer.from(`${JSON.stringify(options.trustedRoot, null, 2)}\n`));

  const generatedAt = (options.now ?? new Date()).toISOString();
  const data = buildReportData(ledger, rows, {
    from,
    to,
    generatedAt,
    fileOf: packFile,
  });
  const first = rows.find((row) => row.index === 0);
  await files.add(
    'VERIFY.md',
    Buffer.from(
      verifyInstructions({
        data,
        keys: [...keys.keys()],
        pinnedKey: first?.claimedSigner?.kind === 'key' ? first.claimedSigner.keyHint : null,
        explicitKeys: (options.trustedKeys ?? []).map((pem) => keyHint(createPublicKey(pem))),
        identity: options.identity ?? null,
        firstSigner: first?.claimedSigner ?? null,
        hasTrustedRoot: options.trustedRoot !== undefined,
        checkpoint: checkpoint?.file ?? null,
        witnessed,
        manifestSigned: options.signer !== undefined,
        audit: options.audit
          ? {
              scope: options.audit.scope,
              completeness: options.audit.completeness?.summary ?? null,
              replay: options.audit.replay?.summary ?? null,
            }
          : null,
        missing,
      }),
      'utf8',
    ),
  );
  await files.add('report.html', Buffer.from(renderReportHtml(data), 'utf8'));
  const listing = files.listing();
  await files.addText(
    'index.json',
    jsonPieces({
      ...data,
      missing,
      ...(options.audit
        ? {
            audit: {
              scope: options.audit.scope,
              completeness: options.audit.completeness?.summary ?? null,
              replay: options.audit.replay?.summary ?? null,
            },
          }
        : {}),
      files: listing,
    }),
  );
  const sums = files
    .listing()
    .map(({ path, sha256 }) => `${sha256}  ${path}\n`)
    .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1))
    .join('');
  await files.add('SHA256SUMS', Buffer.from(sums, 'utf8'));
  if (options.signer) {
    const digests = new Map(files.listing().map(({ path, sha256 }) => [path, sha256]));
    const payload = packManifestPayloadOfDigests(digests, {
      origin: data.origin ?? null,
      range: { from, to },
      records: rows.length,
      checkpoint,
      generatedAt,
      tool: { name: 'model-ledger', version: TOOL_VERSION },
    });
    const bundle = await options.signer.signStatement(payload);
    await files.add(PACK_MANIFEST_FILE, Buffer.from(`${JSON.stringify(bundle, null, 2)}\n`, 'utf8'));
  }
  return { data, missing, signed: options.signer !== undefined };
}

/**
 * What anchors the pack: the ledger's signed checkpoint of records 0..to (as the ledger keeps it,
 * so `verify --store ledger` checks it), the standard-library script that recomputes its root,
 * and the inclusion proof of every record of the range in it (RFC 6962), so a record can be shown
 * to belong to the checkpoint without the rest. Returns the checkpoint's path, size and root, or null.
 */
async function anchorFiles(
  ledger: LoadedLedger,
  rows: LedgerRow[],
  leafOf: ReadonlyMap<number, Buffer>,
  from: number,
  to: number,
  files: PackFiles,
): Promise<{ file: string; size: number; rootHash: string } | null> {
  await files.add('ledger-root.py', Buffer.from(LEDGER_ROOT_SCRIPT, 'utf8'));
  const ordered = [...rows].sort((a, b) => a.index - b.index);
  if (!ordered.every((row, at) => row.index === at && leafOf.has(at))) return null;
  const leaves = ordered.map((row) => leafOf.get(row.index) as Buffer);
  // One tree for every proof: O(n) to build, O(log n) a proof (inclusionProof alone is O(n) each).
  const tree = MerkleTree.of(leaves);
  const root = tree.root();
  const inRange = ordered.filter((row) => row.index >= from);
  // Each proof is made as it is written: 10,000 of them as objects would be 140,000 strings.
  const proofs = function* (): Generator<string> {
    const head = JSON.stringify(
      {
        treeSize: leaves.length,
        rootHash: root.toString('base64'),
        algorithm: 'RFC 6962 SHA-256',
        proofs: [],
      },
      null,
      2,
    );
    if (inRange.length === 0) {
      yield `${head}\n`;
      return;
    }
    // The text JSON.stringify gives the whole object, with the proofs where its `[]` is.
    yield head.slice(0, -'[]\n}'.length);
    for (const [position, row] of inRange.entries()) {
      yield position === 0 ? '[\n    ' : ',\n    ';
      yield* prettyJsonChunks(
        {
          index: row.index,
          file: packFile(row),
          leafHash: (leaves[row.index] as Buffer).toString('hex'),
          proof: tree.inclusionProof(row.index).map((hash) => hash.toString('hex')),
        },
        '    ',
      );
    }
    yield '\n  ]\n}\n';
  };
  await files.addText('proofs/inclusion.json', proofs());
  const stored = (await ledger.store.getCheckpoint?.(to + 1)) ?? null;
  if (!stored) return null;
  const path = `${LEDGER_DIR}/checkpoints/${checkpointFileName(to)}`;
  await files.add(path, Buffer.from(stored.text, 'utf8'));
  // Keyless: the bundle that ties the note's signature key to the signer's certificate identity.
  if (stored.bundle) await files.add(checkpointBundleName(path), Buffer.from(stored.bundle, 'utf8'));
  return { file: path, size: leaves.length, rootHash: root.toString('base64') };
}

/**
 * The cosigned checkpoints, checked to be of this ledger (its origin) and of no more records than
 * the pack holds; their cosignatures are the witnesses' to check, with keys from the witnesses.
 */
async function cosignedFiles(
  cosigned: { name: string; text: string }[],
  rows: LedgerRow[],
  to: number,
  files: PackFiles,
): Promise<string[]> {
  const origin = rows.find((row) => row.statement)?.statement?.predicate.chain.origin;
  const paths: string[] = [];
  for (const { name, text } of cosigned) {
    let parsed;
    try {
      parsed = parseCheckpoint(text, name);
    } catch (error) {
      throw new LedgerError('BAD_INPUT', `is not a checkpoint (${describeError(error)})`, {
        file: name,
        field: '--cosigned',
        cause: error,
        fix: "give a witness's cosigned checkpoint of this ledger",
      });
    }
    if (parsed.origin !== origin || parsed.size > to + 1) {
      throw new LedgerError(
        'BAD_INPUT',
        parsed.origin !== origin
          ? `is a checkpoint of ${parsed.origin}, not of this ledger (${origin ?? 'unknown'})`
          : `covers ${parsed.size} records, more than the ${to + 1} this pack holds`,
        {
          file: name,
          field: '--cosigned',
          fix: "give a witness's cosigned checkpoint of this ledger's records 0 to --to",
        },
      );
    }
    const path = `witnessed/${basename(name).replace(/[^A-Za-z0-9._-]/g, '_')}`;
    await files.add(path, Buffer.from(text, 'utf8'));
    paths.push(path);
  }
  return paths;
}

/** `JSON.stringify(value, null, 2)` and a newline, in pieces. */
function* jsonPieces(value: unknown): Generator<string> {
  yield* prettyJsonChunks(value);
  yield '\n';
}

function jsonFile(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/**
 * The DSSE payload bytes of a stored bundle (the record's Merkle leaf); null when it has none (a
 * record verification failed on, packed as found: the pack then carries no inclusion proofs).
 */
function payloadOf(bundle: Buffer): Buffer | null {
  try {
    const payload = (JSON.parse(bundle.toString('utf8')) as { dsseEnvelope?: { payload?: unknown } } | null)
      ?.dsseEnvelope?.payload;
    return typeof payload === 'string' ? Buffer.from(payload, 'base64') : null;
  } catch {
    return null;
  }
}

/**
 * A record's path in the pack: its local-ledger name, so that `verify --store ledger` reads the
 * pack as a ledger. Records from other stores (release assets) are given that name; a local
 * record keeps its own, even a wrong one, so that verifying the pack finds what was found here.
 */
function packFile(row: LedgerRow): string {
  const local = parseRecordFileName(row.file) !== null;
  return `${LEDGER_DIR}/${local ? row.file : recordFileName(row.ref.index, row.statementSha256 ?? '0'.repeat(64))}`;
}

function storedManifests(statement: Statement | null): { name: string; sha256: string }[] {
  if (!statement) return [];
  const result: { name: string; sha256: string }[] = [];
  for (const entry of [...statement.predicate.models, ...statement.predicate.datasets]) {
    if (entry.manifest?.stored) result.push({ name: entry.manifest.stored, sha256: entry.manifest.sha256 });
  }
  return result;
}
