import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  ChangeCollector,
  changeFromCommit,
  MAX_REASON_CHARS,
  reasonFromPullRequest,
  trimReason,
} from '../../src/collect/change.js';
import { CommitCollector, parseNameStatus } from '../../src/collect/commit.js';
import { approversOf } from '../../src/collect/pull-request.js';
import { githubAvailability, type GitHubAvailability } from '../../src/github/context.js';
import { type JsonSchema, SchemaValidator } from '../../src/record/json-schema.js';
import { recordSchema } from '../../src/record/schema.js';
import { previousWithCommit, testContext } from '../support/context.js';
import { FakeGitHub } from '../support/fake-github.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';

const TOKEN = 'ghs_changeTestToken0123456789abcdefghijkl';
const GRACE = 'Grace Hopper <grace@example.org>';
const LINUS = 'Linus Torvalds <linus@example.org>';

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

/** Commits what is staged with another author (the committer stays Ada). */
function commitAs(author: string, message: string): string {
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', message, '--author', author);
  return repo.git('rev-parse', 'HEAD');
}

function sectionValidator(def: string): SchemaValidator {
  return new SchemaValidator({
    $defs: (recordSchema as JsonSchema).$defs,
    $ref: `#/$defs/${def}`,
  });
}

async function collectCommit(
  env: Record<string, string>,
  options: { github?: GitHubAvailability; previous?: string } = {},
) {
  const test = testContext(repo.dir, env, options.previous ? previousWithCommit(options.previous) : null);
  const commit = await new CommitCollector(options.github ? { github: options.github } : {}).collect(
    test.context,
  );
  return { ...test, commit };
}

const RENAMED_CONTENT = 'the same content, long enough for git to see a rename\n'.repeat(20);

describe('changed files', () => {
  it('lists added, modified, deleted and renamed files against the parent', async () => {
    await repo.write('a.txt', 'one\n');
    await repo.write('b.txt', 'two\n');
    await repo.write('c.txt', RENAMED_CONTENT);
    const first = repo.commit('first');
    await repo.write('a.txt', 'one, changed\n');
    repo.git('rm', '-q', 'b.txt');
    await mkdir(join(repo.dir, 'models'));
    repo.git('mv', 'c.txt', 'models/d.txt');
    await repo.write('data/ünï côde.csv', 'x\n');
    repo.commit('second');

    const { commit, notes } = await collectCommit(repo.env);
    expect(commit?.comparedWith).toBe(first);
    expect(commit?.changedFiles).toEqual([
      { path: 'a.txt', status: 'modified' },
      { path: 'b.txt', status: 'deleted' },
      { path: 'data/ünï côde.csv', status: 'added' },
      { path: 'models/d.txt', status: 'renamed', previousPath: 'c.txt' },
    ]);
    expect(notes).toEqual([]);
    expect(sectionValidator('commit').validate(commit)).toEqual([]);
  });

  it("compares with the previous record's commit when the clone has it", async () => {
    await repo.write('a.txt', '1\n');
    const first = repo.commit('first');
    await repo.write('b.txt', '2\n');
    repo.commit('second');
    await repo.write('c.txt', '3\n');
    repo.commit('third');

    const { commit, notes } = await collectCommit(repo.env, { previous: first });
    expect(commit?.comparedWith).toBe(first);
    expect(commit?.changedFiles?.map((file) => file.path)).toEqual(['b.txt', 'c.txt']);
    expect(notes).toEqual([]);
  });

  it("falls back to the parent, with a note, when the previous record's commit is not in the clone", async () => {
    await repo.write('a.txt', '1\n');
    const first = repo.commit('first');
    await repo.write('b.txt', '2\n');
    repo.commit('second');

    const missing = '9'.repeat(40);
    const { commit, notes } = await collectCommit(repo.env, { previous: missing });
    expect(commit?.comparedWith).toBe(first);
    expect(commit?.changedFiles).toEqual([{ path: 'b.txt', status: 'added' }]);
    expect(notes).toEqual([
      expect.stringContaining(`the previous record's commit ${missing} is not in this clone`),
    ]);
  });

  it('lists every file of a root commit as added, compared with nothing', async () => {
    await repo.write('model.onnx', 'bytes');
    repo.commit('first');
    const { commit } = await collectCommit(repo.env);
    expect(commit?.changedFiles).toEqual([
      { path: '.gitignore', status: 'added' },
      { path: 'model.onnx', status: 'added' },
    ]);
    expect(commit?.comparedWith).toBeUndefined();
  });

  it('compares a merge commit with its first parent: what the merged branch brought', async () => {
    await repo.write('base.txt', 'base\n');
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    await repo.write('feature.txt', 'feature\n');
    commitAs(GRACE, 'add the feature');
    repo.git('checkout', '-q', 'main');
    await repo.write('main.txt', 'main\n');
    const mainTip = repo.commit('work on main');
    repo.git('merge', '-q', '--no-ff', '-m', 'Merge branch feature', 'feature');

    const { commit } = await collectCommit(repo.env);
    expect(commit?.parents).toHaveLength(2);
    expect(commit?.comparedWith).toBe(mainTip);
    expect(commit?.changedFiles).toEqual([{ path: 'feature.txt', status: 'added' }]);
  });

  it('says so, and lists nothing, when the parent is not in a shallow clone', async () => {
    await repo.write('a.txt', '1\n');
    repo.commit('first');
    await repo.write('b.txt', '2\n');
    repo.commit('second');
    const clone = await mkdtemp(join(tmpdir(), 'model-ledger-shallow-'));
    try {
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, clone], { env: repo.env });
      const test = testContext(clone, repo.env);
      const commit = await new CommitCollector().collect(test.context);
      expect(commit?.changedFiles).toBeUndefined();
      expect(test.notes).toEqual([
        expect.stringMatching(/parent commit [0-9a-f]{40} is not in this clone.*fetch-depth: 2/),
      ]);
    } finally {
      await rm(clone, { recursive: true, force: true });
    }
  });

  it('reads git name-status output, renames and copies included', () => {
    expect(parseNameStatus('M\0a\0R087\0old name\0new name\0C100\0x\0y\0T\0link\0A\0new\0')).toEqual([
      { path: 'a', status: 'modified' },
      { path: 'new name', status: 'renamed', previousPath: 'old name' },
      { path: 'y', status: 'copied', previousPath: 'x' },
      { path: 'link', status: 'type-changed' },
      { path: 'new', status: 'added' },
    ]);
  });
});

