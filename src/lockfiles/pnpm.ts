/**
 * `pnpm-lock.yaml`, lockfileVersion 5.x (pnpm 7: packages keyed `/name/version_peers`, `dev`
 * flags), 6.x (keyed `/name@version(peers)`, `dev` flags) and 9.x (keyed `name@version`, the graph
 * in `snapshots`, dev-ness derived from importers). pnpm 10 may put its environment lockfile
 * (config dependencies and the package manager itself) before the project's, as a first YAML document.
 */
import type { DependencyPackage } from '../record/predicate.js';
import { isRecord, type JsonRecord } from './json.js';
import { finishPackages, makePackage } from './packages.js';
import { npmPurl } from './purl.js';
import { lineOf, lockfileError } from './text.js';
import type { LockfileParser, ParseInput, ParsedPackages } from './types.js';
import { parseYamlDocuments } from './yaml.js';

export const pnpmParser: LockfileParser = {
  kind: 'pnpm',
  matches: (path) => /(^|\/)pnpm-lock\.yaml$/.test(path),
  parse: async (input) => parsePnpmLockfile(input),
};

const DEPENDENCY_GROUPS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;
type Group = (typeof DEPENDENCY_GROUPS)[number];

class Reader {
  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  fail(key: string, message: string): Error {
    return lockfileError(this.path, lineOf(this.text, key), message);
  }

  /** A mapping member of `holder`, or an empty one when absent (YAML `key:` with nothing reads as ""). */
  mapping(holder: JsonRecord, member: string, where: string): JsonRecord {
    const value = holder[member];
    if (value === undefined || value === '') return {};
    if (!isRecord(value)) throw this.fail(where, `${where}: "${member}" must be a mapping`);
    return value;
  }

  optionalString(holder: JsonRecord, member: string, where: string): string | undefined {
    const value = holder[member];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw this.fail(where, `${where}: "${member}" must be a string`);
    return value;
  }
}

type Layout = 'v5' | 'v6' | 'v9';

/**
 * A package key without its leading `/` and peer suffix, split into name and version:
 * v6/v9 `/name@1.0.0(peer@2)`, v5 `/@scope/name/1.0.0_peer@2` (v5 writes `/` in peers as `+`).
 */
function splitKey(key: string, layout: Layout): { name: string; version: string } {
  const spec = withoutPeers(key.startsWith('/') ? key.slice(1) : key, layout);
  if (layout === 'v5') {
    const slash = spec.lastIndexOf('/');
    // Only registry keys are `name/version`; a tarball or git key has `name:`/`version:` fields.
    return slash <= 0
      ? { name: spec, version: '' }
      : { name: spec.slice(0, slash), version: spec.slice(slash + 1) };
  }
  const at = spec.indexOf('@', 1);
  return at === -1 ? { name: spec, version: '' } : { name: spec.slice(0, at), version: spec.slice(at + 1) };
}

/** A key or version reference without its peer suffix: `(…)` from v6, `_…` after the version in v5. */
function withoutPeers(key: string, layout: Layout): string {
  if (layout === 'v5') {
    const slash = key.lastIndexOf('/');
    const underscore = key.indexOf('_', slash + 1);
    return underscore > 0 ? key.slice(0, underscore) : key;
  }
  const paren = key.indexOf('(');
  return paren > 0 ? key.slice(0, paren) : key;
}

export function parsePnpmLockfile({ path, text }: ParseInput): ParsedPackages {
  const read = new Reader(path, text);
  const docs = parseYamlDocuments(text, path, 2);
  if (docs.length === 1) return finishPackages(readDocument(read, docs[0]));
  // pnpm 10 writes its environment lockfile (config dependencies, the package manager) as one
  // document beside the project's; it is the one whose importers declare only those.
  const envIndex = isEnvironmentDocument(docs[1]) && !isEnvironmentDocument(docs[0]) ? 1 : 0;
  const env = readDocument(read, docs[envIndex]).map((pkg) => ({ ...pkg, direct: false }));
  const project = readDocument(read, docs[1 - envIndex]);
  const notes =
    env.length === 0
      ? []
      : [
          `${path}: ${env.length} package${env.length === 1 ? '' : 's'} from pnpm's environment lockfile (the ${envIndex === 0 ? 'first' : 'second'} YAML document: config dependencies and the package manager) recorded with the project's: ${env
            .slice(0, 5)
            .map((pkg) => `${pkg.name}@${pkg.version}`)
            .join(', ')}${env.length > 5 ? ', …' : ''}`,
        ];
  return finishPackages([...env, ...project], notes);
}

/** Whether a document is pnpm's environment lockfile: importers with config or package-manager dependencies only. */
function isEnvironmentDocument(doc: unknown): boolean {
  if (!isRecord(doc) || !isRecord(doc['importers'])) return false;
  const importers = Object.values(doc['importers']);
  return (
    importers.length > 0 &&
    importers.every(
      (importer) =>
        isRecord(importer) &&
        ('configDependencies' in importer || 'packageManagerDependencies' in importer) &&
        DEPENDENCY_GROUPS.every((group) => !(group in importer)),
    )
  );
}

