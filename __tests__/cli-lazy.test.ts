import { describe, expect, it, jest } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { CommandContext } from '../src/cli/output.js';
import { generateKeyPair } from '../src/sign/keys.js';
import { createTempRepo } from './support/repo.js';

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
/**
 * What only keyless signing or an online trusted root needs: Fulcio, Rekor and TUF with their HTTP
 * stack (~50-70 ms to evaluate). A key-signed record must not load them; each is replaced by a
 * stand-in that notes it was loaded.
 */
const NETWORK_SIGNING: Record<string, string> = {
  '@sigstore/tuf': '@sigstore/tuf',
  '@sigstore/sign': '@sigstore/sign',
  keyless: '../src/sign/keyless.js',
};
const loadedForSigning: string[] = [];
for (const [name, path] of Object.entries(NETWORK_SIGNING)) {
  jest.unstable_mockModule(path, () => {
    loadedForSigning.push(name);
    return {
      DEFAULT_MIRROR_URL: 'https://tuf-repo-cdn.sigstore.dev',
      getTrustedRoot: () => Promise.reject(new Error('not in this test')),
      KeylessSigner: class {},
      TSAWitness: class {},
    };
  });
}
const { main } = await import('../src/cli/main.js');
const { record } = await import('../src/run/record.js');
const { resolveSigner } = await import('../src/sign/resolve.js');

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

describe('signing code loading', () => {
  it('a key-signed record loads neither TUF nor keyless signing nor @sigstore/sign', async () => {
    const repo = await createTempRepo();
    try {
      await repo.write('model.bin', Buffer.alloc(1024, 7));
      repo.commit('a tiny model');
      const keyFile = join(repo.dir, '.home', 'ledger.key.pem');
      await writeFile(keyFile, generateKeyPair().privateKeyPem, { mode: 0o600 });
      const ledgerDir = join(repo.dir, '.model-ledger');
      const options = { cwd: repo.dir, env: repo.env, ledgerDir, keyFile, models: ['model.bin'] };
      // Record 1 verifies its key-signed head before linking to it: no trusted root is needed.
      await expect(record(options)).resolves.toMatchObject({ index: 0, signingMode: 'key' });
      await expect(record(options)).resolves.toMatchObject({ index: 1, signingMode: 'key' });
      expect(loadedForSigning).toEqual([]);
    } finally {
      await repo.cleanup();
    }
  });

  it('keyless signing loads its module when chosen', async () => {
    await resolveSigner({ signing: 'keyless' }, { SIGSTORE_ID_TOKEN: 'a.b.c' });
    expect(loadedForSigning).toEqual(['keyless']);
  });
});
