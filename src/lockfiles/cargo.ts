/** `Cargo.lock` (versions 1–4): `[[package]]` tables; packages without a source are the workspace. */
import type { DependencyPackage } from '../record/predicate.js';
import { finishPackages, makePackage } from './packages.js';
import { cargoPurl, withoutCredentials } from './purl.js';
import { TomlReader, parseToml, type TomlTable } from './toml.js';
import type { LockfileParser, ParseInput, ParsedPackages } from './types.js';

export const cargoParser: LockfileParser = {
  kind: 'cargo',
  matches: (path) => /(^|\/)Cargo\.lock$/.test(path),
  parse: async (input) => parseCargoLockfile(input),
};

const CRATES_IO = [
  'registry+https://github.com/rust-lang/crates.io-index',
  'sparse+https://index.crates.io/',
];

interface Crate {
  table: TomlTable;
  name: string;
  version: string;
  source: string | undefined;
}

export function parseCargoLockfile({ path, text }: ParseInput): ParsedPackages {
  const doc = parseToml(text, path);
  const read = new TomlReader(path, doc);
  const crates: Crate[] = read.tables(doc.root, 'package', 'the lockfile').map((table) => {
    const name = read.string(table, 'name', '[[package]]');
    return {
      table,
      name,
      version: read.string(table, 'version', `package ${name}`),
      source: read.optionalString(table, 'source', `package ${name}`),
    };
  });
  // Version 1 lockfiles keep checksums in [metadata]: "checksum NAME VERSION (SOURCE)" = "hex".
  const metadata = read.optionalTable(doc.root, 'metadata', 'the lockfile') ?? {};

  // A workspace member's dependency entry is "name", "name version" or "name version (source)".
  const byName = new Map<string, Crate[]>();
  for (const crate of crates) byName.set(crate.name, [...(byName.get(crate.name) ?? []), crate]);
  const direct = new Set<Crate>();
  const members = crates.filter((crate) => crate.source === undefined);
  for (const member of members) {
    for (const entry of read.strings(member.table, 'dependencies', `package ${member.name}`)) {
      const [name = '', version] = entry.split(' ');
      for (const crate of byName.get(name) ?? []) {
        if (version === undefined || crate.version === version) direct.add(crate);
      }
    }
  }

  const out: DependencyPackage[] = [];
  for (const crate of crates) {
    if (crate.source === undefined) continue;
    const what = `package ${crate.name}`;
    const checksum =
      read.optionalString(crate.table, 'checksum', what) ??
      read.optionalString(
        metadata,
        `checksum ${crate.name} ${crate.version} (${crate.source})`,
        '[metadata]',
      );
    out.push(
      makePackage({
        purl: cargoPurl(crate.name, crate.version, sourceQualifiers(crate.source)),
        name: crate.name,
        version: crate.version,
        ecosystem: 'cargo',
        integrity: checksum === undefined ? undefined : `sha256:${checksum}`,
        direct: members.length > 0 ? direct.has(crate) : undefined,
      }),
    );
  }
  return finishPackages(out);
}

function sourceQualifiers(source: string): Record<string, string | undefined> {
  if (CRATES_IO.includes(source)) return {};
  if (source.startsWith('git+')) {
    // git+https://github.com/org/repo?branch=main#<commit> → git+https://github.com/org/repo@<commit>
    const [location = '', commit] = source.split('#');
    return { vcs_url: `${withoutCredentials(location.replace(/\?.*$/, ''))}${commit ? `@${commit}` : ''}` };
  }
  const registry = /^(?:registry|sparse)\+(.+)$/.exec(source)?.[1];
  return registry === undefined ? {} : { repository_url: withoutCredentials(registry) };
}
