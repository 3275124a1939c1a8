/**
 * The evidence pack: one zip that lets a regulator check a range of records without trusting us
 * or GitHub. It holds every bundle from record 0 to the end of the range (the chain back to the
 * start), the manifests they refer to, the public keys and trusted root that verify them offline,
 * VERIFY.md with the exact commands, index.json (machine-readable), report.html (for people) and
 * SHA256SUMS over all of it.
 */
import { createPublicKey } from 'node:crypto';
import { basename } from 'node:path';

import type { CompletenessReport } from '../audit/completeness.js';
import type { ReplayReport } from '../audit/replay.js';
import { LEDGER_ROOT_SCRIPT } from '../checkpoint/ledger-root-script.js';
import { MerkleTree, leafHash } from '../checkpoint/merkle.js';
import { parseCheckpoint } from '../checkpoint/note.js';
import { LedgerError, describeError } from '../errors.js';
import { buildCycloneDx, serializeCycloneDx } from '../exchange/cyclonedx.js';
import { buildSpdx3, serializeSpdx3 } from '../exchange/spdx3.js';
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
import { PACK_MANIFEST_FILE, packManifestPayload } from '../verify/pack.js';
import { renderReportHtml } from './html.js';
import { readStoredManifest, type LedgerRow, type LoadedLedger } from './load.js';
import { buildReportData, type ReportData } from './report-data.js';
import { verifyInstructions } from './verify-md.js';
import { createZip, type ZipInput } from './zip.js';

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

