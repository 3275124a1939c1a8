import { describe, expect, it } from '@jest/globals';

import type { ModelEntry, RecordPredicate, Statement } from '../../src/record/predicate.js';
import type { RecordResult } from '../../src/run/record.js';
import { diffRecords, type DiffSide } from '../../src/report/diff.js';
import { formatMetric, renderDiffMarkdown } from '../../src/report/diff-markdown.js';
import type { LedgerRow } from '../../src/report/load.js';
import { renderPullRequestComment } from '../../src/report/pr-comment.js';
import { reportRecord, type ReportData } from '../../src/report/report-data.js';
import { summaryMarkdown } from '../../src/report/summary.js';
import { verifyInstructions } from '../../src/report/verify-md.js';
import { makePredicate } from '../support/predicate.js';

/**
 * What each face (diff Markdown and JSON, PR comment, job summary, report data, VERIFY.md) shows
 * of one change: every training field, pickle findings, development keys, approvers.
 */

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

function statement(overrides: Partial<RecordPredicate>): Statement {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'model.pt', digest: { sha256: SHA_A } }],
    predicateType: 'https://model-ledger.dev/record/v1',
    predicate: makePredicate(overrides),
  };
}

function training(seed: number, train: number, accuracy: number): RecordPredicate['training'] {
  return {
    source: 'train.yaml',
    sourceSha256: SHA_A,
    sourceKind: 'yaml',
    run: { params: { lr: 0.001 }, seed, samples: { train, test: 200 }, metrics: { accuracy } },
  };
}

const model: ModelEntry = { name: 'model.pt', kind: 'file', digest: { sha256: SHA_A }, size: 10 };
const unsafeModel: ModelEntry = {
  ...model,
  name: 'evil.pt',
  warnings: [
    {
      code: 'PICKLE_UNSAFE_IMPORT',
      message:
        'evil.pt (archive/data.pkl): imports posix.system (GLOBAL at byte 12, then called); loading this file with pickle or torch.load can run arbitrary code',
    },
  ],
};
// The verdict object some records carry instead of (or besides) warnings.
const verdictModel = {
  ...model,
  name: 'partial.pkl',
  safety: { verdict: 'incomplete', imports: ['numpy.core.multiarray._reconstruct'] },
} as unknown as ModelEntry;

const before = statement({
  chain: { origin: 'github.com/acme/model#main', index: 4, previous: null },
  models: [model],
  training: training(42, 1000, 0.9123456789012345),
});
const after = statement({
  chain: { origin: 'github.com/acme/model#main', index: 5, previous: null },
  models: [model],
  training: training(7, 1200, 0.93456789),
  change: {
    reason: 'retrain',
    reasonSource: 'input',
    implementedBy: [],
    approvedBy: [{ login: 'alice' }, { login: 'bob' }],
  },
});

function side(s: Statement, sha: string | null = null): DiffSide {
  return { statement: s, statementSha256: sha, signer: 'key:abc', verified: true };
}

function result(s: Statement): RecordResult {
  return {
    index: s.predicate.chain.index,
    statementSha256: SHA_B,
    bundleSha256: SHA_B,
    location: '/home/runner/work/_temp/model-ledger-x1y2/000005-bbbbbbbbbbbb.sigstore.json',
    ref: { index: s.predicate.chain.index, name: '000005-bbbbbbbbbbbb.sigstore.json', uri: 'file:///x' },
    previous: { statementSha256: SHA_A, bundleSha256: SHA_A, uri: 'file:///y' },
    statement: s,
    signingMode: s.predicate.signing.mode,
    notices: [],
  };
}

function row(s: Statement): LedgerRow {
  return {
    index: s.predicate.chain.index,
    file: 'x.sigstore.json',
    location: 'x',
    ref: { index: s.predicate.chain.index, name: 'x', uri: 'x' },
    bundleSha256: SHA_B,
    statementSha256: SHA_B,
    signer: 'key:abc',
    claimedSigner: null,
    signingMode: s.predicate.signing.mode,
    recordedAt: s.predicate.recordedAt,
    signatureVerified: true,
    chainVerified: true,
    problems: [],
    statement: s,
  };
}

