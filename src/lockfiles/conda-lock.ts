/**
 * `conda-lock.yml`, conda-lock's unified lockfile (`version: 1`): one `package` list entry per
 * package and platform, each with its manager (`conda` or `pip`), URL, hashes and category.
 */
import type { DependencyPackage } from '../record/predicate.js';
import { condaPackageAt } from './conda.js';
import { isRecord, type JsonRecord } from './json.js';
import { finishPackages, joinDigests, makePackage } from './packages.js';
import { pypiPurl, withoutCredentials } from './purl.js';
import { lineOf, lockfileError } from './text.js';
import type { LockfileParser, ParseInput, ParsedPackages } from './types.js';
import { parseYamlLockfile } from './yaml.js';

export const condaLockParser: LockfileParser = {
  kind: 'conda-lock',
  matches: (path) => /(^|\/)(?:[\w.-]+[.-])?conda-lock\.ya?ml$/.test(path),
  parse: async (input) => parseCondaLock(input),
};

const HEX = /^[0-9a-f]+$/i;

export function parseCondaLock({ path, text }: ParseInput): ParsedPackages {
  const doc = parseYamlLockfile(text, path);
  if (!isRecord(doc) || doc['version'] === undefined || !Array.isArray(doc['package'])) {
    throw lockfileError(
      path,
      1,
      'has no `version` and `package` list; is it a conda-lock.yml written by conda-lock?',
      'regenerate it with `conda-lock lock`',
    );
  }
  if (doc['version'] !== '1') {
    throw lockfileError(
      path,
      lineOf(text, 'version:'),
      `has version ${JSON.stringify(doc['version'])}; model-ledger reads conda-lock's version 1 format`,
      'regenerate it with conda-lock 2 or later (`conda-lock lock`)',
    );
  }
  const out: DependencyPackage[] = [];
  (doc['package'] as unknown[]).forEach((item, index) => {
    const where = `package ${index + 1}`;
    const fail = (needle: string, message: string): Error =>
      lockfileError(path, lineOf(text, needle), `${where}: ${message}`);
    if (!isRecord(item)) throw fail('package:', 'must be a mapping');
    const field = (member: string): string => {
      const value = item[member];
      if (typeof value !== 'string' || value === '')
        throw fail(
          typeof item['name'] === 'string' ? `name: ${item['name']}` : 'package:',
          `needs a "${member}"`,
        );
      return value;
    };
    const name = field('name');
    const version = field('version');
    const manager = field('manager');
    const url = field('url');
    const line = lineOf(text, url);
    const integrity = joinDigests(digests(item, (message) => fail(url, message)));
    const category = typeof item['category'] === 'string' ? item['category'] : undefined;
    const dev = category === 'main' ? false : category === 'dev' ? true : undefined;
    if (manager === 'conda') {
      const pkg = condaPackageAt(path, line, url);
      out.push(makePackage({ ...pkg, ecosystem: 'conda', integrity, dev, from: field('platform') }));
    } else if (manager === 'pip') {
      out.push(
        makePackage({
          purl: pypiPurl(name, version),
          name,
          version,
          ecosystem: 'pypi',
          integrity,
          dev,
          from: field('platform'),
        }),
      );
    } else {
      throw fail(withoutCredentials(url), `has manager ${JSON.stringify(manager)}; expected conda or pip`);
    }
  });
  return finishPackages(out);
}

/** `hash: {md5, sha256}` as `md5:…` and `sha256:…` digests. */
function digests(item: JsonRecord, fail: (message: string) => Error): string[] {
  const hash = item['hash'];
  if (hash === undefined) return [];
  if (!isRecord(hash)) throw fail('"hash" must be a mapping of algorithm to hex digest');
  const out: string[] = [];
  for (const [algorithm, value] of Object.entries(hash)) {
    if (typeof value !== 'string' || !HEX.test(value)) throw fail(`hash.${algorithm} must be a hex digest`);
    out.push(`${algorithm.toLowerCase()}:${value.toLowerCase()}`);
  }
  return out;
}
