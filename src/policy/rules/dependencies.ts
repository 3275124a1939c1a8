/**
 * `dependencies`: packages that must not be in any recorded lockfile (`deny`: package URLs; without
 * `@version` every version is denied), and whether a record must have a lockfile at all.
 */
import { normalizePypiName } from '../../lockfiles/purl.js';
import type { PolicyResult } from '../../record/predicate.js';
import type { DeniedPackage, DependenciesRule, PolicySubject } from '../types.js';
import { failed, listed, passed, plural } from './result.js';

export function evaluateDependencies(rule: DependenciesRule, subject: PolicySubject): PolicyResult[] {
  const { lockfiles } = subject.dependencies;
  const results: PolicyResult[] = [];
  if (rule.deny) {
    const deny = rule.deny;
    const found: string[] = [];
    for (const lockfile of lockfiles) {
      for (const pkg of lockfile.packages) {
        const parsed = parsePurl(pkg.purl);
        const denial = parsed && deny.find((denied) => deniedBy(denied, parsed));
        if (denial) found.push(`${pkg.purl} in ${lockfile.path} (denied by ${denial.source})`);
      }
    }
    const packages = lockfiles.reduce((sum, lockfile) => sum + lockfile.packages.length, 0);
    results.push(
      found.length === 0
        ? passed(
            'dependencies.deny',
            rule,
            `none of ${plural(packages, 'package')} in ${plural(lockfiles.length, 'lockfile')} is denied`,
          )
        : failed(
            'dependencies.deny',
            rule,
            `denied ${found.length === 1 ? 'package' : 'packages'}: ${listed(found)}`,
          ),
    );
  }
  if (rule.requireLockfiles) {
    results.push(
      lockfiles.length > 0
        ? passed(
            'dependencies.require-lockfiles',
            rule,
            `${plural(lockfiles.length, 'lockfile')} recorded: ${listed(lockfiles.map((lockfile) => lockfile.path))}`,
          )
        : failed(
            'dependencies.require-lockfiles',
            rule,
            'the record has no lockfile, so its dependencies are not pinned — commit a lockfile (or name it with --lockfile)',
          ),
    );
  }
  return results;
}

function deniedBy(denied: DeniedPackage, pkg: Omit<DeniedPackage, 'source'>): boolean {
  return (
    denied.type === pkg.type &&
    denied.path === pkg.path &&
    (denied.version === undefined || denied.version === pkg.version)
  );
}

/** Types whose namespace and name compare case-insensitively (purl-spec: lowercased). */
const CASE_INSENSITIVE = new Set(['npm', 'github', 'bitbucket', 'pypi', 'composer', 'hex']);

/**
 * A package URL's type, namespace/name and version, decoded and normalised for comparison
 * (pypi names per PEP 503); qualifiers and subpath are not compared. Undefined when malformed.
 */
export function parsePurl(purl: string): Omit<DeniedPackage, 'source'> | undefined {
  const match = /^pkg:([A-Za-z][A-Za-z0-9.+-]*)\/+([^?#]+?)(?:@([^?#/]+))?(?:\?[^#]*)?(?:#.*)?$/.exec(purl);
  if (!match) return undefined;
  const type = (match[1] as string).toLowerCase();
  let segments: string[];
  let version: string | undefined;
  try {
    segments = (match[2] as string)
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
    version = match[3] === undefined ? undefined : decodeURIComponent(match[3]);
  } catch {
    return undefined;
  }
  if (segments.length === 0) return undefined;
  if (CASE_INSENSITIVE.has(type)) segments = segments.map((segment) => segment.toLowerCase());
  if (type === 'pypi') segments = segments.map(normalizePypiName);
  return { type, path: segments.join('/'), ...(version === undefined ? {} : { version }) };
}
