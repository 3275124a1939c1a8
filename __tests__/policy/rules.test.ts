import { describe, expect, it } from '@jest/globals';

import { evaluatePolicy } from '../../src/policy/evaluate.js';
import { parsePolicy } from '../../src/policy/load.js';
import type { LoadedPolicy, PolicyEvaluationOptions } from '../../src/policy/types.js';
import type { PolicyResult, PullRequestInfo, RecordPredicate } from '../../src/record/predicate.js';
import { makePredicate } from '../support/predicate.js';

function policy(yaml: string): LoadedPolicy {
  return parsePolicy(Buffer.from(`version: 1\n${yaml}`), 'policy.yml');
}

function results(
  yaml: string,
  overrides: Partial<RecordPredicate>,
  options: PolicyEvaluationOptions = {},
): PolicyResult[] {
  return evaluatePolicy(policy(yaml), makePredicate(overrides), options);
}

/** The one result for `rule`, failing the test when there is not exactly one. */
function only(all: PolicyResult[], rule: string): PolicyResult {
  const found = all.filter((result) => result.rule === rule);
  expect(found).toHaveLength(1);
  return found[0] as PolicyResult;
}

const HEAD = 'b'.repeat(40);
const OLD = 'a'.repeat(40);

function pullRequest(reviews: [string, string, string][], author = 'ada'): PullRequestInfo {
  return {
    number: 7,
    title: 'Retrain',
    url: 'https://github.com/acme/model/pull/7',
    author,
    labels: [],
    base: { ref: 'main', sha: 'c'.repeat(40) },
    head: { ref: 'retrain', sha: HEAD },
    reviews: reviews.map(([reviewer, state, commitId], index) => ({
      reviewer,
      state,
      commitId,
      submittedAt: `2026-11-2${index}T10:00:00Z`,
    })),
  };
}

function withPull(pull: PullRequestInfo): Partial<RecordPredicate> {
  return {
    change: {
      reason: 'retrain',
      reasonSource: 'pull-request',
      pullRequest: pull,
      implementedBy: [{ login: pull.author }],
      approvedBy: [],
    },
  };
}

describe('required', () => {
  const rules = `required:
  - path: training.run.seed
    message: Every trained model records its seed.
  - path: datasets[*].description.license
    level: warn
`;

  it('passes when every path is present and non-empty, in every list item', () => {
    const all = results(rules, {
      training: { source: 'train.json', sourceSha256: 'f'.repeat(64), sourceKind: 'json', run: { seed: 0 } },
      datasets: [
        {
          name: 'a',
          kind: 'file',
          digest: { sha256: 'e'.repeat(64) },
          size: 1,
          files: 1,
          description: { license: 'MIT' },
        },
        {
          name: 'b',
          kind: 'file',
          digest: { sha256: 'd'.repeat(64) },
          size: 1,
          files: 1,
          description: { license: 'CC0-1.0' },
        },
      ],
    });
    expect(all.map((result) => [result.rule, result.outcome])).toEqual([
      ['required:training.run.seed', 'pass'],
      ['required:datasets[*].description.license', 'pass'],
    ]);
    expect(all[1]?.message).toBe('datasets[*].description.license is present in all 2 items');
  });

  it('fails with the rule’s message and says where the value is missing or empty', () => {
    const all = results(rules, {
      datasets: [
        {
          name: 'a',
          kind: 'file',
          digest: { sha256: 'e'.repeat(64) },
          size: 1,
          files: 1,
          description: { license: ' ' },
        },
        { name: 'b', kind: 'file', digest: { sha256: 'd'.repeat(64) }, size: 1, files: 1 },
      ],
    });
    expect(all[0]).toEqual({
      rule: 'required:training.run.seed',
      level: 'enforce',
      outcome: 'fail',
      message:
        'Every trained model records its seed. (training.run.seed must be present and non-empty: training is missing, so is everything below it)',
    });
    expect(all[1]).toMatchObject({ level: 'warn', outcome: 'fail' });
    expect(all[1]?.message).toBe(
      'datasets[*].description.license must be present and non-empty: datasets[0].description.license is empty, datasets[1].description is missing, so is everything below it',
    );
  });

  it('holds over an empty list: no item lacks the field', () => {
    expect(only(results(rules, {}), 'required:datasets[*].description.license').outcome).toBe('pass');
  });
});

