import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { readInputs } from '../../src/action/inputs.js';
import { run, summaryMarkdown } from '../../src/action/run.js';
import { MemoryLogger } from '../../src/log.js';
import { commentMarker } from '../../src/report/pr-comment.js';
import { serveIssueComments, type FakeComments } from '../support/fake-comments.js';
import { FakeGitHub, type RecordedRequest } from '../support/fake-github.js';
import { checkAgainst, findOperation, responseSchema } from '../support/openapi.js';
import { keyedRepo, ledgerFiles, recordVersion, writeVersion } from '../support/report-ledger.js';
import type { TempRepo } from '../support/repo.js';

const TOKEN = 'ghs_fakeTokenForTheLoopbackServer0123456789';

let repo: TempRepo;
let fake: FakeGitHub;
let comments: FakeComments;
let base: string;

beforeEach(async () => {
  repo = await keyedRepo();
  fake = await FakeGitHub.start();
  fake.token = TOKEN;
  comments = serveIssueComments(fake);
  // The base branch's ledger: record 0.
  await recordVersion(repo, 0);
  base = repo.git('rev-parse', 'HEAD');
}, 60_000);
afterEach(async () => {
  await fake.close();
  await repo.cleanup();
});

interface PullRequestBuild {
  summaries: string[];
  log: MemoryLogger;
  outputs: Record<string, string>;
}

/** The pull request's branch at version `v`, built by the Action on a pull_request event. */
async function buildPullRequest(
  v: number,
  options: { fork?: boolean; inputs?: Record<string, string> } = {},
): Promise<PullRequestBuild> {
  await writeVersion(repo, v);
  const head = repo.commit(`version ${v} on the pull request`);
  fake.addCommit('acme/model', { sha: head, parents: [base] });
  fake.addPull('acme/model', {
    number: 7,
    title: 'Retrain with more data',
    body: 'Adds part 2 of the training data.',
    user: 'grace',
    base: { ref: 'main', sha: base },
    head: { ref: 'retrain', sha: head },
    reviews: [{ user: 'alice', state: 'APPROVED', commitId: head, submittedAt: '2026-11-19T10:00:00Z' }],
  });
  const headRepo = options.fork ? 'grace/model' : 'acme/model';
  const event = join(repo.dir, '.home', 'event.json');
  await writeFile(
    event,
    JSON.stringify({
      number: 7,
      pull_request: {
        number: 7,
        head: { ref: 'retrain', sha: head, repo: { full_name: headRepo, fork: options.fork === true } },
        base: { ref: 'main', sha: base, repo: { full_name: 'acme/model', fork: false } },
      },
    }),
  );
  const summaries: string[] = [];
  const outputs: Record<string, string> = {};
  const log = new MemoryLogger();
  const values: Record<string, string> = {
    models: 'model/model.safetensors',
    datasets: 'data/train\ndata/eval',
    training: 'training.yaml',
    'signing-key': await readFile(join(repo.dir, 'team.key.pem'), 'utf8'),
    'github-token': TOKEN,
    // The ledger is a local directory here: the comparison is with its head, record 0.
    store: 'local',
    ...options.inputs,
  };
  await run(
    readInputs((name) => values[name] ?? ''),
    {
      cwd: repo.dir,
      env: {
        ...repo.env,
        ...fake.env(),
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_SHA: head,
        GITHUB_REF: 'refs/pull/7/merge',
        GITHUB_RUN_ID: '42',
        GITHUB_ACTOR: 'grace',
      },
      log,
      setOutput: (name, value) => {
        outputs[name] = value;
      },
      summary: (markdown) => {
        summaries.push(markdown);
        return Promise.resolve();
      },
    },
  );
  return { summaries, log, outputs };
}

/** A fresh checkout of the base branch's ledger for the next build: the pull request's record is not kept. */
async function dropPullRequestRecord(): Promise<void> {
  const files = await ledgerFiles(repo);
  const last = files.at(-1) as string;
  await rm(last);
  const index = /(\d{6})-[0-9a-f]{12}\.sigstore\.json$/.exec(last)?.[1] ?? '';
  await rm(join(dirname(last), 'checkpoints', `model-ledger-${index}.checkpoint`), { force: true });
}

/** Answers of the comment routes, checked against GitHub's OpenAPI description. */
function checkCommentAnswers(requests: RecordedRequest[]): void {
  const problems: string[] = [];
  for (const request of requests) {
    if (!request.route || request.status === undefined || request.fault) continue;
    const operation = findOperation(request.method, request.route);
    expect(operation?.operationId).toBe(request.operationId);
    const schema = operation ? responseSchema(operation, request.status) : undefined;
    expect(schema).toBeDefined();
    if (schema)
      for (const problem of checkAgainst(schema, request.responseBody))
        problems.push(`${request.method} ${request.path}: ${problem}`);
  }
  expect(problems).toEqual([]);
  expect(fake.invalidRequests).toEqual([]);
}

function commentRequests(): RecordedRequest[] {
  return fake.requests.filter((request) => request.operationId?.includes('comment'));
}

