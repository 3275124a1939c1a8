import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse as smolParse } from 'smol-toml';

import { parseToml, type TomlValue } from '../../src/lockfiles/toml.js';
import { seededRandom } from '../../src/audit/seeded-random.js';

/**
 * The lockfile TOML reader against smol-toml (a complete TOML 1.0 parser) on real lockfiles and on
 * thousands of mutations of them and of a feature sampler: both must accept the same documents
 * with the same values, or both refuse. Dates are kept as text by our reader (lockfiles only carry
 * them as metadata), so a date is compared by its kind only.
 */
const FIXTURES = fileURLToPath(new URL('../fixtures/lockfiles/', import.meta.url));

const SAMPLER = `# every construct lockfiles use, and a few they might
title = "TOML \\"sampler\\" \\u00e9 \\t tab"
literal = 'C:\\Users\\nodejs\\templates'
multi = """
Roses are red
  Violets are blue \\
  and so on"""
multi_literal = '''
The first newline is
trimmed in raw strings.
'''
int = +99
neg = -17
hex = 0xDEAD_beef
oct = 0o755
bin = 0b1101
float = 6.626e-34
under = 224_617.445_991
inf = inf
nan = -nan
yes = true
when = 1979-05-27T07:32:00Z
day = 1979-05-27
"quoted key" = 1
'literal key' = 2
dotted.key.here = "x"
site."google.com" = true
empty = []
nested = [ [ 1, 2 ], ["a", 'b'], [ { x = 1 }, { y = [] } ] ]
trailing = [
  1,
  2, # a comment
]
inline = { name = "n", version = "1.0", deps = { a = "1" } }

[package]
name = "demo"

[package.metadata]
"docs.rs" = { all-features = true }

[[package.dependency]]
name = "a"

[[package.dependency]]
name = "b"
source = "registry+https://github.com/rust-lang/crates.io-index"

[tool.poetry.dependencies]
python = "^3.11"
`;

function tomlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tomlFiles(path);
    return /^(Cargo|poetry|uv)\.lock$|\.toml$/.test(name) ? [path] : [];
  });
}

type Outcome = { ok: true; value: unknown } | { ok: false; why?: string };

const DATE_TEXT = /^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}/;

/** smol-toml's value in our reader's shape: plain objects, dates as their kind. */
function normalizeTheirs(value: unknown): unknown {
  if (value instanceof Date) return { date: true };
  if (Array.isArray(value)) return value.map(normalizeTheirs);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, normalizeTheirs(child)]));
  if (typeof value === 'bigint') return Number(value);
  return value;
}

function normalizeOurs(value: TomlValue, theirs: unknown): unknown {
  if (typeof value === 'string' && theirs instanceof Date && DATE_TEXT.test(value)) return { date: true };
  if (Array.isArray(value))
    return value.map((child, at) => normalizeOurs(child, Array.isArray(theirs) ? theirs[at] : undefined));
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        normalizeOurs(child, (theirs as Record<string, unknown> | undefined)?.[key]),
      ]),
    );
  return value;
}

function compare(text: string): { ours: Outcome; theirs: Outcome } {
  let theirsRaw: unknown;
  let theirs: Outcome;
  try {
    theirsRaw = smolParse(text);
    theirs = { ok: true, value: normalizeTheirs(theirsRaw) };
  } catch (error) {
    theirs = { ok: false, why: (error as Error).message.split('\n')[0] as string };
  }
  let ours: Outcome;
  try {
    ours = { ok: true, value: normalizeOurs(parseToml(text, 'doc.toml').root, theirsRaw) };
  } catch (error) {
    ours = { ok: false, why: (error as Error).message };
  }
  return { ours, theirs };
}

const NOISE = ['[', ']', '{', '}', '=', '"', "'", ',', '.', '#', '\n', ' ', '\\', 'x', '1', '-', '_', '\t'];