describe('approvals', () => {
  const rules = `approvals:
  minimum: 2
  on-last-commit: true
`;

  it('counts approvals from people other than the author, on the last commit', () => {
    const all = results(
      rules,
      withPull(
        pullRequest([
          ['grace', 'APPROVED', HEAD],
          ['linus', 'APPROVED', HEAD],
          ['ada', 'APPROVED', HEAD],
        ]),
      ),
    );
    expect(only(all, 'approvals.minimum')).toMatchObject({
      outcome: 'pass',
      message: 'pull request #7 has 2 approvals from people other than the author (ada): grace, linus',
    });
    expect(only(all, 'approvals.on-last-commit').outcome).toBe('pass');
  });

  it('does not count the author, a later change request, or an approval of an earlier push on the last commit', () => {
    const all = results(
      rules,
      withPull(
        pullRequest([
          ['ada', 'APPROVED', HEAD],
          ['grace', 'APPROVED', OLD],
          ['linus', 'APPROVED', HEAD],
          ['linus', 'CHANGES_REQUESTED', HEAD],
          ['ken', 'APPROVED', OLD],
          ['ken', 'COMMENTED', HEAD],
        ]),
      ),
    );
    expect(only(all, 'approvals.minimum')).toMatchObject({
      outcome: 'pass',
      message: 'pull request #7 has 2 approvals from people other than the author (ada): grace, ken',
    });
    const last = only(all, 'approvals.on-last-commit');
    expect(last.outcome).toBe('fail');
    expect(last.message).toBe(
      `0 approvals on the last commit ${HEAD.slice(0, 12)}, 2 required; approvals given before the last push: grace on ${OLD.slice(0, 12)}, ken on ${OLD.slice(0, 12)}`,
    );
  });

  it('fails without a pull request, and says so', () => {
    const all = results('approvals:\n  minimum: 1\n  message: A second pair of eyes is required.\n', {});
    expect(only(all, 'approvals.minimum')).toMatchObject({
      outcome: 'fail',
      message:
        'A second pair of eyes is required. (1 approval required; the record has no pull request, so no approvals (see its notes for why none was read))',
    });
  });

  it('fails `teams` honestly: the record cannot show team membership', () => {
    const all = results(
      'approvals:\n  teams: [ml-leads]\n  on-last-commit: false\n',
      withPull(pullRequest([['grace', 'APPROVED', OLD]])),
    );
    expect(only(all, 'approvals.minimum').outcome).toBe('pass');
    expect(all.some((result) => result.rule === 'approvals.on-last-commit')).toBe(false);
    const teams = only(all, 'approvals.teams');
    expect(teams.outcome).toBe('fail');
    expect(teams.message).toMatch(
      /^approvers must belong to ml-leads, and the record does not say which teams the approvers \(grace\) belong to/,
    );
  });
});

describe('signers', () => {
  const RELEASE = 'https://github.com/acme/model/.github/workflows/release.yml@refs/heads/main';
  const ISSUER = 'https://token.actions.githubusercontent.com';
  const rules = `signers:
  - identity-regexp: ^https://github\\.com/acme/.+/\\.github/workflows/release\\.yml@refs/heads/main$
    issuer: ${ISSUER}
  - key-hint: "${'1'.repeat(64)}"
`;
  const certificate = (identity: string, issuer = ISSUER): PolicyEvaluationOptions => ({
    signer: { kind: 'certificate', identity, issuer, extensions: {}, keyHint: '0'.repeat(64) },
  });

  it('passes a certificate identity matching an entry, with its issuer', () => {
    expect(only(results(rules, {}, certificate(RELEASE)), 'signers')).toMatchObject({ outcome: 'pass' });
  });

  it('fails another workflow, another issuer, or another key', () => {
    const train = RELEASE.replace('release.yml', 'train.yml');
    expect(only(results(rules, {}, certificate(train)), 'signers').message).toMatch(
      new RegExp(
        `^signed by ${train.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(issuer ${ISSUER.replace(/[./]/g, '\\$&')}\\), which no entry allows`,
      ),
    );
    expect(
      only(results(rules, {}, certificate(RELEASE, 'https://accounts.google.com')), 'signers').outcome,
    ).toBe('fail');
    expect(
      only(results(rules, {}, { signer: { kind: 'key', keyHint: '2'.repeat(64) } }), 'signers').outcome,
    ).toBe('fail');
  });

  it('passes a key by its hint', () => {
    expect(
      only(results(rules, {}, { signer: { kind: 'key', keyHint: '1'.repeat(64) } }), 'signers').outcome,
    ).toBe('pass');
  });

  it('is deferred when the signer is not known yet (keyless, before the certificate exists)', () => {
    const result = only(
      results(`signers:\n  allow:\n    - identity: ${RELEASE}\n      issuer: ${ISSUER}\n  level: warn\n`, {}),
      'signers',
    );
    expect(result).toMatchObject({ outcome: 'deferred', level: 'warn' });
    expect(result.message).toMatch(/checked by `model-ledger verify --policy`/);
  });
});