describe('the pull request comment', () => {
  it('is created on the first build and updated in place on the next: one sticky comment', async () => {
    const first = await buildPullRequest(2);
    expect(first.outputs['chain-index']).toBe('1');
    expect(comments.comments).toHaveLength(1);
    const comment = comments.comments[0];
    expect(comment?.user).toBe('github-actions[bot]');
    expect(comment?.issueNumber).toBe(7);
    const body = comment?.body ?? '';
    expect(body.startsWith(commentMarker('local:' + repo.dir.split('/').at(-1) + '#main'))).toBe(true);
    expect(body).toContain('## model-ledger: what this pull request changes (record 1 vs. base record 0)');
    expect(body).toContain(
      '<summary><code>train</code>: 1 added, 0 removed, 0 changed, 1 unchanged files</summary>',
    );
    expect(body).toContain('upgraded <code>numpy</code> 1.20.0 → 1.22.0');
    expect(body).toMatch(
      /\| <code>auc<\/code> \| <code>0.8<\/code> \| <code>0.81<\/code> \| \+0.01 \(\+1.3%\) \|/,
    );
    expect(body).toContain('Compared with the head of the base branch');
    expect(commentRequests().map((request) => `${request.operationId} ${request.status}`)).toEqual([
      'issues/list-comments 200',
      'issues/create-comment 201',
    ]);
    expect(first.log.messages('warn')).toEqual([]);
    expect(first.summaries.join('\n')).not.toContain('could not be posted');

    await dropPullRequestRecord();
    const second = await buildPullRequest(4);
    expect(second.outputs['chain-index']).toBe('1');
    expect(comments.comments).toHaveLength(1);
    expect(comments.comments[0]?.id).toBe(comment?.id);
    expect(comments.comments[0]?.body).toContain('upgraded <code>numpy</code> 1.20.0 → 1.24.0');
    expect(comments.comments[0]?.body).toContain('<code>train</code>: 2 added');
    expect(commentRequests().map((request) => `${request.operationId} ${request.status}`)).toEqual([
      'issues/list-comments 200',
      'issues/create-comment 201',
      'issues/list-comments 200',
      'issues/update-comment 200',
    ]);
    checkCommentAnswers(commentRequests());
    expect(JSON.parse(commentRequests().at(-1)?.body ?? '{}')).toEqual({ body: comments.comments[0]?.body });
  });

  it("leaves someone else's comment with the marker alone and makes its own", async () => {
    const marker = commentMarker(`local:${repo.dir.split('/').at(-1)}#main`);
    comments.seed('acme/model', 7, `${marker}\nI copied the marker`, 'mallory');
    await buildPullRequest(1);
    expect(comments.comments.map((comment) => comment.user)).toEqual(['mallory', 'github-actions[bot]']);
    expect(comments.comments[0]?.body).toBe(`${marker}\nI copied the marker`);
  });

  it('goes to the job summary on a fork pull request, whose token is read-only', async () => {
    const build = await buildPullRequest(1, { fork: true });
    expect(commentRequests()).toEqual([]);
    const summary = build.summaries.join('\n');
    expect(summary).toContain('## model-ledger record');
    expect(summary).toContain(
      'This comparison could not be posted on the pull request: the pull request comes from a fork',
    );
    expect(summary).toContain('## model-ledger: what this pull request changes (record 1 vs. base record 0)');
    expect(build.log.messages('warn')).toEqual([
      expect.stringMatching(
        /^pull request comment: the pull request comes from a fork.*; the comparison is in the job summary instead$/,
      ),
    ]);
  });

  it('goes to the job summary when GitHub refuses the comment (403)', async () => {
    fake.fail(
      { kind: 'status', status: 403, message: 'Resource not accessible by integration' },
      { match: (request) => request.method === 'POST' && request.path.endsWith('/comments') },
    );
    const build = await buildPullRequest(1);
    expect(comments.comments).toEqual([]);
    const summary = build.summaries.join('\n');
    expect(summary).toContain(
      'could not be posted on the pull request: GitHub answered 403 to the comment (Resource not accessible by integration',
    );
    expect(summary).toContain('the token needs pull-requests: write');
    expect(summary).toContain('### Models');
  });

  it('is not posted with comment-on-pr: false', async () => {
    const build = await buildPullRequest(1, { inputs: { 'comment-on-pr': 'false' } });
    expect(commentRequests()).toEqual([]);
    expect(build.summaries.join('\n')).not.toContain('what this pull request changes');
  });

  it('refuses a comment-on-pr that is not true or false', () => {
    expect(() => readInputs((name) => (name === 'comment-on-pr' ? 'yes' : ''))).toThrow(
      /comment-on-pr: "yes" is not one of true, false/,
    );
  });
});

describe('the job summary', () => {
  it('has the key facts, the chain position, the signer and links', async () => {
    const build = await buildPullRequest(1, { inputs: { 'comment-on-pr': 'false' } });
    const summary = build.summaries[0] ?? '';
    expect(summary).toContain('| Chain position | record 1 of local:');
    expect(summary).toMatch(/\| Previous \| <code>[0-9a-f]{64}<\/code> \|/);
    expect(summary).toMatch(/\| Signer \| <code>key [0-9a-f]{16}…<\/code> \|/);
    expect(summary).toContain('| Pull request | [#7 Retrain with more data](');
    expect(summary).toContain('| Approved by | alice |');
    expect(summary).toContain('| Policy | no policy file |');
    expect(summary).toMatch(
      /\| Run \| \[workflow run\]\(http:\/\/127\.0\.0\.1:\d+\/acme\/model\/actions\/runs\/42\) \|/,
    );
    expect(summary).toContain('| <code>model/model.safetensors</code> |');
    expect(summaryMarkdown).toBeInstanceOf(Function);
  });
});
