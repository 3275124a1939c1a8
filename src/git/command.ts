import { execFile } from 'node:child_process';

import { LedgerError } from '../errors.js';

export interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs git with arguments (never a shell); `ok` is false on a non-zero exit, which callers decide about. */
export function runGit(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(
            new LedgerError('GIT', `cannot run git (${error.message})`, {
              cause: error,
              fix: 'install git and make sure it is on PATH',
            }),
          );
          return;
        }
        resolve({ ok: !error, stdout, stderr });
      },
    );
  });
}

/** Like runGit, but a failure is an error naming the command. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const result = await runGit(cwd, args);
  if (!result.ok) {
    throw new LedgerError('GIT', `\`git ${args.join(' ')}\` failed: ${result.stderr.trim() || 'no output'}`, {
      file: cwd,
    });
  }
  return result.stdout;
}