describe('datasets', () => {
  const rules = `datasets:
  allow: [{ name: "fraud-*" }, { uri: "s3://acme-approved/**" }]
  deny-licenses: [CC-BY-NC-4.0]
`;
  const dataset = (
    name: string,
    extra: Partial<RecordPredicate['datasets'][number]> = {},
  ): RecordPredicate['datasets'][number] => ({
    name,
    kind: 'file',
    path: `data/${name}.csv`,
    digest: { sha256: 'e'.repeat(64) },
    size: 1,
    files: 1,
    ...extra,
  });

  it('passes datasets matching a name or a URI glob under an allowed licence', () => {
    const all = results(rules, {
      datasets: [
        dataset('fraud-2024', { description: { license: 'CC-BY-4.0' } }),
        dataset('clicks', {
          kind: 'uri',
          path: undefined,
          uri: 's3://acme-approved/clicks/2024/part-0.parquet',
        }),
      ],
    });
    expect(all.map((result) => [result.rule, result.outcome])).toEqual([
      ['datasets.allow', 'pass'],
      ['datasets.deny-licenses', 'pass'],
    ]);
  });

  it('fails datasets off the allow-list and denied licences, inside SPDX expressions too', () => {
    const all = results(rules, {
      datasets: [
        dataset('fraud-2024', { description: { license: 'MIT OR cc-by-nc-4.0' } }),
        dataset('scraped', { kind: 'uri', path: undefined, uri: 's3://elsewhere/scraped' }),
      ],
    });
    expect(only(all, 'datasets.allow')).toMatchObject({
      outcome: 'fail',
      message: '1 dataset not on the allow-list: scraped (s3://elsewhere/scraped)',
    });
    expect(only(all, 'datasets.deny-licenses')).toMatchObject({
      outcome: 'fail',
      message: 'datasets under a denied licence: fraud-2024 (cc-by-nc-4.0)',
    });
  });
});

describe('models', () => {
  const rules = `models:
  formats: [safetensors, onnx, gguf]
  pickle: deny
  max-size-bytes: 1000
`;
  const model = (
    name: string,
    extra: Partial<RecordPredicate['models'][number]> = {},
  ): RecordPredicate['models'][number] => ({
    name,
    kind: 'file',
    digest: { sha256: 'a'.repeat(64) },
    size: 10,
    ...extra,
  });

  it('passes allowed formats, no pickle findings, within the size cap', () => {
    const all = results(rules, {
      models: [model('m.safetensors', { format: 'safetensors' }), model('m.onnx', { format: 'onnx' })],
    });
    expect(all.map((result) => [result.rule, result.outcome])).toEqual([
      ['models.formats', 'pass'],
      ['models.pickle', 'pass'],
      ['models.max-size-bytes', 'pass'],
    ]);
  });

  it('fails other formats, flagged pickles and models over the cap', () => {
    const all = results(rules, {
      models: [
        model('model.pt', {
          format: 'pytorch',
          size: 5000,
          warnings: [{ code: 'PICKLE_UNSAFE_IMPORT', message: 'model.pt imports os.system' }],
        }),
      ],
    });
    expect(only(all, 'models.formats').message).toBe(
      '1 model in a format the policy does not allow (safetensors, onnx, gguf): model.pt (pytorch)',
    );
    expect(only(all, 'models.pickle')).toMatchObject({ outcome: 'fail', level: 'enforce' });
    expect(only(all, 'models.pickle').message).toMatch(
      /^1 model with pickle findings: model\.pt \(PICKLE_UNSAFE_IMPORT\)/,
    );
    expect(only(all, 'models.max-size-bytes').message).toBe(
      '1 model larger than 1000 bytes: model.pt (5000 bytes)',
    );
  });

  it('reports pickle findings as a warning with `pickle: warn`, and records them with `pickle: allow`', () => {
    const flagged = {
      models: [
        model('m.pkl', { format: 'pickle', warnings: [{ code: 'PICKLE_UNKNOWN_IMPORT', message: '…' }] }),
      ],
    };
    expect(only(results('models:\n  pickle: warn\n', flagged), 'models.pickle')).toMatchObject({
      outcome: 'fail',
      level: 'warn',
    });
    expect(only(results('models:\n  pickle: allow\n', flagged), 'models.pickle')).toMatchObject({
      outcome: 'pass',
    });
  });
  it('decides by the safety verdict: unsafe as `pickle`, unknown and incomplete as configured', () => {
    const safety = (verdict: 'unsafe' | 'unknown' | 'incomplete', names: string[] = []) => ({
      verdict,
      pickles: 1,
      findings: [{ verdict, ...(names.length > 0 ? { names } : {}) }],
    });
    const models = {
      models: [
        model('evil.bin', { safety: safety('unsafe', ['os.system']) }),
        model('custom.pkl', { safety: safety('unknown', ['mypkg.Net']) }),
        model('bomb.zip', { safety: safety('incomplete') }),
        model('safe.pt', { safety: { verdict: 'clean', pickles: 1 } }),
      ],
    };
    const deny = only(results('models:\n  pickle: deny\n', models), 'models.pickle');
    expect(deny).toMatchObject({ outcome: 'fail', level: 'enforce' });
    expect(deny.message).toMatch(
      /^3 models with pickle findings: evil\.bin \(unsafe: os\.system\), custom\.pkl \(unknown: mypkg\.Net\), bomb\.zip \(incomplete\)/,
    );
    // A dataset scanned on request is judged the same way.
    const scannedData = {
      models: [model('safe.pt', { safety: { verdict: 'clean' as const, pickles: 1 } })],
      datasets: [
        {
          name: 'shards',
          kind: 'directory' as const,
          path: 'shards',
          digest: { sha256: 'b'.repeat(64) },
          size: 10,
          files: 2,
          safety: safety('unsafe', ['posix.system']),
        },
      ],
    };
    const data = only(results('models:\n  pickle: deny\n', scannedData), 'models.pickle');
    expect(data).toMatchObject({ outcome: 'fail', level: 'enforce' });
    expect(data.message).toMatch(/^1 model with pickle findings: dataset shards \(unsafe: posix\.system\)/);
    const unknownOnly = { models: [model('custom.pkl', { safety: safety('unknown', ['mypkg.Net']) })] };
    expect(only(results('models:\n  pickle: deny\n', unknownOnly), 'models.pickle')).toMatchObject({
      level: 'warn',
    });
    expect(
      only(results('models:\n  pickle: deny\n  pickle-unknown: deny\n', unknownOnly), 'models.pickle'),
    ).toMatchObject({ outcome: 'fail', level: 'enforce' });
    const incompleteOnly = { models: [model('bomb.zip', { safety: safety('incomplete') })] };
    expect(only(results('models:\n  pickle: deny\n', incompleteOnly), 'models.pickle')).toMatchObject({
      level: 'enforce',
    });
    expect(
      only(results('models:\n  pickle: deny\n  pickle-incomplete: allow\n', incompleteOnly), 'models.pickle'),
    ).toMatchObject({ outcome: 'pass' });
  });
});

