/**
 * Package URLs (https://github.com/package-url/purl-spec): building them with the spec's
 * percent-encoding and each type's name rules.
 */

export type Ecosystem = 'npm' | 'pypi' | 'conda' | 'cargo' | 'golang';

export interface PurlParts {
  type: Ecosystem;
  /** Slash-separated namespace segments, unencoded (e.g. `@babel` or `github.com/pkg`). */
  namespace?: string;
  name: string;
  /** Empty when the lockfile does not pin a version: then the purl has no `@version`. */
  version: string;
  qualifiers?: Record<string, string | undefined>;
}

const HEX = '0123456789ABCDEF';
const UNRESERVED = /^[A-Za-z0-9._~:-]*$/;

/** Percent-encodes everything outside A–Z a–z 0–9 `.-_~` and `:`, plus any characters in `keep`. */
function encode(value: string, keep = ''): string {
  if (UNRESERVED.test(value)) return value;
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte);
    if ((byte < 0x80 && UNRESERVED.test(ch)) || keep.includes(ch)) {
      out += ch;
    } else {
      out += `%${HEX[byte >> 4] ?? ''}${HEX[byte & 15] ?? ''}`;
    }
  }
  return out;
}

/** The purl string for a package; components are encoded here, callers pass them raw. */
export function formatPurl(parts: PurlParts): string {
  let out = `pkg:${parts.type}/`;
  if (parts.namespace) {
    out += parts.namespace
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => encode(segment))
      .join('/');
    out += '/';
  }
  out += encode(parts.name);
  if (parts.version !== '') out += `@${encode(parts.version)}`;
  if (parts.qualifiers === undefined) return out;
  const qualifiers = Object.entries(parts.qualifiers)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (qualifiers.length > 0) {
    out += `?${qualifiers.map(([key, value]) => `${key.toLowerCase()}=${encode(value, '/')}`).join('&')}`;
  }
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
  const split = splitNpmName(name.toLowerCase());
  return formatPurl({ type: 'npm', ...split, version, qualifiers });
}

export function pypiPurl(
  name: string,
  version: string,
  qualifiers?: Record<string, string | undefined>,
): string {
  return formatPurl({ type: 'pypi', name: normalizePypiName(name), version, qualifiers });
}

export function condaPurl(
  name: string,
  version: string,
  qualifiers?: Record<string, string | undefined>,
): string {
  return formatPurl({ type: 'conda', name: name.toLowerCase(), version, qualifiers });
}

export function cargoPurl(
  name: string,
  version: string,
  qualifiers?: Record<string, string | undefined>,
): string {
  return formatPurl({ type: 'cargo', name, version, qualifiers });
}

/** Go module path → namespace + name; the spec asks for both in lowercase. */
export function golangPurl(modulePath: string, version: string): string {
  const lower = modulePath.toLowerCase();
  const slash = lower.lastIndexOf('/');
  return slash === -1
    ? formatPurl({ type: 'golang', name: lower, version })
    : formatPurl({ type: 'golang', namespace: lower.slice(0, slash), name: lower.slice(slash + 1), version });
}

/** Removes `user:password@` from a URL: lockfile URLs often carry tokens, and records are published. */
export function withoutCredentials(url: string): string {
  return url.replace(/^((?:[a-z][a-z0-9.-]*\+)?[a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
