/**
 * How the safety verdict is put together: the worst finding decides, findings past 100 are
 * counted rather than listed, nested reports and a directory's files are merged under their
 * member names, and text from a file is made valid UTF-8 before it is signed.
 */
import { describe, expect, it } from '@jest/globals';

import { combineSafety, SafetyReport, wellFormed } from '../../src/formats/index.js';
import { emptyScan } from '../../src/formats/pickle.js';

describe('SafetyReport', () => {
  it('is clean without findings; the worst finding decides, whatever the order', () => {
    expect(new SafetyReport().result()).toEqual({ verdict: 'clean', pickles: 0 });
    const report = new SafetyReport();
    report.add({ verdict: 'unknown', member: 'a.pkl', names: ['x.y'] });
    report.add({ verdict: 'unsafe', reason: 'imports os.system' });
    report.incomplete(undefined, 'a part was not read');
    expect(report.result()).toEqual({
      verdict: 'unsafe',
      pickles: 0,
      findings: [
        { verdict: 'unknown', member: 'a.pkl', names: ['x.y'] },
        { verdict: 'unsafe', reason: 'imports os.system' },
        { verdict: 'incomplete', reason: 'a part was not read' },
      ],
    });
  });

  it('lists 100 findings and 50 names each, and counts the rest in one more finding', () => {
    const report = new SafetyReport();
    const names = Array.from({ length: 60 }, (_, index) => `mod.f${index}`);
    for (let index = 0; index < 105; index++) report.add({ verdict: 'unknown', member: `m${index}`, names });
    const result = report.result();
    expect(result.findings).toHaveLength(101);
    expect(result.findings?.[0]?.names).toHaveLength(50);
    expect(result.findings?.[100]).toEqual({ verdict: 'unknown', reason: '5 more finding(s) not listed' });
    // A clean verdict cannot carry findings; past the limit they are at least unknown.
    const unsafe = new SafetyReport();
    for (let index = 0; index < 101; index++) unsafe.add({ verdict: 'unsafe', names: [] });
    expect(unsafe.result().findings?.at(-1)).toEqual({
      verdict: 'unsafe',
      reason: '1 more finding(s) not listed',
    });
    expect(unsafe.result().findings?.[0]).toEqual({ verdict: 'unsafe' });
  });

  it("a pickle's findings: unsafe and computed imports, untracked operands, unknown names and EXT codes", () => {
    const scan = emptyScan();
    scan.streams = 2;
    scan.imports.push(
      { module: 'os', name: 'system', opcode: 'GLOBAL', offset: 2, called: true, uses: 1, enumIdiomCalls: 0 },
      {
        module: 'acme.layers',
        name: 'Dense',
        opcode: 'GLOBAL',
        offset: 20,
        called: true,
        uses: 1,
        enumIdiomCalls: 0,
      },
    );
    scan.unresolved.push({ opcode: 'STACK_GLOBAL', offset: 40 }, { opcode: 'EXT1', offset: 50 });
    scan.untracked = 3;
    const report = new SafetyReport();
    report.addPickle(scan, 'archive/data.pkl');
    expect(report.result()).toEqual({
      verdict: 'unsafe',
      pickles: 2,
      findings: [
        {
          verdict: 'unsafe',
          member: 'archive/data.pkl',
          names: ['os.system'],
          reason: 'imports callables that can run code when loaded',
        },
        {
          verdict: 'unsafe',
          member: 'archive/data.pkl',
          reason: '1 import(s) whose name is computed at load time (STACK_GLOBAL on non-constant operands)',
        },
        {
          verdict: 'incomplete',
          member: 'archive/data.pkl',
          reason: '3 import(s) whose operands the bounded memo no longer held',
        },
        {
          verdict: 'unknown',
          member: 'archive/data.pkl',
          names: ['acme.layers.Dense'],
          reason: "imports names off model-ledger's safe list",
        },
        {
          verdict: 'unknown',
          member: 'archive/data.pkl',
          reason: '1 import(s) from the copyreg extension registry (EXT)',
        },
      ],
    });
    const clean = new SafetyReport();
    clean.addPickle({ ...emptyScan(), streams: 1 }, undefined);
    expect(clean.result()).toEqual({ verdict: 'clean', pickles: 1 });
  });

  it('merges a nested report under its member, keeping its verdict and its count of dropped findings', () => {
    const inner = new SafetyReport();
    inner.pickles = 3;
    inner.add({ verdict: 'incomplete', member: 'data.pkl', reason: 'truncated' });
    inner.add({ verdict: 'incomplete', reason: 'cut' });
    for (let index = 0; index < 100; index++) inner.add({ verdict: 'unknown' });
    const outer = new SafetyReport();
    outer.merge(inner, 'model.tar');
    const top = new SafetyReport();
    top.merge(inner, undefined);
    const result = outer.result();
    expect(result).toMatchObject({ verdict: 'incomplete', pickles: 3 });
    expect(result.findings?.slice(0, 2)).toEqual([
      { verdict: 'incomplete', member: 'model.tar > data.pkl', reason: 'truncated' },
      { verdict: 'incomplete', member: 'model.tar', reason: 'cut' },
    ]);
    // The 2 findings past the inner report's first 100 are still counted in the outer one.
    expect(result.findings).toHaveLength(101);
    expect(result.findings?.at(-1)).toEqual({
      verdict: 'incomplete',
      reason: '2 more finding(s) not listed',
    });
    expect(top.result().findings?.[1]).toEqual({ verdict: 'incomplete', reason: 'cut' });
  });
});

describe('combineSafety', () => {
  it("puts each file's findings under its path, and a verdict without findings under the file", () => {
    const combined = combineSafety([
      { member: 'models/a.pkl', safety: { verdict: 'clean', pickles: 1 } },
      {
        member: 'models/b.pt',
        safety: {
          verdict: 'unsafe',
          pickles: 2,
          findings: [{ verdict: 'unsafe', member: 'data.pkl', names: ['os.system'] }],
        },
      },
      {
        member: 'models/c.pkl',
        safety: { verdict: 'unknown', pickles: 1, findings: [{ verdict: 'unknown' }] },
      },
      { member: 'models/d.bin', safety: { verdict: 'incomplete', pickles: 0 } },
    ]).result();
    expect(combined).toEqual({
      verdict: 'unsafe',
      pickles: 4,
      findings: [
        { verdict: 'unsafe', member: 'models/b.pt > data.pkl', names: ['os.system'] },
        { verdict: 'unknown', member: 'models/c.pkl' },
        { verdict: 'incomplete', member: 'models/d.bin' },
      ],
    });
  });
});

describe('wellFormed', () => {
  it('replaces lone surrogates, and keeps pairs', () => {
    expect(wellFormed('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(wellFormed('\ud83d\ude00')).toBe('\u{1f600}');
    expect(wellFormed('\udc00\ud800')).toBe('\ufffd\ufffd');
  });
});
