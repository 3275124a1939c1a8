/** The final shape of a parser's package list: one clean object per package, sorted by purl, deduped. */
import type { DependencyPackage, PackageOccurrence } from '../record/predicate.js';
import type { ParsedPackages } from './types.js';

export interface PackageFields {
  purl: string;
  name: string;
  version: string;
  ecosystem: string;
  integrity?: string | undefined;
  direct?: boolean | undefined;
  dev?: boolean | undefined;
  /** Where in the lockfile this entry is (install path, section, key): kept when copies disagree on dev. */
  from?: string | undefined;
}

/** Copies of one package whose places are listed, when they disagree on dev; the rest are counted. */
export const MAX_OCCURRENCES = 16;

/** A package object with its keys in one order and no undefined members. */
export function makePackage(fields: PackageFields): DependencyPackage {
  const pkg: DependencyPackage = {
    purl: fields.purl,
    name: fields.name,
    version: fields.version,
    ecosystem: fields.ecosystem,
  };
  if (fields.integrity !== undefined && fields.integrity !== '') pkg.integrity = fields.integrity;
  if (fields.direct !== undefined) pkg.direct = fields.direct;
  if (fields.dev !== undefined) pkg.dev = fields.dev;
  if (fields.from !== undefined) pkg.occurrences = [{ from: fields.from, dev: fields.dev }];
  return pkg;
}

/** Several digests for one package (one per wheel or archive): sorted, space-separated, like SRI. */
export function joinDigests(digests: Iterable<string>): string | undefined {
  const unique = [...new Set(digests)].filter((digest) => digest !== '').sort();
  return unique.length > 0 ? unique.join(' ') : undefined;
}

/** Needed in production if any occurrence is; dev only if every occurrence says so. */
function mergeDev(a: boolean | undefined, b: boolean | undefined): boolean | undefined {
  if (a === false || b === false) return false;
  if (a === undefined || b === undefined) return undefined;
  return true;
}

/** Direct if any occurrence is. */
function mergeDirect(a: boolean | undefined, b: boolean | undefined): boolean | undefined {
  if (a === true || b === true) return true;
  if (a === undefined || b === undefined) return undefined;
  return false;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A package without `occurrences` unless its copies disagree on dev: the places then say which copy is which. */
function settle(pkg: DependencyPackage, occurrences: PackageOccurrence[]): DependencyPackage {
  const { occurrences: _drop, occurrencesOmitted: _omitted, ...rest } = pkg;
  const flags = new Set(occurrences.map((occurrence) => occurrence.dev));
  if (flags.size < 2) return rest;
  const kept = occurrences
    .slice(0, MAX_OCCURRENCES)
    .map(({ from, dev }) => (dev === undefined ? { from } : { from, dev }));
  const out: DependencyPackage = { ...rest, occurrences: kept };
  if (occurrences.length > kept.length) out.occurrencesOmitted = occurrences.length - kept.length;
  return out;
}

/**
 * Sorts by purl (then integrity) and merges entries with the same purl and integrity: the
 * same package reached twice (nested npm copies, default and develop in Pipfile.lock). The merged
 * entry is direct if any copy is, and dev only if every copy is; copies that disagree on dev keep
 * their places in `occurrences` (when the parser gave them), so the merge is never silent.
 * Entries are expected to come from makePackage.
 */
export function finishPackages(packages: readonly DependencyPackage[], notes: string[] = []): ParsedPackages {
  const byKey = new Map<string, { pkg: DependencyPackage; occurrences: PackageOccurrence[] }>();
  for (const pkg of packages) {
    const key = `${pkg.purl}\n${pkg.integrity ?? ''}`;
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, { pkg, occurrences: [...(pkg.occurrences ?? [])] });
    } else {
      seen.pkg = makePackage({
        ...seen.pkg,
        direct: mergeDirect(seen.pkg.direct, pkg.direct),
        dev: mergeDev(seen.pkg.dev, pkg.dev),
      });
      seen.occurrences.push(...(pkg.occurrences ?? []));
    }
  }
  const sorted = [...byKey.values()]
    .map(({ pkg, occurrences }) => settle(pkg, occurrences))
    .sort((a, b) => compare(a.purl, b.purl) || compare(a.integrity ?? '', b.integrity ?? ''));
  return { packages: sorted, notes: [...new Set(notes)] };
}
