/**
 * Version ordering for dependency diffs: PEP 440 for Python ecosystems (epochs, a/b/rc, post and
 * dev releases), semver-like for the rest (numeric release, then pre-release identifiers, build
 * metadata ignored). Versions neither scheme understands — git hashes, dates with letters — are
 * incomparable (null), and shown as "changed" rather than guessed.
 */

export type VersionOrder = -1 | 0 | 1;

const PYTHON_ECOSYSTEMS = new Set(['pypi', 'conda']);

interface Parsed {
  epoch: number;
  release: number[];
  /** Sort keys after the release; compared element by element. */
  tail: (number | string)[];
}

/** Compares two versions of one package; null when either cannot be read as a version. */
export function compareVersions(a: string, b: string, ecosystem = ''): VersionOrder | null {
  if (a === b) return 0;
  const python = PYTHON_ECOSYSTEMS.has(ecosystem.toLowerCase());
  const left = python ? parsePep440(a) : parseSemverLike(a);
  const right = python ? parsePep440(b) : parseSemverLike(b);
  if (!left || !right) return null;
  const order =
    sign(left.epoch - right.epoch) || compareNumbers(left.release, right.release) || compareTail(left, right);
  return order;
}

function sign(value: number): VersionOrder {
  return value < 0 ? -1 : value > 0 ? 1 : 0;
}

/** Release numbers compared with missing trailing parts as zero: 1.0 == 1.0.0. */
function compareNumbers(a: number[], b: number[]): VersionOrder {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const order = sign((a[index] ?? 0) - (b[index] ?? 0));
    if (order !== 0) return order;
  }
  return 0;
}

function compareTail(a: Parsed, b: Parsed): VersionOrder {
  for (let index = 0; index < Math.max(a.tail.length, b.tail.length); index++) {
    const x = a.tail[index];
    const y = b.tail[index];
    if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : -1) : 1;
    if (typeof x === 'number' && typeof y === 'number') {
      const order = sign(x - y);
      if (order !== 0) return order;
    } else if (typeof x === 'number') {
      return -1; // semver: numeric identifiers sort before alphanumeric ones
    } else if (typeof y === 'number') {
      return 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

const PEP440 =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+[a-z0-9.]+)?$/i;

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };
/** Bigger than any real version part: "no pre-release" sorts after every pre-release. */
const TOP = Number.MAX_SAFE_INTEGER;

/** PEP 440: the key (epoch, release, pre, post, dev), with the spec's placement of absent parts. */
function parsePep440(version: string): Parsed | null {
  const match = PEP440.exec(version.trim());
  if (!match) return null;
  const [, epoch, release, prePhase, preNumber, postImplicit, postNumber, devNumber] = match;
  const hasPre = prePhase !== undefined;
  const post = postImplicit ?? postNumber;
  const hasDev = devNumber !== undefined;
  // A dev release of a final version (1.0.dev1) sorts before its pre-releases (1.0a1).
  const preKey: number[] = hasPre
    ? [PRE_RANK[prePhase.toLowerCase()] ?? 0, Number(preNumber || 0)]
    : hasDev && post === undefined
      ? [-1, 0]
      : [TOP, 0];
  return {
    epoch: Number(epoch ?? 0),
    release: (release as string).split('.').map(Number),
    tail: [...preKey, post !== undefined ? Number(post || 0) : -1, hasDev ? Number(devNumber || 0) : TOP],
  };
}

const SEMVER_LIKE = /^v?(\d+(?:\.\d+)*)(?:[-.]?([0-9A-Za-z][0-9A-Za-z.-]*))?(?:\+[0-9A-Za-z.-]+)?$/;

/** semver 2.0 precedence, relaxed: any number of release parts, a pre-release after `-` or `.`. */
function parseSemverLike(version: string): Parsed | null {
  const match = SEMVER_LIKE.exec(version.trim());
  if (!match) return null;
  const [, release, pre] = match;
  const identifiers = pre
    ? pre
        .split(/[.-]/)
        .filter((part) => part !== '')
        .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
    : [];
  // No pre-release sorts after every pre-release: a marker that outranks any identifier.
  return {
    epoch: 0,
    release: (release as string).split('.').map(Number),
    tail: identifiers.length > 0 ? [0, ...identifiers] : [1],
  };
}
