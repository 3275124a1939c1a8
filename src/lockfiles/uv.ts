/**
 * `uv.lock`: `[[package]]` tables with sdist and wheel hashes. The project's own packages
 * (editable or virtual sources) are not recorded; their dependency lists say what is direct,
 * and what only their dev groups reach is dev.
 */
import type { DependencyPackage } from '../record/predicate.js';
import { finishPackages, joinDigests, makePackage } from './packages.js';
import { normalizePypiName, pypiPurl, withoutCredentials } from './purl.js';
import { TomlReader, isTomlTable, parseToml, type TomlTable } from './toml.js';
import { lockfileError } from './text.js';
import type { LockfileParser, ParseInput, ParsedPackages } from './types.js';

export const uvParser: LockfileParser = {
  kind: 'uv',
  matches: (path) => /(^|\/)uv\.lock$/.test(path),
  parse: async (input) => parseUvLockfile(input),
};

const DEFAULT_INDEX = 'https://pypi.org/simple';

interface Node {
  table: TomlTable;
  name: string;
  version: string;
}

export function parseUvLockfile({ path, text }: ParseInput): ParsedPackages {
  const doc = parseToml(text, path);
  const read = new TomlReader(path, doc);
  const lockVersion = doc.root['version'];
  if (lockVersion !== 1) {
    throw lockfileError(
      path,
      1,
      `has version ${JSON.stringify(lockVersion ?? null)}; model-ledger reads uv.lock version 1`,
      'regenerate it with a current uv (`uv lock`)',
    );
  }

  const nodes: Node[] = read.tables(doc.root, 'package', 'the lockfile').map((table) => {
    const name = read.string(table, 'name', '[[package]]');
    return { table, name, version: read.optionalString(table, 'version', `package ${name}`) ?? '' };
  });
  const byName = new Map<string, Node[]>();
  for (const node of nodes) {
    const key = normalizePypiName(node.name);
    byName.set(key, [...(byName.get(key) ?? []), node]);
  }
  const isProject = (node: Node): boolean => {
    const source = read.optionalTable(node.table, 'source', `package ${node.name}`) ?? {};
    return source['editable'] !== undefined || source['virtual'] !== undefined;
  };

  /** The packages a dependency list (`[{ name = "x", version = "1" }, ...]`) points at. */
  const targets = (list: TomlTable[], what: string): Node[] =>
    list.flatMap((ref) => {
      const name = normalizePypiName(read.string(ref, 'name', what));
      const version = read.optionalString(ref, 'version', what);
      return (byName.get(name) ?? []).filter((node) => version === undefined || node.version === version);
    });
  /** A table of named lists (`optional-dependencies`, `dev-dependencies`), all lists together. */
  const groupLists = (node: Node, key: string): TomlTable[] => {
    const groups = read.optionalTable(node.table, key, `package ${node.name}`) ?? {};
    return Object.keys(groups).flatMap((group) => read.tables(groups, group, `package ${node.name}: ${key}`));
  };
  const runtimeDependencies = (node: Node): Node[] =>
    targets(
      [
        ...read.tables(node.table, 'dependencies', `package ${node.name}`),
        ...groupLists(node, 'optional-dependencies'),
      ],
      `package ${node.name}: dependencies`,
    );

  const reach = (start: Node[]): Set<Node> => {
    const seen = new Set<Node>();
    const queue = [...start];
    for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
      if (seen.has(node)) continue;
      seen.add(node);
      for (const next of runtimeDependencies(node)) if (!seen.has(next)) queue.push(next);
    }
    return seen;
  };

  const projects = nodes.filter(isProject);
  const prodRoots = projects.flatMap(runtimeDependencies);
  const devRoots = projects.flatMap((node) =>
    targets(groupLists(node, 'dev-dependencies'), `package ${node.name}: dev-dependencies`),
  );
  const direct = new Set([...prodRoots, ...devRoots]);
  const prod = reach([...projects, ...prodRoots]);
  const dev = reach(devRoots);

  const out: DependencyPackage[] = [];
  for (const node of nodes) {
    if (isProject(node)) continue;
    const what = `package ${node.name}`;
    const artifacts = [...read.tables(node.table, 'wheels', what)];
    const sdist = read.optionalTable(node.table, 'sdist', what);
    if (sdist !== undefined) artifacts.push(sdist);
    const hashes = artifacts.map(
      (artifact) => read.optionalString(artifact, 'hash', `${what}: wheels/sdist`) ?? '',
    );
    out.push(
      makePackage({
        purl: pypiPurl(node.name, node.version, sourceQualifiers(read, node)),
        name: node.name,
        version: node.version,
        ecosystem: 'pypi',
        integrity: joinDigests(hashes),
        direct: projects.length > 0 ? direct.has(node) : undefined,
        dev: prod.has(node) ? false : dev.has(node) ? true : undefined,
      }),
    );
  }
  return finishPackages(out);
}

function sourceQualifiers(read: TomlReader, node: Node): Record<string, string | undefined> {
  const source = node.table['source'];
  if (!isTomlTable(source)) return {};
  const what = `package ${node.name}: source`;
  const git = read.optionalString(source, 'git', what);
  if (git !== undefined) {
    // `https://github.com/org/repo?rev=v1#<commit>` → `git+https://github.com/org/repo@<commit>`
    const [location = '', commit] = git.split('#');
    const base = withoutCredentials(location.replace(/\?.*$/, ''));
    return { vcs_url: `git+${base}${commit ? `@${commit}` : ''}` };
  }
  const url = read.optionalString(source, 'url', what);
  if (url !== undefined) return { download_url: withoutCredentials(url) };
  const registry = read.optionalString(source, 'registry', what);
  if (
    registry !== undefined &&
    registry.replace(/\/+$/, '') !== DEFAULT_INDEX &&
    /^https?:\/\//.test(registry)
  ) {
    return { repository_url: withoutCredentials(registry) };
  }
  return {};
}
