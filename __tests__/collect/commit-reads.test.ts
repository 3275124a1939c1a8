import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

import { CommitCollector } from '../../src/collect/commit.js';
import { previousWithCommit, testContext } from '../support/context.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';

const REAL_GIT = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

let repo: TempRepo;
let savedPath: string | undefined;
beforeEach(async () => {
  repo = await createTempRepo();
  savedPath = process.env.PATH;
});
afterEach(async () => {
  process.env.PATH = savedPath;
  await repo.cleanup();
});

describe('the commit collector', () => {
  it('reads the commit, its branch, the remote and the previous commit at once, not one git process after another', async () => {
    await repo.write('model.bin', 'weights');
    const first = repo.commit('a model');
    await repo.write('model.bin', 'weights, trained again');
    const sha = repo.commit('a better model');
    // git on PATH is a script that notes when each command starts and ends, and holds four of
    // them for 0.3 s: run one after another, each would end before the next starts.
    const bin = join(repo.dir, '.home', 'bin');
    const log = join(repo.dir, '.home', 'git.log');
    await mkdir(bin);
    await writeFile(
      join(bin, 'git'),
      [
        '#!/bin/sh',
        `echo "start $1 $2" >> "${log}"`,
        'case "$1" in cat-file|symbolic-ref|remote) sleep 0.3 ;; esac',
        `"${REAL_GIT}" "$@"`,
        'status=$?',
        `echo "end $1 $2" >> "${log}"`,
        'exit $status',
      ].join('\n'),
    );
    await chmod(join(bin, 'git'), 0o755);
    process.env.PATH = `${bin}${delimiter}${savedPath ?? ''}`;

    const { context } = testContext(repo.dir, repo.env, previousWithCommit(first));
    const commit = await new CommitCollector().collect(context);
    expect(commit).toMatchObject({
      sha,
      message: 'a better model\n',
      ref: 'refs/heads/main',
      repositoryUrl: '',
      comparedWith: first,
      changedFiles: [{ path: 'model.bin', status: 'modified' }],
    });
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    const at = (line: string) => lines.indexOf(line);
    const reads = ['cat-file commit', 'symbolic-ref -q', 'remote get-url', 'cat-file -e'];
    const firstEnd = Math.min(...reads.map((command) => at(`end ${command}`)));
    for (const command of reads) {
      expect(at(`start ${command}`)).toBeGreaterThanOrEqual(0);
      expect(at(`start ${command}`)).toBeLessThan(firstEnd);
    }
  });
});
