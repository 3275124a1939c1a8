import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';

/**
 * `npm ci` warns (EBADENGINE) for every locked package whose `engines.node` excludes the Node
 * the install runs on. Every runtime package in the lock must accept the Node versions
 * package.json claims (the lowest of each line, and 24, which the Action runs on); development
 * packages must accept the Node running these tests, and 24.
 */
type Version = [number, number, number];

function parse(text: string): Version {
  const [major, minor, patch] = text
    .replace(/^v/, '')
    .split('.')
    .map((part) => (part === '*' || part === 'x' || part === undefined ? 0 : Number(part)));
  return [major ?? 0, minor ?? 0, patch ?? 0];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** One comparator of a range (`>=20.17`, `^14.17.0`, `20`, `6.*`, `*`) against a version. */
function admits(comparator: string, version: Version): boolean {
  const match = /^(>=|<=|>|<|\^|~|=)?\s*(.*)$/.exec(comparator.trim());
  const operator = match?.[1] ?? '';
  const target = match?.[2] ?? '';
  if (target === '*' || target === '') return true;
  const wanted = parse(target);
  const order = compare(version, wanted);
  const parts = target.split('.').filter((part) => part !== '*' && part !== 'x').length;
  switch (operator) {
    case '>=':
      return order >= 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    case '<':
      return order < 0;
    case '^':
      return order >= 0 && version[0] === wanted[0];
    case '~':
      return order >= 0 && version[0] === wanted[0] && version[1] === wanted[1];
    default:
      // A partial version (`20`, `6.*`) is every version it prefixes.
      return version.slice(0, parts).every((part, index) => part === wanted[index]);
  }
}

export function satisfies(range: string, version: string): boolean {
  const parsed = parse(version);
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => admits(comparator, parsed)),
  );
}

interface Lock {
  packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean }>;
}

/**
 * Development packages with no release for Node 20.17: a contributor on 20.17 sees npm ci warn of
 * these alone. cyclonedx-library needs >=20.18 since 8.0, and 7.x pulls in native libxmljs2.
 */
const DEV_ABOVE_20_17 = new Set(['node_modules/@cyclonedx/cyclonedx-library']);

describe('the locked dependencies', () => {
  it('accept every Node version package.json claims (npm ci prints no EBADENGINE warning)', async () => {
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { engines: { node: string } };
    expect(manifest.engines.node).toBe('^20.17.0 || >=22.9.0');
    const lock = JSON.parse(await readFile('package-lock.json', 'utf8')) as Lock;
    const refused: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (range === undefined || path === '') continue;
      const claimed = entry.dev
        ? [process.versions.node, ...(DEV_ABOVE_20_17.has(path) ? [] : ['20.17.0']), '24.0.0']
        : ['20.17.0', '22.9.0', '24.0.0'];
      for (const node of claimed) {
        if (!satisfies(range, node)) refused.push(`${path} (engines.node ${range}) refuses Node ${node}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('are read by a range check that can refuse', () => {
    expect(satisfies('>=22', '20.17.0')).toBe(false);
    expect(satisfies('^20.19.0 || ^22.13.0 || >=24', '20.17.0')).toBe(false);
    expect(satisfies('^20.19.0 || ^22.13.0 || >=24', '24.0.0')).toBe(true);
    expect(satisfies('>=16 || 14 >=14.17', '20.17.0')).toBe(true);
    expect(satisfies('6.* || 8.* || >= 10.*', '20.17.0')).toBe(true);
    expect(satisfies('>=0.6.11 <=0.7.0 || >=0.7.3', '20.17.0')).toBe(true);
  });
});
