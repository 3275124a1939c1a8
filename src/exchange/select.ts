/**
 * The records an export covers, with what both exchange formats say about each: the statement,
 * who signed it (as verification established), where it sits in the chain and where it is stored.
 */
import { createHash } from 'node:crypto';

import { LedgerError } from '../errors.js';
import type { JsonValue, Statement } from '../record/predicate.js';
import type { LoadedLedger } from '../report/load.js';

export interface ExportRange {
  /** First chain index (default 0). */
  from?: number;
  /** Last chain index (default the newest). */
  to?: number;
}

export interface ExchangeOptions extends ExportRange {
  ledger: LoadedLedger;
  /** When the document is made; default now. */
  now?: Date;
}

export interface ExportedRecord {
  index: number;
  statement: Statement;
  statementSha256: string;
  bundleSha256: string;
  /** Where the bundle is stored: a path or a URL. */
  location: string;
  /** `key:<hint>` or a certificate identity, when the signature verified; null otherwise. */
  signer: string | null;
  verified: boolean;
}

/** The records from..to whose statement reads; a record that does not is an error, not a gap. */
export function selectRecords(ledger: LoadedLedger, range: ExportRange): ExportedRecord[] {
  const indexes = ledger.rows.map((row) => row.index);
  if (indexes.length === 0) {
    throw new LedgerError('BAD_INPUT', 'the ledger holds no record to export', {
      file: ledger.location,
      fix: 'record first: `model-ledger record`',
    });
  }
  const from = range.from ?? 0;
  const to = range.to ?? Math.max(...indexes);
  if (from > to) {
    throw new LedgerError('USAGE', `--from ${from} is after --to ${to}`, { field: 'export' });
  }
  const rows = ledger.rows
    .filter((row) => row.index >= from && row.index <= to)
    .sort((a, b) => a.index - b.index);
  if (rows.length === 0) {
    throw new LedgerError('USAGE', `no record has an index from ${from} to ${to}`, {
      field: 'export',
      fix: `the ledger's records are ${Math.min(...indexes)} to ${Math.max(...indexes)}`,
    });
  }
  return rows.map((row) => {
    if (!row.statement || row.statementSha256 === null) {
      throw new LedgerError('VERIFICATION_FAILED', 'the record cannot be read, so it cannot be exported', {
        file: row.location,
        fix: 'run `model-ledger verify` to see what is wrong with it',
      });
    }
    return {
      index: row.index,
      statement: row.statement,
      statementSha256: row.statementSha256,
      bundleSha256: row.bundleSha256,
      location: row.location,
      signer: row.signer,
      verified: row.signatureVerified && row.chainVerified,
    };
  });
}

/** A stable id for the exported set: the sha256 over its records' statement digests. */
export function documentDigest(records: readonly ExportedRecord[]): string {
  const hash = createHash('sha256');
  for (const record of records) hash.update(`${record.index} ${record.statementSha256}\n`);
  return hash.digest('hex');
}

/** A value as text for name/value pairs (properties, dictionary entries). */
export function valueText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** SPDX license expression syntax (ids, LicenseRef-, WITH/AND/OR, parentheses): usable as an expression. */
export function looksLikeLicenseExpression(text: string): boolean {
  return /^[A-Za-z0-9.+:-]+( +(AND|OR|WITH) +[A-Za-z0-9.+:-]+)*$/.test(
    text.replace(/[()]/g, ' ').replace(/ +/g, ' ').trim(),
  );
}

/** Evaluation splits are testedOn; everything else trainedOn. A declared split wins over the name. */
export function datasetRole(
  name: string,
  description: Record<string, JsonValue> | undefined,
): 'trainedOn' | 'testedOn' {
  const split = typeof description?.split === 'string' ? description.split.toLowerCase() : undefined;
  const word = split ?? name.toLowerCase();
  return /(^|[^a-z])(test|eval|evaluation|valid|validation|val|holdout)([^a-z]|$)/.test(word)
    ? 'testedOn'
    : 'trainedOn';
}

/** A lockfile integrity (`sha512-<base64>`, `sha256:<hex>`, `sha1-…`) as an algorithm and hex. */
export function integrityDigest(
  integrity: string | undefined,
): { algorithm: 'sha256' | 'sha384' | 'sha512' | 'sha1'; hex: string } | null {
  if (!integrity) return null;
  const match = /^(sha1|sha256|sha384|sha512)[-:](.+)$/.exec(integrity.trim());
  if (!match) return null;
  const algorithm = match[1] as 'sha256' | 'sha384' | 'sha512' | 'sha1';
  const value = match[2] as string;
  const lengths = { sha1: 40, sha256: 64, sha384: 96, sha512: 128 };
  const hex =
    /^[0-9a-fA-F]+$/.test(value) && value.length === lengths[algorithm]
      ? value.toLowerCase()
      : Buffer.from(value, 'base64').toString('hex');
  return hex.length === lengths[algorithm] ? { algorithm, hex } : null;
}