describe('dependencies', () => {
  const rules = `dependencies:
  deny: ["pkg:pypi/Pickle_5", "pkg:npm/event-stream@3.3.6", "pkg:npm/%40evil/pkg"]
  require-lockfiles: true
`;
  const lockfile = (...purls: string[]): RecordPredicate['dependencies'] => ({
    lockfiles: [
      {
        path: 'requirements.txt',
        kind: 'requirements',
        sha256: 'c'.repeat(64),
        packages: purls.map((purl) => ({ purl, name: purl, version: '', ecosystem: 'x' })),
      },
    ],
  });

  it('passes allowed packages and versions, with a lockfile', () => {
    const all = results(rules, {
      dependencies: lockfile('pkg:pypi/numpy@2.0.0', 'pkg:npm/event-stream@4.0.1'),
    });
    expect(all.map((result) => [result.rule, result.outcome])).toEqual([
      ['dependencies.deny', 'pass'],
      ['dependencies.require-lockfiles', 'pass'],
    ]);
  });

  it('fails a denied package at any version, a denied version, and a missing lockfile', () => {
    const all = results(rules, {
      dependencies: lockfile(
        'pkg:pypi/pickle-5@0.0.11',
        'pkg:npm/event-stream@3.3.6',
        'pkg:npm/%40evil/pkg@1.0.0',
      ),
    });
    expect(only(all, 'dependencies.deny').message).toBe(
      'denied packages: pkg:pypi/pickle-5@0.0.11 in requirements.txt (denied by pkg:pypi/Pickle_5), pkg:npm/event-stream@3.3.6 in requirements.txt (denied by pkg:npm/event-stream@3.3.6), pkg:npm/%40evil/pkg@1.0.0 in requirements.txt (denied by pkg:npm/%40evil/pkg)',
    );
    expect(only(results(rules, {}), 'dependencies.require-lockfiles')).toMatchObject({
      outcome: 'fail',
      message: expect.stringMatching(/^the record has no lockfile/) as unknown as string,
    });
  });
});

describe('retention', () => {
  it('is recorded as a passing, informational result with the date retention ends', () => {
    expect(only(results('retention:\n  years: 10\n', {}), 'retention')).toEqual({
      rule: 'retention',
      level: 'enforce',
      outcome: 'pass',
      message:
        "keep this record for 10 years, until 2036-11-26 (informational: model-ledger never deletes records; the store's retention settings enforce this)",
    });
  });
});
