#!/usr/bin/env node
// Runs model-ledger's main job on the embedded default, end to end, in a throw-away git
// repository: record two changes of a small sample model, verify the ledger, list it, show what
// changed, and export an evidence pack. Uses the committed bundle dist/cli.js, exactly what users
// run. Every command is printed so that it can be pasted into a shell; `--keep` keeps the demo
// repository (and says where) to go on from there.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'model-ledger-demo-'));
const keep = process.argv.includes('--keep');
// A laptop's environment, even when this runs in CI: no CI markers, OIDC tokens or GitHub context
// (which would select keyless signing or the GitHub API). The development key goes to a config
// dir inside the demo, not the user's.
const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? dir,
  ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
  XDG_CONFIG_HOME: join(dir, '.config'),
  XDG_CACHE_HOME: join(dir, '.cache'),
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(...args) {
  execFileSync(
    'git',
    [
      '-c',
      'user.name=Demo Trainer',
      '-c',
      'user.email=trainer@example.org',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    {
      cwd: dir,
      env,
      stdio: 'pipe',
    },
  );
}

/** A word as the shell reads it back: quoted when it holds anything but safe characters. */
function shellWord(word) {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function ledger(...args) {
  console.log(`\n$ ${[process.execPath, cli, ...args].map(shellWord).join(' ')}`);
  execFileSync(process.execPath, [cli, ...args], { cwd: dir, env, stdio: 'inherit' });
}

/** A tiny but well-formed safetensors file: 8-byte header length, JSON header, tensor bytes. */
function sampleModel(values) {
  const data = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => data.writeFloatLE(value, index * 4));
  const header = Buffer.from(
    JSON.stringify({ weight: { dtype: 'F32', shape: [values.length], data_offsets: [0, data.length] } }),
  );
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([length, header, data]);
}

try {
  console.log(`demo repository: ${dir}`);
  console.log(`\n$ cd ${shellWord(dir)}`);
  // The demo's development key lives in the demo: paste this too, or records are signed with yours.
  console.log(`$ export XDG_CONFIG_HOME=${shellWord(env.XDG_CONFIG_HOME)}`);
  git('init', '-q', '-b', 'main');
  mkdirSync(join(dir, 'models'));
  writeFileSync(join(dir, '.gitignore'), '.config/\n.cache/\n.model-ledger/\n');
  writeFileSync(join(dir, 'models', 'classifier.safetensors'), sampleModel([0.1, 0.2, 0.3, 0.4]));
  git('add', '-A');
  git('commit', '-q', '-m', 'Train the first classifier');
  ledger('record', '--models', 'models/*.safetensors');

  writeFileSync(join(dir, 'models', 'classifier.safetensors'), sampleModel([0.15, 0.25, 0.35, 0.45]));
  git('add', '-A');
  git('commit', '-q', '-m', 'Retrain with a lower learning rate');
  ledger(
    'record',
    '--models',
    'models/*.safetensors',
    '--reason',
    'Retrain with a lower learning rate after drift on Q3 data',
  );

  ledger('verify', '--artifacts', '.');
  ledger('log');
  ledger('diff', 'head~1', 'head');
  ledger('export', '--out', 'evidence.zip');
  console.log(
    '\ndemo: two records made, the ledger verified, listed and compared, and an evidence pack written (evidence.zip).',
  );
} finally {
  if (keep) console.log(`kept ${dir} (remove it with: rm -rf ${shellWord(dir)})`);
  else {
    rmSync(dir, { recursive: true, force: true });
    console.log('(the demo repository was removed; run with --keep to keep it)');
  }
}