describe('the change without GitHub', () => {
  it('names the authors and committers of the merged commits, and who triggered the run', async () => {
    await repo.write('base.txt', 'base\n');
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    await repo.write('one.txt', '1\n');
    commitAs(GRACE, 'one');
    await repo.write('two.txt', '2\n');
    commitAs(LINUS, 'two');
    repo.git('checkout', '-q', 'main');
    repo.git(
      'merge',
      '-q',
      '--no-ff',
      '-m',
      'Merge branch feature\n\nRetrain with the new tokenizer.',
      'feature',
    );

    const env = {
      ...repo.env,
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTOR: 'octocat',
      GITHUB_TRIGGERING_ACTOR: 'hubot',
    };
    const { commit, context, notes } = await collectCommit(env);
    const change = await new ChangeCollector({}, commit).collect(context);
    expect(change.implementedBy).toEqual([
      { name: 'Linus Torvalds', email: 'linus@example.org' },
      { name: 'Ada Lovelace', email: 'ada@example.org' },
      { name: 'Grace Hopper', email: 'grace@example.org' },
    ]);
    expect(change.approvedBy).toEqual([]);
    expect(change.triggeredBy).toEqual({ login: 'hubot' });
    expect(change).toMatchObject({
      reasonSource: 'commit-message',
      reason: 'Merge branch feature\n\nRetrain with the new tokenizer.',
    });
    expect(notes).toEqual([expect.stringContaining('not recorded: GitHub was not consulted')]);
    expect(sectionValidator('change').validate(change)).toEqual([]);
  });

  it('prefers the given reason, and cuts a long one at the documented size', async () => {
    await repo.write('a.txt', '1\n');
    repo.commit('the commit message');
    const { commit, context } = await collectCommit(repo.env);
    const given = await new ChangeCollector({ reason: '  retrain on Q3 data  ' }, commit).collect(context);
    expect(given).toMatchObject({ reason: 'retrain on Q3 data', reasonSource: 'input' });

    const long = await new ChangeCollector({ reason: 'x'.repeat(MAX_REASON_CHARS + 10) }, commit).collect(
      context,
    );
    expect(long.reason).toBe(`${'x'.repeat(MAX_REASON_CHARS)}… [cut at ${MAX_REASON_CHARS} characters]`);
    expect(trimReason('short')).toBe('short');
  });

  it('says so when there is no reason at all', async () => {
    await repo.write('a.txt', '1\n');
    repo.git('add', '-A');
    repo.git('commit', '-q', '--allow-empty-message', '-m', '');
    const { commit, context, notes } = await collectCommit(repo.env);
    const change = await new ChangeCollector({}, commit).collect(context);
    expect(change).toMatchObject({ reason: '', reasonSource: 'none' });
    expect(notes).toContainEqual(expect.stringMatching(/no reason was given/));
  });

  it('says why GitHub was not asked: outside GitHub, or without a token', async () => {
    await repo.write('a.txt', '1\n');
    repo.commit('first');
    for (const [env, reason] of [
      [repo.env, /GITHUB_REPOSITORY is not set/],
      [{ ...repo.env, GITHUB_REPOSITORY: 'acme/model' }, /no GitHub token was given/],
    ] as const) {
      const github = githubAvailability(env, {}, testContext(repo.dir, env).log);
      const { commit, context, notes } = await collectCommit(env, { github });
      await new ChangeCollector({ github }, commit).collect(context);
      expect(notes).toEqual([
        expect.stringMatching(
          new RegExp(`^commit: GitHub's signature verification verdict is not recorded: .*${reason.source}`),
        ),
        expect.stringMatching(
          new RegExp(
            `^change: the pull request, its reviews and approvals are not recorded: .*${reason.source}`,
          ),
        ),
      ]);
    }
  });

  it('keeps changeFromCommit for callers without GitHub', async () => {
    await repo.write('a.txt', '1\n');
    repo.commit('why');
    const { commit } = await collectCommit(repo.env);
    expect(changeFromCommit({}, commit, 'octocat')).toEqual({
      reason: 'why',
      reasonSource: 'commit-message',
      implementedBy: [{ name: 'Ada Lovelace', email: 'ada@example.org' }],
      approvedBy: [],
      triggeredBy: { login: 'octocat' },
    });
  });
});

