import { describe, expect, it, jest } from '@jest/globals';

import type { CommandContext } from '../src/cli/output.js';

/**
 * The CLI loads a command's module only when that command runs: `--version` loads none, and
 * `keygen` or `record` load only their own (so `record --key` does not evaluate what `export`,
 * `audit` or `verify-model` need). Each command module is replaced by one that notes it was
 * loaded; nothing else is mocked.
 */
const MODULES: Record<string, [file: string, exported: string]> = {
  record: ['record', 'recordCommand'],
  verify: ['verify', 'verifyCommand'],
  'verify-bundle': ['verify-bundle', 'verifyBundleCommand'],
  keygen: ['keygen', 'keygenCommand'],
  log: ['log', 'logCommand'],
  diff: ['diff', 'diffCommand'],
  export: ['export', 'exportCommand'],
  checkpoint: ['checkpoint', 'checkpointCommand'],
  witness: ['witness', 'witnessCommand'],
  'sign-model': ['sign-model', 'signModelCommand'],
  'verify-model': ['verify-model', 'verifyModelCommand'],
  audit: ['audit', 'auditCommand'],
};

const loaded: string[] = [];
const ran: { file: string; argv: string[] }[] = [];
for (const [file, exported] of Object.values(MODULES)) {
  jest.unstable_mockModule(`../src/cli/${file}.js`, () => {
    loaded.push(file);
    return { [exported]: async (argv: string[]) => (ran.push({ file, argv }), 0) };
  });
}
const { main } = await import('../src/cli/main.js');

function context(): { context: CommandContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    context: { cwd: '/', env: {}, output: { out: (t) => out.push(t), err: (t) => err.push(t) } },
    out,
    err,
  };
}

describe('command loading', () => {
  it('loads no command for --version, --help or an unknown command', async () => {
    const version = context();
    await expect(main(['--version'], version.context)).resolves.toBe(0);
    expect(version.out).toHaveLength(1);
    await expect(main(['--help'], context().context)).resolves.toBe(0);
    await expect(main(['no-such-command'], context().context)).resolves.toBe(2);
    expect(loaded).toEqual([]);
  });

  it('loads only the module of the command that runs, and runs it with the rest of the line', async () => {
    await expect(main(['keygen', '--out', 'k'], context().context)).resolves.toBe(0);
    expect(loaded).toEqual(['keygen']);
    await expect(main(['record', '--key', 'k.key.pem'], context().context)).resolves.toBe(0);
    expect(loaded).toEqual(['keygen', 'record']);
    expect(ran).toEqual([
      { file: 'keygen', argv: ['--out', 'k'] },
      { file: 'record', argv: ['--key', 'k.key.pem'] },
    ]);
  });

  it('finds every command under its name', async () => {
    for (const name of Object.keys(MODULES)) {
      await expect(main([name], context().context)).resolves.toBe(0);
    }
    expect(ran.slice(-Object.keys(MODULES).length).map((run) => run.file)).toEqual(
      Object.values(MODULES).map(([file]) => file),
    );
  });
});