function mutate(text: string, next: () => number): string {
  const lines = text.split('\n');
  const pick = (n: number) => Math.floor(next() * n);
  switch (pick(6)) {
    case 0:
      lines.splice(pick(lines.length), 1);
      return lines.join('\n');
    case 1: {
      const at = pick(lines.length);
      lines.splice(at, 0, lines[at] ?? '');
      return lines.join('\n');
    }
    case 2: {
      const a = pick(lines.length);
      const b = pick(lines.length);
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      return lines.join('\n');
    }
    case 3: {
      const at = pick(text.length + 1);
      return text.slice(0, at) + (NOISE[pick(NOISE.length)] as string) + text.slice(at);
    }
    case 4: {
      const at = pick(text.length);
      return text.slice(0, at) + text.slice(at + 1);
    }
    default:
      return text.slice(0, pick(text.length + 1));
  }
}

/**
 * Where the two disagree on whether a document is TOML, Python's tomllib decides: smol-toml accepts
 * a few broken documents (an unclosed `[[header]`, an unclosed array that swallows the next key).
 * Our reader also reads what TOML 1.1 adds — `\\e` and `\\xHH` escapes, newlines and a trailing
 * comma in inline tables — which both TOML 1.0 parsers refuse: those are expected.
 */
const TOML_1_1 = /unrecognized escape sequence|newlines are not allowed in inline tables|trailing comma/i;

function settled(text: string, ours: Outcome, theirs: Outcome): boolean {
  if (ours.ok && theirs.ok) return false; // same verdict, different values: always a disagreement
  if (ours.ok && !theirs.ok && TOML_1_1.test(theirs.why ?? '')) return true;
  const python = spawnSync(
    '/usr/bin/python3',
    ['-c', 'import sys, tomllib; tomllib.loads(sys.stdin.read())'],
    {
      input: text,
      encoding: 'utf8',
    },
  );
  if (python.error) return false;
  return (python.status === 0) === ours.ok;
}

describe('the TOML reader agrees with smol-toml', () => {
  const bases = [
    { name: 'sampler', text: SAMPLER },
    ...tomlFiles(FIXTURES).map((path) => ({
      name: path.slice(FIXTURES.length),
      text: readFileSync(path, 'utf8'),
    })),
  ];

  it('on the real lockfiles and the sampler: the same values', () => {
    expect(bases.length).toBeGreaterThan(3);
    for (const base of bases) {
      const { ours, theirs } = compare(base.text);
      expect({ name: base.name, ...theirs }).toMatchObject({ name: base.name, ok: true });
      expect({ name: base.name, ...ours }).toEqual({ name: base.name, ...theirs });
    }
  });

  it('on thousands of mutants: both accept with the same values, or both refuse', () => {
    const next = seededRandom(20261202);
    const disagreements: string[] = [];
    let accepted = 0;
    let tried = 0;
    for (const base of bases) {
      // Short documents get more mutants; the lockfiles' tails are what their mutants differ in.
      const text =
        base.text.length > 20_000 ? base.text.slice(0, 20_000).replace(/\n[^\n]*$/, '\n') : base.text;
      for (let n = 0; n < 400; n++) {
        let mutant = mutate(text, next);
        if (next() < 0.3) mutant = mutate(mutant, next);
        tried++;
        const { ours, theirs } = compare(mutant);
        if (ours.ok) accepted++;
        const same = ours.ok === theirs.ok && (!ours.ok || JSON.stringify(ours) === JSON.stringify(theirs));
        if (!same && !settled(mutant, ours, theirs)) {
          if (disagreements.length < 5)
            disagreements.push(
              `${base.name} mutant ${n}: ours ${ours.ok ? 'accepts' : `refuses (${ours.why})`}, smol-toml ${theirs.ok ? 'accepts' : `refuses (${theirs.why})`}\n${mutant.slice(0, 400)}`,
            );
          else disagreements.push('…');
        }
      }
    }
    expect(tried).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(100); // the mutants exercise acceptance, not only errors
    expect(disagreements).toEqual([]);
  });
});
