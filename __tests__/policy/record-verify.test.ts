import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';

import { readInputs, toRecordOptions } from '../../src/action/inputs.js';
import type { RecordPredicate, Statement } from '../../src/record/predicate.js';
import type { LedgerVerification } from '../../src/verify/ledger.js';
import { runCli, type CliRun } from '../support/cli.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** Every file under the ledger directory with its digest: what "nothing was written" compares. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files[path.slice(dir.length + 1)] = sha256(await readFile(path));
    }
  };
  await walk(dir);
  return files;
}

async function recordJson(...args: string[]): Promise<CliRun & { predicate: RecordPredicate }> {
  const run = await runCli(['record', '--json', ...args], repo.dir, repo.env);
  expect(run.stderr).not.toMatch(/model-ledger record:/);
  expect(run.status).toBe(0);
  const { bundlePath } = JSON.parse(run.stdout) as { bundlePath: string };
  const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
  const statement = JSON.parse(
    Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'),
  ) as Statement;
  return { ...run, predicate: statement.predicate };
}

async function commitModel(version: string, extra: Record<string, string> = {}): Promise<void> {
  await repo.write('models/model.bin', `weights ${version}`);
  for (const [path, content] of Object.entries(extra)) await repo.write(path, content);
  repo.commit(`train ${version}`);
}

const SEED_POLICY = `version: 1
required:
  - path: training.run.seed
    message: Every trained model records its seed.
`;

