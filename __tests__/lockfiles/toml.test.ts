import { describe, expect, it } from '@jest/globals';
import { parseToml, type TomlTable } from '../../src/lockfiles/toml.js';
import { attempt, expectFailure } from './helpers.js';

/** Plain objects, for comparing with toEqual (the parser's tables have no prototype). */
const plain = (table: TomlTable): unknown => JSON.parse(JSON.stringify(table));

describe('parseToml', () => {
  it('reads the values lockfiles use', () => {
    const doc = parseToml(
      [
        '# comment',
        'version = 3',
        'negative = -17',
        'hex = 0xff',
        'big = 1_000',
        'ratio = 0.5',
        'exp = 1e3',
        'yes = true',
        'no = false',
        'when = 2024-03-25T00:00:00Z',
        'day = 1979-05-27',
        'basic = "tab\\tquote\\" unicode \\u00e9 \\U0001F600"',
        "literal = 'C:\\path\\to'",
        'multi = """',
        'first line',
        'second \\',
        '   joined"""',
        "raw = '''",
        "keep \\n as is'''",
        'list = [',
        '  "a", # comment inside',
        '  "b",',
        ']',
        'nested = [[1, 2], ["x"]]',
        'inline = { url = "https://x", hash = "sha256:ab", size = 12, sub.key = "v" }',
        '"quoted key" = 1',
        'dotted.a.b = "c"',
      ].join('\n'),
      'x.toml',
    );
    expect(plain(doc.root)).toEqual({
      version: 3,
      negative: -17,
      hex: 255,
      big: 1000,
      ratio: 0.5,
      exp: 1000,
      yes: true,
      no: false,
      when: '2024-03-25T00:00:00Z',
      day: '1979-05-27',
      basic: 'tab\tquote" unicode é 😀',
      literal: 'C:\\path\\to',
      multi: 'first line\nsecond joined',
      raw: 'keep \\n as is',
      list: ['a', 'b'],
      nested: [[1, 2], ['x']],
      inline: { url: 'https://x', hash: 'sha256:ab', size: 12, sub: { key: 'v' } },
      'quoted key': 1,
      dotted: { a: { b: 'c' } },
    });
  });

  it('builds arrays of tables and their sub-tables, and reports the line each opened on', () => {
    const doc = parseToml(
      [
        '[[package]]',
        'name = "a"',
        '',
        '[package.dependencies]',
        'x = "*"',
        '',
        '[[package]]',
        'name = "b"',
        '',
        '[metadata]',
        'lock-version = "2.0"',
      ].join('\n'),
      'poetry.lock',
    );
    expect(plain(doc.root)).toEqual({
      package: [{ name: 'a', dependencies: { x: '*' } }, { name: 'b' }],
      metadata: { 'lock-version': '2.0' },
    });
    const packages = doc.root['package'] as TomlTable[];
    expect(doc.lineOf(packages[1] as TomlTable)).toBe(7);
  });

  it('treats __proto__ as an ordinary key', () => {
    const doc = parseToml('__proto__ = "x"\n[constructor]\nprototype = 1\n', 'x.toml');
    expect(doc.root['__proto__']).toBe('x');
    expect(Object.getPrototypeOf(doc.root)).toBeNull();
    expect(({} as Record<string, unknown>)['prototype']).toBeUndefined();
  });

  it.each([
    ['a duplicate key', 'a = 1\nb = 2\na = 3\n', 3, /defined twice/],
    ['a table defined twice', '[a]\nx = 1\n[b]\n[a]\n', 4, /defined twice/],
    ['an unterminated string', 'name = "serde\nversion = "1"\n', 1, /unterminated string/],
    ['a bare word as a value', 'x = 1\nname = serde\n', 2, /not a TOML value/],
    ['a missing "="', 'x = 1\n\nname "serde"\n', 3, /expected "="/],
    ['an unterminated array', 'x = 1\ndeps = [\n  "a",\n  "b"\n', 2, /unterminated array/],
    ['an unterminated inline table', 'x = { a = 1', 1, /unterminated inline table/],
    ['an invalid escape', 'x = "a\\qb"\n', 1, /invalid escape/],
    ['text after a value', 'x = "a" "b"\n', 1, /after a value/],
    ['a key with no value', 'x = 1\ny =\n', 2, /no value/],
    ['adding to an inline table', 'a = { b = 1 }\n[a.c]\n', 2, /already defined/],
    ['an array of tables over a value', 'package = 1\n[[package]]\n', 2, /already defined/],
  ])('refuses %s, naming the line', async (_name, text, line, message) => {
    await expectFailure(
      attempt(() => parseToml(text, 'Cargo.lock')),
      { file: 'Cargo.lock', line, message },
    );
  });

  it('refuses nesting deeper than any lockfile instead of overflowing the stack', async () => {
    const text = `x = 1\ndeep = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    await expectFailure(
      attempt(() => parseToml(text, 'uv.lock')),
      { file: 'uv.lock', line: 2, message: /nest more than/ },
    );
  });
});