function readDocument(read: Reader, doc: unknown): DependencyPackage[] {
  const { path, text } = read;
  if (!isRecord(doc)) throw lockfileError(path, 1, 'is not a YAML mapping; is it a pnpm-lock.yaml?');
  const lockfileVersion = doc['lockfileVersion'];
  if (typeof lockfileVersion !== 'string') {
    throw lockfileError(
      path,
      lineOf(text, 'lockfileVersion'),
      'has no lockfileVersion; is it a pnpm-lock.yaml written by pnpm?',
    );
  }
  const major = Number.parseInt(lockfileVersion, 10);
  if (major !== 5 && major !== 6 && major !== 7 && major !== 9) {
    throw lockfileError(
      path,
      lineOf(text, 'lockfileVersion'),
      `has lockfileVersion ${lockfileVersion}; model-ledger reads pnpm lockfile versions 5, 6 and 9`,
      'regenerate it with pnpm 7 or later (`pnpm install --lockfile-only`)',
    );
  }
  const layout: Layout = major === 5 ? 'v5' : major === 9 ? 'v9' : 'v6';
  const v9 = layout === 'v9';
  const peerless = (key: string): string => withoutPeers(key, layout);
  const packages = read.mapping(doc, 'packages', 'the top level');
  const snapshots = v9 ? read.mapping(doc, 'snapshots', 'the top level') : packages;

  // The importers: `importers` in workspaces and in v9; the top level itself for a single v6 project.
  const importers: [string, JsonRecord][] =
    doc['importers'] !== undefined
      ? Object.entries(read.mapping(doc, 'importers', 'the top level')).map(([name, value]) => {
          if (!isRecord(value)) throw read.fail(name, `importer ${name} must be a mapping`);
          return [name, value];
        })
      : [['.', doc]];

  /** The snapshot (v9) or package (v6) key an importer's or a snapshot's dependency resolves to. */
  const resolve = (name: string, ref: string): string | undefined => {
    if (ref.startsWith('link:')) return undefined;
    const candidates = v9
      ? [`${name}@${ref}`, ref]
      : layout === 'v5'
        ? [`/${name}/${ref}`, ref]
        : [`/${name}@${ref}`, ref];
    return candidates.find((candidate) => snapshots[candidate] !== undefined);
  };

  const roots: Record<Group, string[]> = { dependencies: [], devDependencies: [], optionalDependencies: [] };
  for (const [importer, spec] of importers) {
    for (const group of DEPENDENCY_GROUPS) {
      for (const [name, value] of Object.entries(read.mapping(spec, group, `importer ${importer}`))) {
        // v6+ writes `{specifier, version}`; a bare version string is accepted too.
        const ref =
          typeof value === 'string'
            ? value
            : isRecord(value)
              ? read.optionalString(value, 'version', name)
              : undefined;
        if (ref === undefined) throw read.fail(name, `importer ${importer}: ${group}.${name} has no version`);
        const key = resolve(name, ref);
        if (key !== undefined) roots[group].push(key);
      }
    }
  }
  const direct = new Set(
    [...roots.dependencies, ...roots.devDependencies, ...roots.optionalDependencies].map(peerless),
  );

  let devOf: (key: string, entry: JsonRecord) => boolean | undefined;
  if (v9) {
    const reach = (start: string[]): Set<string> => {
      const seen = new Set<string>();
      const queue = [...start];
      for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
        if (seen.has(key)) continue;
        seen.add(key);
        const snapshot = snapshots[key];
        if (!isRecord(snapshot)) continue;
        for (const group of ['dependencies', 'optionalDependencies']) {
          for (const [name, ref] of Object.entries(read.mapping(snapshot, group, key))) {
            if (typeof ref !== 'string')
              throw read.fail(key, `snapshot ${key}: ${group}.${name} must be a version`);
            const next = resolve(name, ref);
            if (next !== undefined && !seen.has(next)) queue.push(next);
          }
        }
      }
      return new Set([...seen].map(peerless));
    };
    const prod = reach([...roots.dependencies, ...roots.optionalDependencies]);
    const dev = reach(roots.devDependencies);
    devOf = (key) => (prod.has(key) ? false : dev.has(key) ? true : undefined);
  } else {
    devOf = (key, entry) => read.optionalString(entry, 'dev', key) === 'true';
  }

  const out: DependencyPackage[] = [];
  for (const [key, value] of Object.entries(packages)) {
    if (!isRecord(value)) throw read.fail(key, `package ${key} must be a mapping`);
    const fromKey = splitKey(key, layout);
    const name = read.optionalString(value, 'name', key) ?? fromKey.name;
    const version = read.optionalString(value, 'version', key) ?? fromKey.version;
    const resolution = read.mapping(value, 'resolution', key);
    out.push(
      makePackage({
        purl: npmPurl(name, version),
        name,
        version,
        ecosystem: 'npm',
        integrity: read.optionalString(resolution, 'integrity', key),
        direct: direct.has(peerless(key)),
        dev: devOf(peerless(key), value),
        from: key,
      }),
    );
  }
  return out;
}