describe('record with a policy', () => {
  it('refuses a change that breaks an enforced rule: exit 1, the rule’s message, nothing written', async () => {
    await commitModel('1');
    await recordJson('--models', 'models/model.bin', '--no-policy');
    const ledger = join(repo.dir, '.model-ledger');
    const before = await snapshot(ledger);

    await repo.write('model-ledger.policy.yml', SEED_POLICY);
    await commitModel('2');
    const refused = await runCli(['record', '--models', 'models/model.bin'], repo.dir, repo.env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'model-ledger record: model-ledger.policy.yml: the change breaks an enforced rule of the policy:\n' +
        '  - required:training.run.seed: Every trained model records its seed. (training.run.seed must be present and non-empty: training is missing, so is everything below it)\n' +
        'Nothing was signed or written',
    );
    expect(refused.stdout).toBe('');
    expect(await snapshot(ledger)).toEqual(before);
  });

  it('lists several violations one per line', async () => {
    const paths = ['training.run.seed', 'training.run.epochs', 'change.pullRequest', 'training.source'];
    await repo.write(
      'model-ledger.policy.yml',
      `version: 1\nrequired:\n${paths.map((path) => `  - path: ${path}\n`).join('')}`,
    );
    await commitModel('1');
    const refused = await runCli(['record', '--models', 'models/model.bin'], repo.dir, repo.env);
    expect(refused.status).toBe(1);
    const all = refused.stderr.split('\n');
    const lines = all.slice(all.findIndex((line) => line.startsWith('model-ledger record:')));
    expect(lines[0]).toBe(
      'model-ledger record: model-ledger.policy.yml: the change breaks 4 enforced rules of the policy:',
    );
    expect(lines.slice(1, 5).map((line) => line.replace(/: .*/, ''))).toEqual(
      paths.map((path) => `  - required:${path}`),
    );
    expect(lines[5]).toMatch(/^Nothing was signed or written/);
  });

  it('refuses before creating a ledger at all', async () => {
    await repo.write('model-ledger.policy.yml', SEED_POLICY);
    await commitModel('1');
    const refused = await runCli(['record', '--models', 'models/model.bin'], repo.dir, repo.env);
    expect(refused.status).toBe(1);
    await expect(stat(join(repo.dir, '.model-ledger'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('records a change that breaks a warn rule, warns, and signs every result with the policy digest', async () => {
    const policy =
      SEED_POLICY.replace('    message:', '    level: warn\n    message:') + 'retention:\n  years: 7\n';
    await repo.write('model-ledger.policy.yml', policy);
    await commitModel('1');
    const recorded = await recordJson('--models', 'models/model.bin');
    expect(recorded.stderr).toContain(
      'warning: policy model-ledger.policy.yml: required:training.run.seed: Every trained model records its seed.',
    );
    expect(recorded.predicate.policy).toEqual({
      file: 'model-ledger.policy.yml',
      sha256: sha256(policy),
      results: [
        {
          rule: 'required:training.run.seed',
          level: 'warn',
          outcome: 'fail',
          message:
            'Every trained model records its seed. (training.run.seed must be present and non-empty: training is missing, so is everything below it)',
        },
        expect.objectContaining({ rule: 'retention', outcome: 'pass' }),
      ],
    });
  });

  it('records the digest of the policy each record was checked against, when the policy changes', async () => {
    const first = 'version: 1\nrequired:\n  - path: change.reason\n';
    await repo.write('policies/ml.yml', first);
    await commitModel('1');
    const one = await recordJson('--models', 'models/model.bin', '--policy', 'policies/ml.yml');

    const second = `${first}dependencies:\n  require-lockfiles: true\n  level: warn\n`;
    await repo.write('policies/ml.yml', second);
    await commitModel('2');
    const two = await recordJson('--models', 'models/model.bin', '--policy', 'policies/ml.yml');

    expect(one.predicate.policy?.sha256).toBe(sha256(first));
    expect(two.predicate.policy?.sha256).toBe(sha256(second));
    expect(one.predicate.policy?.file).toBe('policies/ml.yml');
    expect(one.predicate.policy?.results.map((result) => result.rule)).toEqual(['required:change.reason']);
    expect(two.predicate.policy?.results.map((result) => [result.rule, result.outcome])).toEqual([
      ['required:change.reason', 'pass'],
      ['dependencies.require-lockfiles', 'fail'],
    ]);
  });

  it('checks `signers` before signing when a key signs', async () => {
    await commitModel('1');
    const first = await recordJson('--models', 'models/model.bin', '--no-policy');
    const verified = await runCli(['verify', '--json'], repo.dir, repo.env);
    const hint =
      (JSON.parse(verified.stdout) as LedgerVerification).records[0]?.signer?.replace('key:', '') ?? '';
    expect(first.predicate.policy).toBeNull();
    expect(hint).toMatch(/^[0-9a-f]{64}$/);

    await repo.write('model-ledger.policy.yml', `version: 1\nsigners:\n  - key-hint: "${hint}"\n`);
    await commitModel('2');
    const allowed = await recordJson('--models', 'models/model.bin');
    expect(allowed.predicate.policy?.results).toEqual([
      expect.objectContaining({ rule: 'signers', outcome: 'pass' }),
    ]);

    await repo.write('model-ledger.policy.yml', `version: 1\nsigners:\n  - key-hint: "${'0'.repeat(64)}"\n`);
    await commitModel('3');
    const refused = await runCli(['record', '--models', 'models/model.bin'], repo.dir, repo.env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/signers: signed by key [0-9a-f]{64}, which no entry allows/);
  });

  it('refuses a malformed policy as bad input (exit 2), naming the line', async () => {
    await repo.write('model-ledger.policy.yml', 'version: 1\nmodels:\n  pickles: deny\n');
    await commitModel('1');
    const refused = await runCli(['record', '--models', 'models/model.bin'], repo.dir, repo.env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      'model-ledger record: model-ledger.policy.yml: line 3: models.pickles is not a known field — models takes: formats, pickle, pickle-unknown, pickle-incomplete, max-size-bytes, level, message',
    );
    const off = await recordJson('--models', 'models/model.bin', '--no-policy');
    expect(off.predicate.policy).toBeNull();
    const absent = await runCli(['record', '--policy', 'nope.yml'], repo.dir, repo.env);
    expect(absent.status).toBe(2);
    expect(absent.stderr).toMatch(/nope\.yml: cannot read the policy file: there is no such file/);
  });

  it('does not treat an unreadable default policy as absent', async () => {
    await commitModel('1');
    await symlink('model-ledger.policy.yml', join(repo.dir, 'model-ledger.policy.yml')); // a loop: ELOOP
    const run = await runCli(['record', '--models', 'models/model.bin'], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/model-ledger\.policy\.yml: cannot read the policy file .*pass --no-policy/);
  });

  it('takes the policy from the Action’s `policy` input', () => {
    const inputs = readInputs((name) => (name === 'policy' ? 'policies/regulated.yml' : ''));
    expect(toRecordOptions(inputs, '/work', {}).policy).toBe('policies/regulated.yml');
    expect(
      toRecordOptions(
        readInputs(() => ''),
        '/work',
        {},
      ).policy,
    ).toBeUndefined();
  });
});

describe('verify --policy', () => {
  it('reports every record against a new policy, record by record, failing on the old record that breaks it', async () => {
    await commitModel('1');
    await recordJson('--models', 'models/model.bin');
    await commitModel('2', { 'train.json': '{"seed": 42, "epochs": 3}' });
    await recordJson('--models', 'models/model.bin', '--training', 'train.json');

    const policy = `${SEED_POLICY}dependencies:\n  require-lockfiles: true\n  level: warn\n`;
    await repo.write('audit/policy.yml', policy);
    const verify = await runCli(['verify', '--policy', 'audit/policy.yml'], repo.dir, repo.env);
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(
      /FAIL POLICY_VIOLATION: record 0 \(000000-[0-9a-f]{12}\.sigstore\.json\): breaks required:training\.run\.seed of policy audit\/policy\.yml: Every trained model records its seed\./,
    );
    expect(verify.stderr).not.toMatch(/FAIL POLICY_VIOLATION: record 1/);
    expect(verify.stderr).toMatch(
      /notice: record 1 \([^)]+\): policy warning dependencies\.require-lockfiles: the record has no lockfile/,
    );
    const lines = verify.stdout.split('\n');
    expect(lines[0]).toBe(
      `policy audit/policy.yml (sha256 ${sha256(policy).slice(0, 12)}…), record by record:`,
    );
    expect(lines[1]).toMatch(
      /^ {2}record 0 \(000000-.*\): FAIL 1 enforced rule broken, 1 warning; recorded without a policy$/,
    );
    expect(lines[2]).toMatch(
      /^ {2}record 1 \(000001-.*\): ok, 2 rules checked, 1 warning; recorded without a policy$/,
    );
    expect(lines[3]).toMatch(/^verification failed: 1 problem\(s\)/);

    const json = JSON.parse(
      (await runCli(['verify', '--json', '--policy', 'audit/policy.yml'], repo.dir, repo.env)).stdout,
    ) as LedgerVerification;
    expect(json.ok).toBe(false);
    expect(json.problems.map((problem) => [problem.code, problem.index])).toEqual([['POLICY_VIOLATION', 0]]);
    expect(json.policy?.records.map((record) => record.results?.map((result) => result.outcome))).toEqual([
      ['fail', 'fail'],
      ['pass', 'fail'],
    ]);

    // Without the policy the ledger itself is sound.
    expect((await runCli(['verify'], repo.dir, repo.env)).status).toBe(0);
  });

  it('says which policy each record was made under', async () => {
    const policy = 'version: 1\nrequired:\n  - path: change.reason\n';
    await repo.write('model-ledger.policy.yml', policy);
    await commitModel('1');
    await recordJson('--models', 'models/model.bin');
    await repo.write('model-ledger.policy.yml', `${policy}  - path: commit.message\n`);
    await commitModel('2');
    await recordJson('--models', 'models/model.bin');

    const verify = await runCli(['verify', '--policy', 'model-ledger.policy.yml'], repo.dir, repo.env);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(
      new RegExp(
        `record 0 \\(.*\\): ok, 2 rules checked; recorded under model-ledger\\.policy\\.yml sha256 ${sha256(policy).slice(0, 12)}…`,
      ),
    );
    expect(verify.stdout).toMatch(/record 1 \(.*\): ok, 2 rules checked; recorded under this policy/);
  });
});
