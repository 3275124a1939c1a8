import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * `npm run demo` (scripts/demo.mjs, on the committed dist/cli.js): record, verify, log, diff and
 * export, every command printed so that it can be pasted; `--keep` keeps the repository.
 */
const run = promisify(execFile);

async function demo(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['scripts/demo.mjs', ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

describe('the demo', () => {
  it('shows record, verify, log, diff and export, and with --keep its commands paste into a shell', async () => {
    const out = await demo('--keep');
    const dir = /^kept (\S+)/m.exec(out)?.[1] as string;
    expect(dir).toBeDefined();
    try {
      const commands = out.split('\n').filter((line) => line.startsWith('$ '));
      const verbs = commands.map((line) => /dist\/cli\.js (\w+)/.exec(line)?.[1]).filter(Boolean);
      expect(verbs).toEqual(['record', 'record', 'verify', 'log', 'diff', 'export']);
      expect(existsSync(join(dir, 'evidence.zip'))).toBe(true);
      // Paste the setup and the log command, as a user would.
      const script = [commands[0], commands[1], commands.find((line) => / log$/.test(line))]
        .map((line) => (line as string).slice(2))
        .join('\n');
      const pasted = await run('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
      expect(pasted.stdout).toMatch(/^1 .* Retrain with a lower learning rate/m);
      const diff = commands.find((line) => line.includes(' diff ')) as string;
      const pastedDiff = await run('sh', ['-c', `${commands[0]?.slice(2) ?? ''}\n${diff.slice(2)}`]);
      expect(pastedDiff.stdout).toContain('## model-ledger: record 1 compared with record 0');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('removes its repository without --keep, and says how to keep it', async () => {
    const out = await demo();
    const dir = /^demo repository: (\S+)/m.exec(out)?.[1] as string;
    expect(existsSync(dir)).toBe(false);
    expect(out).toContain('run with --keep to keep it');
  }, 120_000);
});
