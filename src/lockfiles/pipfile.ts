/** `Pipfile.lock` (pipenv): `default` and `develop` sections of `name → {version: "==x", hashes}`. */
import type { DependencyPackage } from '../record/predicate.js';
import { JsonFields, isRecord, jsonKeyLine, parseJsonLockfile } from './json.js';
import { finishPackages, joinDigests, makePackage } from './packages.js';
import { pypiPurl, withoutCredentials } from './purl.js';
import { lockfileError } from './text.js';
import type { LockfileParser, ParseInput, ParsedPackages } from './types.js';

export const pipfileParser: LockfileParser = {
  kind: 'pipenv',
  matches: (path) => /(^|\/)Pipfile\.lock$/.test(path),
  parse: async (input) => parsePipfileLock(input),
};

export function parsePipfileLock({ path, text }: ParseInput): ParsedPackages {
  const doc = parseJsonLockfile(text, path);
  if (!isRecord(doc) || !isRecord(doc['_meta'])) {
    throw lockfileError(path, 1, 'has no "_meta" object; is it a Pipfile.lock written by pipenv?');
  }
  const root = new JsonFields(path, text, '', doc);
  const out: DependencyPackage[] = [];
  const notes: string[] = [];
  for (const section of ['default', 'develop'] as const) {
    const packages = root.optionalObject(section) ?? {};
    for (const [name, value] of Object.entries(packages)) {
      if (!isRecord(value))
        throw lockfileError(path, jsonKeyLine(text, name), `${section}.${name} must be an object`);
      const entry = new JsonFields(path, text, name, value);
      const pinned = entry.optionalString('version');
      const version = pinned === undefined ? '' : pinned.replace(/^===?/, '');
      const git = entry.optionalString('git');
      const file = entry.optionalString('file');
      const qualifiers: Record<string, string | undefined> = {};
      if (git !== undefined) {
        const ref = entry.optionalString('ref');
        qualifiers['vcs_url'] = `git+${withoutCredentials(git)}${ref ? `@${ref}` : ''}`;
      } else if (file !== undefined && /^https?:\/\//.test(file)) {
        qualifiers['download_url'] = withoutCredentials(file);
      } else if (entry.optionalString('path') !== undefined && pinned === undefined) {
        notes.push(`${path}: ${section}.${name} is a local path without a version; recorded with version ""`);
      }
      out.push(
        makePackage({
          purl: pypiPurl(name, version, qualifiers),
          name,
          version,
          ecosystem: 'pypi',
          integrity: joinDigests(entry.optionalStringArray('hashes') ?? []),
          dev: section === 'develop',
          from: section,
        }),
      );
    }
  }
  return finishPackages(out, notes);
}