describe('every training field that changed is shown', () => {
  const diff = diffRecords(side(before), side(after));

  it('a seed and sample counts beside a params object are compared (diff data and JSON)', () => {
    const keys = diff.training.params.map((change) => change.key);
    expect(keys).toEqual(expect.arrayContaining(['seed', 'samples.train']));
    expect(keys).not.toContain('samples.test'); // unchanged
    expect(keys).not.toContain('lr');
    expect(diff.training.params.find((change) => change.key === 'seed')).toEqual({
      key: 'seed',
      from: 42,
      to: 7,
    });
    const json = JSON.parse(JSON.stringify(diff)) as { training: { params: unknown[] } };
    expect(json.training.params).toContainEqual({ key: 'seed', from: 42, to: 7 });
    expect(diff.empty).toBe(false);
  });

  it('in the Markdown diff and the pull request comment', () => {
    const markdown = renderDiffMarkdown(diff);
    expect(markdown).toMatch(/<code>seed<\/code> \| <code>42<\/code> \| <code>7<\/code>/);
    expect(markdown).toMatch(/<code>samples\.train<\/code> \| <code>1000<\/code> \| <code>1200<\/code>/);
    const comment = renderPullRequestComment(result(after), diff);
    expect(comment).toContain('<code>seed</code>');
  });

  it("in report.html's parameters (and so its comparison, which diffs them)", () => {
    const record = reportRecord(row(after), 'x', true);
    expect(record.training?.params).toMatchObject({
      lr: 0.001,
      seed: 7,
      'samples.train': 1200,
      'samples.test': 200,
    });
    expect(record.training?.metrics).toEqual({ accuracy: 0.93456789 });
  });

  it('a field named like a params key is kept under run.<key>', () => {
    const s = statement({
      training: {
        ...(training(1, 1, 1) as NonNullable<RecordPredicate['training']>),
        run: { params: { seed: 1 }, seed: 2 },
      },
    });
    const record = reportRecord(row(s), 'x', true);
    expect(record.training?.params).toEqual({ seed: 1, 'run.seed': 2 });
  });
});

describe('the pull request comment', () => {
  const diff = diffRecords(side(before, SHA_A), side(after, SHA_B));
  const comment = renderPullRequestComment(result(after), diff);

  it('has a one-line summary at a glance, with the approvers', () => {
    const glance = comment.split('\n').find((line) => line.startsWith('**At a glance:**'));
    expect(glance).toBeDefined();
    expect(glance).toContain('models unchanged');
    expect(glance).toContain('approved by alice, bob');
    expect(glance).toContain('accuracy 0.9123 → 0.9346');
    expect(comment).toMatch(/\| Approved by \| — \| alice, bob \|/);
  });

  it('says when the models are unchanged', () => {
    expect(comment).toContain('**Models unchanged** (1)');
  });

  it('prints metrics with at most 4 significant digits', () => {
    expect(comment).not.toContain('0.9123456789');
    expect(comment).toMatch(
      /<code>accuracy<\/code> \| <code>0\.9123<\/code> \| <code>0\.9346<\/code> \| \+0\.02222/,
    );
    expect(formatMetric(0.010000000000000009)).toBe('0.01');
    expect(formatMetric(12345.678)).toBe('12350');
    expect(formatMetric(42)).toBe('42');
  });

  it("does not show the runner's temp path, only the bundle's name", () => {
    expect(comment).not.toContain('/home/runner');
    expect(comment).not.toContain('_temp');
    expect(comment).toContain('000005-bbbbbbbbbbbb.sigstore.json');
  });

  it('of a first record says so, with the approvers and findings', () => {
    const first = statement({ ...after.predicate, models: [unsafeModel] });
    const body = renderPullRequestComment(result(first), null);
    expect(body).toContain('first record of the ledger');
    expect(body).toContain('approved by alice, bob');
    expect(body).toContain('[!CAUTION]');
    expect(body).toContain('posix.system');
  });
});

describe('pickle findings are shown prominently', () => {
  const risky = statement({ ...after.predicate, models: [model, verdictModel, unsafeModel] });

  it('first in the diff and the pull request comment, from warnings and from a verdict object', () => {
    const diff = diffRecords(side(before), side(risky));
    expect(diff.safety.map((finding) => [finding.model, finding.verdict])).toEqual([
      ['evil.pt', 'unsafe'],
      ['partial.pkl', 'incomplete'],
    ]);
    const comment = renderPullRequestComment(result(risky), diff);
    const caution = comment.indexOf('[!CAUTION]');
    expect(caution).toBeGreaterThan(-1);
    expect(caution).toBeLessThan(comment.indexOf('| Recorded |'));
    expect(comment).toContain(
      'evil.pt: UNSAFE pickle: loading it can run arbitrary code (imports posix.system)',
    );
    expect(comment).toContain('partial.pkl: pickle scan incomplete');
    expect(comment).toContain('numpy.core.multiarray.&#95;reconstruct');
    expect(comment.split('\n').find((line) => line.startsWith('**At a glance:**'))).toContain(
      '**1 unsafe pickle**',
    );
  });

  it('in the job summary', () => {
    const summary = summaryMarkdown(result(risky));
    expect(summary.indexOf('[!CAUTION]')).toBeLessThan(summary.indexOf('| Chain position |'));
    expect(summary).toContain('posix.system');
  });

  it('in the data report.html shows', () => {
    const record = reportRecord(row(risky), 'x', true);
    expect(record.safety).toEqual([
      expect.objectContaining({ model: 'evil.pt', verdict: 'unsafe', imports: ['posix.system'] }),
      expect.objectContaining({ model: 'partial.pkl', verdict: 'incomplete' }),
    ]);
  });

  it('reads the scan verdict with its findings, as records carry it', () => {
    const scanned: ModelEntry = {
      ...model,
      name: 'scanned.pt',
      safety: {
        verdict: 'unsafe',
        pickles: 1,
        findings: [
          { verdict: 'unsafe', member: 'archive/data.pkl', names: ['builtins.eval'], reason: 'runs code' },
        ],
      },
    };
    const clean: ModelEntry = { ...model, name: 'clean.pt', safety: { verdict: 'clean', pickles: 1 } };
    const diff = diffRecords(side(before), side(statement({ ...after.predicate, models: [clean, scanned] })));
    expect(diff.safety).toEqual([
      {
        model: 'scanned.pt',
        verdict: 'unsafe',
        imports: ['builtins.eval'],
        messages: ['archive/data.pkl: runs code'],
      },
    ]);
  });

  it("shows the scan's verdict as recorded, not a finding's", () => {
    const partial: ModelEntry = {
      ...model,
      name: 'partial.pt',
      safety: {
        verdict: 'incomplete',
        pickles: 2,
        findings: [
          { verdict: 'unknown', member: 'a.pkl', names: ['mypkg.Net'], reason: 'off the safe list' },
          { verdict: 'incomplete', member: 'b.zst', reason: 'zstd is not inflated' },
        ],
      },
      warnings: [
        {
          code: 'PICKLE_UNKNOWN_IMPORT',
          message: 'partial.pt (a.pkl): imports mypkg.Net (GLOBAL at byte 2)',
        },
      ],
    };
    const diff = diffRecords(side(before), side(statement({ ...after.predicate, models: [partial] })));
    expect(diff.safety.map((finding) => [finding.model, finding.verdict, finding.imports])).toEqual([
      ['partial.pt', 'incomplete', ['mypkg.Net']],
    ]);
  });

  it('a model whose scan found nothing has no finding', () => {
    expect(diffRecords(side(before), side(after)).safety).toEqual([]);
  });
});