export async function buildEvidencePack(options: EvidenceOptions): Promise<EvidencePack> {
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
  const files = new Map<string, Buffer>();
  const missing: string[] = [];
  for (const row of rows) files.set(packFile(row), row.bundle);
  const checkpoint = await anchorFiles(ledger, rows, from, to, files);
  const witnessed = cosignedFiles(options.cosigned ?? [], rows, to, files);
  if (!checkpoint)
    missing.push(
      `the ledger's signed checkpoint of records 0–${to} (records made before checkpoints have none)`,
    );

  const keys = await ledger.store.publicKeys();
  for (const pem of options.trustedKeys ?? []) keys.set(keyHint(createPublicKey(pem)), pem);
  for (const [hint, pem] of [...keys].sort(([a], [b]) => (a < b ? -1 : 1)))
    files.set(`${LEDGER_DIR}/keys/${hint}.pub.pem`, Buffer.from(pem, 'utf8'));

  for (const row of rows) {
    for (const stored of storedManifests(row.statement)) {
      const path = `${LEDGER_DIR}/manifests/${stored.name}`;
      if (files.has(path)) continue;
      const text = await readStoredManifest(ledger.store, stored.name);
      if (text === null)
        missing.push(`record ${row.index}: manifest ${stored.name} is not in ${ledger.location}`);
      else if (sha256Hex(Buffer.from(text, 'utf8')) !== stored.sha256)
        missing.push(`record ${row.index}: manifest ${stored.name} does not hash to ${stored.sha256}`);
      else files.set(path, Buffer.from(text, 'utf8'));
    }
  }
  // The range in the formats auditors' tools read; index.json and SHA256SUMS list their digests.
  try {
    const range = { ledger, from, to, ...(options.now ? { now: options.now } : {}) };
    files.set(EXPORT_FILES.cyclonedx, Buffer.from(serializeCycloneDx(buildCycloneDx(range)), 'utf8'));
    files.set(EXPORT_FILES.spdx3, Buffer.from(serializeSpdx3(buildSpdx3(range)), 'utf8'));
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    missing.push(`CycloneDX and SPDX exports: ${error.message}`);
  }
  if (options.audit?.completeness)
    files.set(
      AUDIT_FILES.completeness,
      jsonFile({ scope: options.audit.scope, ...options.audit.completeness }),
    );
  if (options.audit?.replay)
    files.set(AUDIT_FILES.replay, jsonFile({ scope: options.audit.scope, ...options.audit.replay }));
  if (options.trustedRoot)
    files.set('trusted_root.json', Buffer.from(`${JSON.stringify(options.trustedRoot, null, 2)}\n`));

  const generatedAt = (options.now ?? new Date()).toISOString();
  const data = buildReportData(ledger, rows, {
    from,
    to,
    generatedAt,
    fileOf: packFile,
  });
  const first = rows.find((row) => row.index === 0);
  files.set(
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
  files.set('report.html', Buffer.from(renderReportHtml(data), 'utf8'));
  const listing = [...files].map(([path, bytes]) => ({ path, sha256: sha256Hex(bytes), size: bytes.length }));
  files.set(
    'index.json',
    Buffer.from(
      `${JSON.stringify(
        {
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
        },
        null,
        2,
      )}\n`,
      'utf8',
    ),
  );
  const sums = [...files]
    .map(([path, bytes]) => `${sha256Hex(bytes)}  ${path}\n`)
    .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1))
    .join('');
  files.set('SHA256SUMS', Buffer.from(sums, 'utf8'));
  if (options.signer) {
    const payload = packManifestPayload(files, {
      origin: data.origin ?? null,
      range: { from, to },
      records: rows.length,
      checkpoint,
      generatedAt,
      tool: { name: 'model-ledger', version: TOOL_VERSION },
    });
    const bundle = await options.signer.signStatement(payload);
    files.set(PACK_MANIFEST_FILE, Buffer.from(`${JSON.stringify(bundle, null, 2)}\n`, 'utf8'));
  }
  const inputs: ZipInput[] = [...files].map(([name, data]) => ({ name, data }));
  return { zip: createZip(inputs), data, files, missing, signed: options.signer !== undefined };
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
  from: number,
  to: number,
  files: Map<string, Buffer>,
): Promise<{ file: string; size: number; rootHash: string } | null> {
  files.set('ledger-root.py', Buffer.from(LEDGER_ROOT_SCRIPT, 'utf8'));
  const ordered = [...rows].sort((a, b) => a.index - b.index);
  if (!ordered.every((row, at) => row.index === at)) return null;
  const leaves = ordered.map((row) => leafHash(payloadOf(row.bundle)));
  // One tree for every proof: O(n) to build, O(log n) a proof (inclusionProof alone is O(n) each).
  const tree = MerkleTree.of(leaves);
  const root = tree.root();
  const proofs = ordered
    .filter((row) => row.index >= from)
    .map((row) => ({
      index: row.index,
      file: packFile(row),
      leafHash: (leaves[row.index] as Buffer).toString('hex'),
      proof: tree.inclusionProof(row.index).map((hash) => hash.toString('hex')),
    }));
  files.set(
    'proofs/inclusion.json',
    Buffer.from(
      `${JSON.stringify({ treeSize: leaves.length, rootHash: root.toString('base64'), algorithm: 'RFC 6962 SHA-256', proofs }, null, 2)}\n`,
      'utf8',
    ),
  );
  const stored = (await ledger.store.getCheckpoint?.(to + 1)) ?? null;
  if (!stored) return null;
  const path = `${LEDGER_DIR}/checkpoints/${checkpointFileName(to)}`;
  files.set(path, Buffer.from(stored.text, 'utf8'));
  // Keyless: the bundle that ties the note's signature key to the signer's certificate identity.
  if (stored.bundle) files.set(checkpointBundleName(path), Buffer.from(stored.bundle, 'utf8'));
  return { file: path, size: leaves.length, rootHash: root.toString('base64') };
}

/**
 * The cosigned checkpoints, checked to be of this ledger (its origin) and of no more records than
 * the pack holds; their cosignatures are the witnesses' to check, with keys from the witnesses.
 */
function cosignedFiles(
  cosigned: { name: string; text: string }[],
  rows: LedgerRow[],
  to: number,
  files: Map<string, Buffer>,
): string[] {
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
    files.set(path, Buffer.from(text, 'utf8'));
    paths.push(path);
  }
  return paths;
}

function jsonFile(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/** The DSSE payload bytes of a stored bundle (the record's Merkle leaf). */
function payloadOf(bundle: Buffer): Buffer {
  const payload = (JSON.parse(bundle.toString('utf8')) as { dsseEnvelope?: { payload?: unknown } })
    .dsseEnvelope?.payload;
  if (typeof payload !== 'string') {
    throw new LedgerError('BAD_INPUT', 'a record of the range has no DSSE payload', {
      field: 'dsseEnvelope.payload',
    });
  }
  return Buffer.from(payload, 'base64');
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
