/** `poetry.lock` (lock-version 1.x and 2.x): `[[package]]` tables with their file hashes. */
import type { DependencyPackage } from '../record/predicate.js';
import { finishPackages, joinDigests, makePackage } from './packages.js';
import { pypiPurl, withoutCredentials } from './purl.js';
import { TomlReader, parseToml, type TomlTable } from './toml.js';
import type { LockfileParser, ParseInput, ParsedPackages } from './types.js';

export const poetryParser: LockfileParser = {
  kind: 'poetry',
  matches: (path) => /(^|\/)poetry\.lock$/.test(path),
  parse: async (input) => parsePoetryLockfile(input),
};

export function parsePoetryLockfile({ path, text }: ParseInput): ParsedPackages {
  const doc = parseToml(text, path);
  const read = new TomlReader(path, doc);
  const metadata = read.optionalTable(doc.root, 'metadata', 'the lockfile');
  // lock-version 1.1 keeps the hashes apart, in [metadata.files]: name = [{file, hash}, ...]
  const metadataFiles =
    metadata === undefined ? undefined : read.optionalTable(metadata, 'files', '[metadata]');

  const out: DependencyPackage[] = [];
  for (const pkg of read.tables(doc.root, 'package', 'the lockfile')) {
    const name = read.string(pkg, 'name', '[[package]]');
    const what = `package ${name}`;
    const version = read.string(pkg, 'version', what);
    let files = read.tables(pkg, 'files', what);
    if (files.length === 0 && metadataFiles !== undefined)
      files = read.tables(metadataFiles, name, '[metadata.files]');
    const hashes = files.map((file) => read.optionalString(file, 'hash', `${what}: files`) ?? '');
    out.push(
      makePackage({
        purl: pypiPurl(name, version, sourceQualifiers(read, pkg, what)),
        name,
        version,
        ecosystem: 'pypi',
        integrity: joinDigests(hashes),
        dev: devFlag(read, pkg, what),
      }),
    );
  }
  return finishPackages(out);
}

/** Poetry 1 wrote `category = "main" | "dev"`; poetry 2 writes `groups = [...]`. */
function devFlag(read: TomlReader, pkg: TomlTable, what: string): boolean | undefined {
  const category = read.optionalString(pkg, 'category', what);
  if (category !== undefined) return category === 'dev';
  if (pkg['groups'] === undefined) return undefined;
  return !read.strings(pkg, 'groups', what).includes('main');
}

function sourceQualifiers(
  read: TomlReader,
  pkg: TomlTable,
  what: string,
): Record<string, string | undefined> {
  const source = read.optionalTable(pkg, 'source', what);
  if (source === undefined) return {};
  const type = read.optionalString(source, 'type', `${what}: source`);
  const url = read.optionalString(source, 'url', `${what}: source`);
  if (url === undefined) return {};
  if (type === 'git') {
    const commit =
      read.optionalString(source, 'resolved_reference', `${what}: source`) ??
      read.optionalString(source, 'reference', `${what}: source`);
    return { vcs_url: `git+${withoutCredentials(url)}${commit ? `@${commit}` : ''}` };
  }
  if (type === 'url') return { download_url: withoutCredentials(url) };
  if (type === 'legacy') return { repository_url: withoutCredentials(url) };
  return {};
}