describe('the change from GitHub', () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await FakeGitHub.start();
    fake.token = TOKEN;
  });
  afterEach(async () => {
    await fake.close();
  });

  function connect(env: Record<string, string>, fast = false): GitHubAvailability {
    return githubAvailability(
      env,
      {
        token: TOKEN,
        ...(fast ? { retry: { maxAttempts: 2, baseDelayMs: 1 }, requestTimeoutMs: 1_000 } : {}),
      },
      testContext(repo.dir, env).log,
    );
  }

  /** main ← feature (two commits by Grace), merged with --no-ff: returns the shas. */
  async function mergedFeature() {
    await repo.write('base.txt', 'base\n');
    const base = repo.commit('base');
    repo.git('checkout', '-q', '-b', 'retrain');
    await repo.write('train.py', 'v1\n');
    const oldHead = commitAs(GRACE, 'first try');
    await repo.write('train.py', 'v2\n');
    const head = commitAs(GRACE, 'second try');
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--no-ff', '-m', 'Merge pull request #12 from acme/retrain', 'retrain');
    return { base, oldHead, head, merge: repo.git('rev-parse', 'HEAD') };
  }

  it('records a merged pull request: author, labels, reviews, approvers on the last head, reason and verdict', async () => {
    const { base, oldHead, head, merge } = await mergedFeature();
    fake.addCommit('acme/model', { sha: merge, verification: { verified: true, reason: 'valid' } });
    const pull = fake.addPull('acme/model', {
      number: 12,
      title: 'Retrain on Q3 data',
      body: '<!-- Describe your change. -->\r\nThe Q3 export adds 40k rows.\r\n\r\n\r\n\r\nFixes #3.',
      user: 'grace',
      labels: ['model', 'retrain'],
      state: 'closed',
      base: { ref: 'main', sha: base },
      head: { ref: 'retrain', sha: head },
      mergedBy: 'hubot',
      mergedAt: '2024-05-02T09:00:00Z',
      mergeCommitSha: merge,
      commits: [oldHead],
      reviews: [
        { user: 'alice', state: 'APPROVED', commitId: oldHead, submittedAt: '2024-05-01T10:00:00Z' }, // stale head
        { user: 'carol', state: 'CHANGES_REQUESTED', commitId: oldHead, submittedAt: '2024-05-01T10:05:00Z' },
        { user: 'carol', state: 'APPROVED', commitId: head, submittedAt: '2024-05-01T11:00:00Z' },
        { user: 'dave', state: 'APPROVED', commitId: head, submittedAt: '2024-05-01T11:01:00Z' },
        { user: 'dave', state: 'COMMENTED', commitId: head, submittedAt: '2024-05-01T11:02:00Z' }, // keeps the approval
        { user: 'grace', state: 'APPROVED', commitId: head, submittedAt: '2024-05-01T11:03:00Z' }, // the author
        { user: 'erin', state: 'APPROVED', commitId: head, submittedAt: '2024-05-01T11:04:00Z' },
        { user: 'erin', state: 'DISMISSED', commitId: head, submittedAt: '2024-05-01T11:05:00Z' },
        { user: null, state: 'APPROVED', commitId: head, submittedAt: '2024-05-01T11:06:00Z' }, // deleted account
        { user: 'frank', state: 'PENDING', commitId: head },
      ],
    });
    // Enough comments to need a second page of reviews.
    for (let i = 0; i < 110; i += 1) {
      pull.reviews.push({
        user: 'bot',
        state: 'COMMENTED',
        commitId: head,
        submittedAt: '2024-05-01T11:30:00Z',
      });
    }
    const env = {
      ...repo.env,
      ...fake.env(),
      GITHUB_EVENT_NAME: 'push',
      GITHUB_SHA: merge,
      GITHUB_ACTOR: 'hubot',
    };
    const github = connect(env);
    const { commit, context, notes } = await collectCommit(env, { github });
    const change = await new ChangeCollector({ github }, commit).collect(context);

    expect(commit?.githubVerification).toEqual({ verified: true, reason: 'valid' });
    expect(change.pullRequest).toMatchObject({
      number: 12,
      title: 'Retrain on Q3 data',
      url: `${fake.serverUrl}/acme/model/pull/12`,
      author: 'grace',
      labels: ['model', 'retrain'],
      base: { ref: 'main', sha: base },
      head: { ref: 'retrain', sha: head },
      mergedBy: 'hubot',
      mergedAt: '2024-05-02T09:00:00Z',
    });
    expect(change.pullRequest?.reviews).toHaveLength(119); // PENDING left out
    expect(change.pullRequest?.reviews).toContainEqual({
      reviewer: 'ghost',
      state: 'APPROVED',
      submittedAt: '2024-05-01T11:06:00Z',
      commitId: head,
    });
    expect(change.approvedBy).toEqual([{ login: 'carol' }, { login: 'dave' }]);
    expect(change.implementedBy).toEqual([
      { login: 'grace' },
      { name: 'Grace Hopper', email: 'grace@example.org' },
      { name: 'Ada Lovelace', email: 'ada@example.org' },
    ]);
    expect(change.triggeredBy).toEqual({ login: 'hubot' });
    expect(change).toMatchObject({
      reasonSource: 'pull-request',
      reason: 'Retrain on Q3 data\n\nThe Q3 export adds 40k rows.\n\nFixes #3.',
    });
    expect(notes).toEqual([]);
    expect(fake.requestsFor('pulls/list-reviews').map((r) => r.query.get('page'))).toEqual([null, '2']);
    expect(fake.requestsFor('repos/list-pull-requests-associated-with-commit')).toHaveLength(1);
    expect(sectionValidator('change').validate(change)).toEqual([]);
    expect(sectionValidator('commit').validate(commit)).toEqual([]);
  });

  it('takes the pull request of a pull_request event from its payload, counting approvals on the head built', async () => {
    const { base, head } = await mergedFeature();
    const newer = '7'.repeat(40);
    fake.addPull('acme/model', {
      number: 13,
      title: 'Tune the learning rate',
      body: 'Lower it.',
      user: 'grace',
      base: { ref: 'main', sha: base },
      head: { ref: 'retrain', sha: newer }, // pushed again after this build started
      reviews: [
        { user: 'alice', state: 'APPROVED', commitId: head },
        { user: 'bob', state: 'APPROVED', commitId: newer },
      ],
    });
    const eventPath = join(repo.dir, '.home', 'event.json');
    await writeFile(
      eventPath,
      JSON.stringify({ number: 13, pull_request: { number: 13, head: { sha: head } } }),
    );
    const env = {
      ...repo.env,
      ...fake.env(),
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
    };
    const github = connect(env);
    const { commit, context, notes } = await collectCommit(env);
    const change = await new ChangeCollector({ github }, commit).collect(context);

    expect(change.pullRequest?.number).toBe(13);
    expect(change.approvedBy).toEqual([{ login: 'alice' }]);
    expect(change).toMatchObject({
      reasonSource: 'pull-request',
      reason: 'Tune the learning rate\n\nLower it.',
    });
    expect(notes).toEqual([
      expect.stringContaining(`has moved on to ${newer} since this build's head ${head}`),
    ]);
    expect(fake.requestsFor('repos/list-pull-requests-associated-with-commit')).toHaveLength(0);
  });

  it('records no pull request for a direct push, and says so', async () => {
    await repo.write('a.txt', '1\n');
    const sha = repo.commit('hotfix straight to main');
    fake.addCommit('acme/model', { sha });
    const env = { ...repo.env, ...fake.env(), GITHUB_EVENT_NAME: 'push' };
    const github = connect(env);
    const { commit, context, notes } = await collectCommit(env, { github });
    const change = await new ChangeCollector({ github }, commit).collect(context);
    expect(change.pullRequest).toBeUndefined();
    expect(change).toMatchObject({ reasonSource: 'commit-message', reason: 'hotfix straight to main' });
    expect(commit?.githubVerification).toEqual({ verified: false, reason: 'unsigned' });
    expect(notes).toEqual([
      expect.stringContaining(`no pull request on GitHub has ${sha} as its merge commit or head`),
    ]);
  });

  it('notes and warns, without failing, when GitHub keeps failing', async () => {
    await repo.write('a.txt', '1\n');
    repo.commit('the reason');
    fake.fail({ kind: 'status', status: 503 }, { times: 100 });
    const env = { ...repo.env, ...fake.env(), GITHUB_EVENT_NAME: 'push' };
    const github = connect(env, true);
    const { commit, context, notes, log } = await collectCommit(env, { github });
    const change = await new ChangeCollector({ github }, commit).collect(context);
    expect(commit?.githubVerification).toBeUndefined();
    expect(change).toMatchObject({ reasonSource: 'commit-message', reason: 'the reason' });
    expect(notes).toEqual([
      expect.stringMatching(
        /^commit: GitHub's signature verification verdict is not recorded: GitHub API GET \/repos\/acme\/model\/commits\/[0-9a-f]{40} gave up after 2 attempt/,
      ),
      expect.stringMatching(
        /^change: the pull request, its reviews and approvals are not recorded: GitHub API GET \/repos\/acme\/model\/commits\/[0-9a-f]{40}\/pulls\?per_page=100 gave up/,
      ),
    ]);
    expect(log.messages('warn')).toHaveLength(2);
  });

  it('says what permission is missing when GitHub refuses', async () => {
    await repo.write('a.txt', '1\n');
    repo.commit('first');
    fake.fail(
      { kind: 'status', status: 403, message: 'Resource not accessible by integration' },
      { times: 2 },
    );
    const env = { ...repo.env, ...fake.env(), GITHUB_EVENT_NAME: 'push' };
    const github = connect(env);
    const { commit, context, notes } = await collectCommit(env, { github });
    await new ChangeCollector({ github }, commit).collect(context);
    expect(notes).toHaveLength(2);
    for (const note of notes)
      expect(note).toMatch(/403 Resource not accessible by integration.*pull-requests: read/);
    expect(fake.requests).toHaveLength(2); // a refusal is not retried
  });

  it('notes a commit GitHub does not know (not pushed)', async () => {
    await repo.write('a.txt', '1\n');
    repo.commit('local only');
    const env = { ...repo.env, ...fake.env() };
    fake.repo('acme', 'model');
    const { commit, notes } = await collectCommit(env, { github: connect(env) });
    expect(commit?.githubVerification).toBeUndefined();
    expect(notes).toEqual([
      expect.stringMatching(/verdict is not recorded: GitHub answered 422 No commit found for SHA/),
    ]);
  });
});

describe('approvals and reasons', () => {
  const head = 'a'.repeat(40);
  const review = (reviewer: string, state: string, submittedAt: string, commitId = head) => ({
    reviewer,
    state,
    submittedAt,
    commitId,
  });

  it('takes the latest verdict of each reviewer, whatever order the list comes in', () => {
    expect(
      approversOf({
        author: 'grace',
        head: { ref: 'x', sha: head },
        reviews: [
          review('carol', 'APPROVED', '2024-05-01T12:00:00Z'),
          review('carol', 'CHANGES_REQUESTED', '2024-05-01T11:00:00Z'),
          review('bob', 'APPROVED', '2024-05-01T11:00:00Z'),
          review('bob', 'CHANGES_REQUESTED', '2024-05-01T12:00:00Z'),
        ],
      }),
    ).toEqual(['carol']);
  });

  it('joins a pull request title and body, without template comments', () => {
    expect(reasonFromPullRequest(' Title ', '<!-- template\nlines -->\n\nBody')).toBe('Title\n\nBody');
    expect(reasonFromPullRequest('Title', '<!-- only a template -->')).toBe('Title');
    expect(reasonFromPullRequest('Title', '')).toBe('Title');
  });
});