describe('the working-tree state', () => {
  const person = { name: 'A', email: 'a@example.org', date: '2026-11-26T10:00:00+00:00' };
  const dirty = statement({
    ...after.predicate,
    commit: {
      sha: 'c'.repeat(40),
      tree: 'd'.repeat(40),
      parents: [],
      author: person,
      committer: person,
      message: 'train',
      signed: false,
      repositoryUrl: '',
      workingTree: {
        state: 'dirty',
        dirty: [{ path: 'data/train.csv', status: 'modified' }],
        otherChanges: 0,
      },
    },
  });

  it('is in the job summary, warned about and in the table', () => {
    const summary = summaryMarkdown(result(dirty));
    expect(summary).toContain('| Working tree | dirty: data/train.csv |');
    expect(summary).toContain('record 5 was made with uncommitted changes');
  });

  it('is in the diff (JSON and Markdown) and the report data', () => {
    const diff = diffRecords(side(before), side(dirty));
    expect(diff.to.workingTree?.state).toBe('dirty');
    expect(renderDiffMarkdown(diff)).toContain('| Working tree | not recorded | dirty: data/train.csv |');
    expect(glanceOf(renderPullRequestComment(result(dirty), diff))).toContain('**uncommitted changes**');
    expect(reportRecord(row(dirty), 'x', true).workingTree?.dirty).toEqual([
      { path: 'data/train.csv', status: 'modified' },
    ]);
  });
});

function glanceOf(comment: string): string {
  return comment.split('\n').find((line) => line.startsWith('**At a glance:**')) ?? '';
}

describe('development-key records say "not evidence" on every face', () => {
  const dev = statement({ ...after.predicate, signing: { mode: 'development-key' } });

  it('job summary', () => {
    const summary = summaryMarkdown(result(dev));
    expect(summary).toContain('development key — not evidence');
    expect(summary.indexOf('development key — not evidence')).toBeLessThan(
      summary.indexOf('| Chain position |'),
    );
  });

  it('diff and pull request comment', () => {
    const comment = renderPullRequestComment(result(dev), diffRecords(side(before), side(dev)));
    expect(comment).toContain('signed with a development key — not evidence');
    expect(comment.split('\n').find((line) => line.startsWith('**At a glance:**'))).toContain(
      'development key — not evidence',
    );
  });

  it("VERIFY.md's headline", () => {
    const data: ReportData = {
      format: 'https://model-ledger.dev/evidence/v1',
      tool: { name: 'model-ledger', version: '0.1.0' },
      generatedAt: '2026-11-26T10:00:00.000Z',
      origin: 'local:x#main',
      range: { from: 0, to: 4 },
      verification: { ok: true, problems: [], notices: [] },
      records: [0, 1, 2, 3, 4].map((index) =>
        reportRecord(
          row(statement({ ...dev.predicate, chain: { origin: 'local:x#main', index, previous: null } })),
          'x',
          true,
        ),
      ),
    };
    const text = verifyInstructions({
      data,
      keys: ['abc'],
      pinnedKey: 'abc',
      explicitKeys: [],
      identity: null,
      firstSigner: null,
      hasTrustedRoot: false,
      missing: [],
    });
    const lines = text.split('\n');
    expect(lines[2]).toMatch(/^> \*\*Development key — not evidence\.\*\* 5 of the 5 records/);
    expect(text).toContain(
      'every one of the 5 records verified (signature, signer and chain link), but 5 of them are signed with a development key — not evidence',
    );
  });
});
