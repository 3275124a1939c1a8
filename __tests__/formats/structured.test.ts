/**
 * JSON and YAML given to model-ledger (training runs, DVC and MLflow files) read into JSON values:
 * what is kept exactly, what is kept as text with a note, and the errors that name the file,
 * the line and the fix.
 */
import { describe, expect, it } from '@jest/globals';

import { parseStructured, parseStructuredObject, toJsonValue } from '../../src/formats/structured.js';

const FILE = 'training/run.yaml';

describe('parseStructured', () => {
  it('keeps integers past 2^53 in JSON as decimal text, with a note, and safe ones as numbers', () => {
    const { value, notes } = parseStructured('{"seed": 12345678901234567890, "steps": [1, 2]}', 'json', FILE);
    expect(value).toEqual({ seed: '12345678901234567890', steps: [1, 2] });
    expect(notes).toEqual(['seed: integer beyond 2^53 kept as text to keep every digit']);
    expect(parseStructured('[-9007199254740993]', 'json', FILE)).toEqual({
      value: ['-9007199254740993'],
      notes: ['[0]: integer beyond 2^53 kept as text to keep every digit'],
    });
  });

  it('YAML 1.2 core schema: dates stay strings, .inf and .nan become text with a note', () => {
    const { value, notes } = parseStructured(
      'day: 2024-01-01\nlr: 1e-3\nmax: .inf\nbad: .nan\nnone: ~\n',
      'yaml',
      FILE,
    );
    expect(value).toEqual({ day: '2024-01-01', lr: 0.001, max: 'Infinity', bad: 'NaN', none: null });
    expect(notes).toEqual([
      'max: Infinity kept as text (JSON has no such number)',
      'bad: NaN kept as text (JSON has no such number)',
    ]);
  });

  it('replaces lone surrogates in values and keys with U+FFFD, noting each', () => {
    const { value, notes } = parseStructured(
      '{"a\\ud800": "b\\udc00", "ok": "\\ud83d\\ude00"}',
      'json',
      FILE,
    );
    expect(value).toEqual({ 'a\ufffd': 'b\ufffd', ok: '\u{1f600}' });
    expect(notes).toEqual([
      'a\ud800: a lone UTF-16 surrogate replaced with U+FFFD (it has no UTF-8 form)',
      'a\ud800: a lone UTF-16 surrogate replaced with U+FFFD (it has no UTF-8 form)',
    ]);
  });

  it('names the file, the line and the fix for JSON and YAML that do not parse', () => {
    expect(() => parseStructured('{"a": ', 'json', FILE)).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', file: FILE, fix: 'fix the JSON syntax' }),
    );
    expect(() => parseStructured('{"a": 1', 'json', FILE)).toThrow(/is not valid JSON/);
    try {
      parseStructured('a: 1\nb: [1, 2\nc: 3\n', 'yaml', FILE);
      throw new Error('not refused');
    } catch (error) {
      expect(error).toMatchObject({
        code: 'BAD_INPUT',
        file: FILE,
        fix: 'fix the YAML syntax',
        field: expect.stringMatching(/^line \d+$/),
      });
      expect((error as Error).message).toMatch(/is not valid YAML \(/);
    }
    expect(() => parseStructured('a: 1\na: 2\n', 'yaml', FILE)).toThrow(/is not valid YAML/);
  });

  it('refuses nesting deeper than 100 levels, naming the start of the path', () => {
    const deep = `${'{"k":'.repeat(150)}1${'}'.repeat(150)}`;
    try {
      parseStructured(deep, 'json', FILE);
      throw new Error('not refused');
    } catch (error) {
      expect(error).toMatchObject({ code: 'BAD_INPUT', fix: 'flatten the structure' });
      expect((error as Error).message).toContain('nests deeper than 100 levels');
      expect((error as { field: string }).field).toMatch(/^k\.k\.k.*…$/);
    }
    // Deep YAML flow collections: the parser's own limit, reported the same way.
    const flow = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    expect(() => parseStructured(flow, 'yaml', FILE)).toThrow(
      /nests deeper than 100 levels|is not valid YAML/,
    );
  });

  it('refuses an alias bomb rather than expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level <= 8; level++) {
      const previous = String.fromCharCode(96 + level);
      const next = String.fromCharCode(97 + level);
      lines.push(`${next}: &${next} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    expect(() => parseStructured(lines.join('\n'), 'yaml', FILE)).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', fix: 'simplify the YAML (fewer aliases)' }),
    );
  });
});

describe('parseStructuredObject', () => {
  it('requires an object (JSON) or a mapping (YAML) at the top level', () => {
    expect(() => parseStructuredObject('[1]', 'json', FILE)).toThrow(
      /must hold a JSON object at the top level/,
    );
    expect(() => parseStructuredObject('- 1\n', 'yaml', FILE)).toThrow(
      /must hold a YAML mapping at the top level/,
    );
    expect(() => parseStructuredObject('null', 'json', FILE)).toThrow(/JSON object/);
    expect(parseStructuredObject('seed: 42\n', 'yaml', FILE)).toEqual({ value: { seed: 42 }, notes: [] });
  });
});

describe('toJsonValue', () => {
  it('gives every value a JSON form: dates, bytes, maps, sets, and (noted) functions and symbols', () => {
    const notes: string[] = [];
    const value = toJsonValue(
      {
        when: new Date('2024-05-01T12:00:00Z'),
        never: new Date('not a date'),
        bytes: new Uint8Array([1, 2, 3]),
        map: new Map<unknown, unknown>([
          [1, 'one'],
          ['k', 10n],
        ]),
        set: new Set(['a', 'b']),
        big: 2n ** 64n,
        fn: () => 1,
        sym: Symbol('s'),
        missing: undefined,
      },
      '',
      notes,
      FILE,
    );
    expect(value).toEqual({
      when: '2024-05-01T12:00:00.000Z',
      never: 'Invalid Date',
      bytes: 'AQID',
      map: { '1': 'one', k: 10 },
      set: ['a', 'b'],
      big: '18446744073709551616',
      fn: 'function',
      sym: 'Symbol(s)',
      missing: null,
    });
    expect(notes).toEqual([
      'big: integer beyond 2^53 kept as text to keep every digit',
      'fn: a function value kept as text',
      'sym: a symbol value kept as text',
    ]);
    const top: string[] = [];
    expect(toJsonValue(Number.NEGATIVE_INFINITY, '', top, FILE)).toBe('-Infinity');
    expect(top).toEqual(['(top level): -Infinity kept as text (JSON has no such number)']);
  });
});
