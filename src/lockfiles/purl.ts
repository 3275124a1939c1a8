/**
 * Package URLs (https://github.com/package-url/purl-spec): building them with the spec's
 * percent-encoding and each type's name rules.
 */
import { LedgerError } from '../errors.js';

export type Ecosystem = 'npm' | 'pypi' | 'conda' | 'cargo' | 'golang' | 'generic';

export interface PurlParts {
  type: Ecosystem;
  /** Slash-separated namespace segments, unencoded (e.g. `@babel` or `github.com/pkg`). */
  namespace?: string | undefined;
  name: string;
  /** Empty when the lockfile does not pin a version: then the purl has no `@version`. */
  version: string;
  /** Empty or undefined values are left out; keys are lowercased and sorted. */
  qualifiers?: Record<string, string | undefined> | undefined;
  /** A path inside the package, slash-separated, unencoded. */
  subpath?: string | undefined;
}

const HEX = '0123456789ABCDEF';
/** The spec's unreserved characters, plus `:`, which it never encodes. */
const UNRESERVED = /^[A-Za-z0-9._~:-]*$/;
const QUALIFIER_KEY = /^[A-Za-z._-][A-Za-z0-9._-]*$/;

/** Percent-encodes UTF-8 bytes outside A–Z a–z 0–9 `.-_~` and `:` (so `/`, `@`, `+`, `,` are encoded too). */
function encode(value: string): string {
  if (UNRESERVED.test(value)) return value;
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && UNRESERVED.test(ch)) {
      out += ch;
    } else {
      out += `%${HEX[byte >> 4] ?? ''}${HEX[byte & 15] ?? ''}`;
    }
  }
  return out;
}

/** Namespace and subpath segments: empty ones dropped; in a subpath `.` and `..` too, as the spec says. */
function segments(path: string, subpath: boolean): string[] {
  return path
    .split('/')
    .filter((segment) => segment !== '' && !(subpath && (segment === '.' || segment === '..')));
}

/** The spec's per-type name rules, applied to raw components before encoding. */
function normalise(parts: PurlParts): { namespace: string | undefined; name: string } {
  switch (parts.type) {
    case 'pypi':
      return { namespace: parts.namespace, name: parts.name.toLowerCase().replaceAll('_', '-') };
    case 'golang':
      return { namespace: parts.namespace?.toLowerCase(), name: parts.name.toLowerCase() };
    case 'conda':
      // conda names are lowercase by the channel's rules; an environment file may be written otherwise.
      return { namespace: parts.namespace, name: parts.name.toLowerCase() };
    default:
      // npm keeps case: old packages with capitals were grandfathered in, and the spec says so.
      return { namespace: parts.namespace, name: parts.name };
  }
}

/**
 * The canonical purl string for a package (purl-spec: type rules, percent-encoding of every
 * component, qualifiers sorted by lowercased key). Components are passed raw. A missing name or a
 * qualifier key the spec does not allow is a programming error here, so it throws.
 */
export function formatPurl(parts: PurlParts): string {
  const { namespace, name } = normalise(parts);
  if (name === '') throw new LedgerError('BAD_INPUT', `a ${parts.type} package URL needs a name`);
  let out = `pkg:${parts.type}/`;
  const spaces = namespace === undefined ? [] : segments(namespace, false);
  if (spaces.length > 0) out += `${spaces.map(encode).join('/')}/`;
  out += encode(name);
  if (parts.version !== '') out += `@${encode(parts.version)}`;
  const qualifiers = Object.entries(parts.qualifiers ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]): [string, string] => {
      if (!QUALIFIER_KEY.test(key)) {
        throw new LedgerError('BAD_INPUT', `${JSON.stringify(key)} is not a valid package URL qualifier key`);
      }
      return [key.toLowerCase(), value];
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (qualifiers.length > 0)
    out += `?${qualifiers.map(([key, value]) => `${key}=${encode(value)}`).join('&')}`;
  const path = parts.subpath === undefined ? [] : segments(parts.subpath, true);
  if (path.length > 0) out += `#${path.map(encode).join('/')}`;
  return out;
}

/** PEP 503 normalised name: lowercase, runs of `-`, `_`, `.` become one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Splits an npm name into scope and name: `@babel/core` → [`@babel`, `core`]. */
export function splitNpmName(name: string): { namespace?: string; name: string } {
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    if (slash > 1) return { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
  }
  return { name };
}

export function npmPurl(
  name: string,
  version: string,
  qualifiers?: Record<string, string | undefined>,
): string {
  const split = splitNpmName(name);
  return formatPurl({ type: 'npm', ...split, version, qualifiers });
}

export function pypiPurl(
  name: string,
  version: string,
  qualifiers?: Record<string, string | undefined>,
): string {
  return formatPurl({ type: 'pypi', name, version, qualifiers });
}

export function condaPurl(
  name: string,
  version: string,
  qualifiers?: Record<string, string | undefined>,
): string {
  return formatPurl({ type: 'conda', name, version, qualifiers });
}

export function cargoPurl(
  name: string,
  version: string,
  qualifiers?: Record<string, string | undefined>,
): string {
  return formatPurl({ type: 'cargo', name, version, qualifiers });
}

/** Go module path → namespace + name (lowercased by formatPurl, as the spec asks). */
export function golangPurl(modulePath: string, version: string): string {
  const slash = modulePath.lastIndexOf('/');
  return slash === -1
    ? formatPurl({ type: 'golang', name: modulePath, version })
    : formatPurl({
        type: 'golang',
        namespace: modulePath.slice(0, slash),
        name: modulePath.slice(slash + 1),
        version,
      });
}

/** Removes `user:password@` from a URL: lockfile URLs often carry tokens, and records are published. */
export function withoutCredentials(url: string): string {
  return url.replace(/^((?:[a-z][a-z0-9.-]*\+)?[a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
