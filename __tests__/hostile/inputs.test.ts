/**
 * Issue #17's hostile inputs, each run through the real CLI under a time limit: every case ends
 * with its exit status, one line naming the file at fault (an error, or a warning for inputs that
 * are recorded with one), no stack trace, and — unless the case records on purpose — the ledger
 * byte for byte as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import {
  lstat,
  open,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  symlink,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { runCli, type CliRun } from '../support/cli.js';
import { safetensorsBytes } from '../support/ml-files.js';
import { copyTempRepo, createTempRepo, type TempRepo } from '../support/repo.js';

const SIGN = ['--key', 'keys/team.key.pem'];
const RECORD = ['record', '--json', ...SIGN, '--models', 'model.bin'];
const LEDGER = '.model-ledger';
/** Every case must end well within this; the slowest today take a second or two. */
const CASE_LIMIT_MS = 20_000;

let template: TempRepo;

beforeAll(async () => {
  template = await createTempRepo();
  await template.write('model.bin', 'weights');
  template.commit('first model');
  expect((await runCli(['keygen', '--out', 'keys/team'], template.dir, template.env)).status).toBe(0);
  for (const version of ['1', '2', '3']) {
    await template.write('model.bin', `weights ${version}`);
    template.commit(`model ${version}`);
    const run = await runCli(RECORD, template.dir, template.env);
    expect(run).toMatchObject({ status: 0 });
  }
}, 60_000);
afterAll(() => template.cleanup());

/** Every entry of the ledger directory: file digests, link targets, special files by kind. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (relative: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(join(dir, relative));
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const path = relative ? `${relative}/${name}` : name;
      const stats = await lstat(join(dir, path));
      if (stats.isDirectory()) await walk(path);
      else if (stats.isSymbolicLink()) out[path] = `-> ${await readlink(join(dir, path))}`;
      else if (stats.isFile())
        out[path] = createHash('sha256')
          .update(await readFile(join(dir, path)))
          .digest('hex');
      else out[path] = 'special';
    }
  };
  await walk('');
  return out;
}

async function recordFiles(repo: TempRepo): Promise<string[]> {
  return (await readdir(join(repo.dir, LEDGER))).filter((name) => name.endsWith('.sigstore.json')).sort();
}

function mkfifo(repo: TempRepo, path: string, fifos: string[]): void {
  execFileSync('mkfifo', [join(repo.dir, path)]);
  fifos.push(join(repo.dir, path));
}

/** A reader stuck on a FIFO (the bug these cases catch) is released, so the test process can end. */
async function releaseFifos(fifos: string[]): Promise<void> {
  for (const fifo of fifos) {
    const handle = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
    await handle?.close();
  }
}

/** The built CLI in a child process, as a user runs it. */
function runBuiltCli(argv: string[], cwd: string, env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(process.cwd(), 'dist', 'cli.js'), ...argv],
      { cwd, env: { ...env, NODE_OPTIONS: '' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error && typeof error.code === 'number' ? error.code : 0;
        resolve({ status, stdout: stdout.replace(/\n$/, ''), stderr: stderr.replace(/\n$/, '') });
      },
    );
  });
}

async function withinLimit(run: Promise<CliRun>): Promise<CliRun> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CASE_LIMIT_MS} ms`)), CASE_LIMIT_MS);
  });
  try {
    return await Promise.race([run, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** A record file whose name and content are another record's: what a careless copy leaves. */
async function deepJson(depth: number): Promise<string> {
  return `{"a": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

function aliasBomb(prefix: string): string {
  const lines = [`${prefix}a: &a ["x","x","x","x","x","x","x","x","x"]`];
  for (const [name, from] of [
    ['b', 'a'],
    ['c', 'b'],
    ['d', 'c'],
    ['e', 'd'],
    ['f', 'e'],
    ['g', 'f'],
    ['h', 'g'],
    ['i', 'h'],
  ])
    lines.push(`${prefix}${name}: &${name} [${Array(9).fill(`*${from}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
}

interface Case {
  name: string;
  /** Prepares the copy of the template repository; returns nothing or the FIFOs made. */
  setup?: (repo: TempRepo, fifos: string[]) => Promise<void> | void;
  argv: string[];
  status: number;
  /** The one line that names the file (stderr for errors and warnings, stdout for verify's report). */
  line: RegExp;
  /** The case records on purpose: the ledger gains exactly one record. */
  records?: boolean;
  /** Also checked after the run. */
  after?: (repo: TempRepo, run: CliRun) => Promise<void> | void;
  /**
   * Run the built CLI (dist/cli.js) in a process of its own: several 300k-deep documents parsed
   * one after another in jest's shared VM exhaust V8's regular-expression zone there, which no
   * real run (one document per process) does.
   */
  ownProcess?: boolean;
}

const DEV_ZERO = '/dev/zero';

const CASES: Case[] = [
  // ---- unbounded reads: only regular files of bounded size are read --------------------------
  {
    name: '--policy /dev/urandom',
    argv: [...RECORD, '--policy', '/dev/urandom'],
    status: 2,
    line: /\/dev\/urandom: cannot read the policy file: is not a regular file \(it is a device\)/,
  },
  {
    name: '--policy FIFO',
    setup: (repo, fifos) => mkfifo(repo, 'policy.yml', fifos),
    argv: [...RECORD, '--policy', 'policy.yml'],
    status: 2,
    line: /policy\.yml: cannot read the policy file: is not a regular file \(it is a FIFO\)/,
  },
  {
    name: '--policy symlink loop',
    setup: (repo) => symlink('loop.yml', join(repo.dir, 'loop.yml')),
    argv: [...RECORD, '--policy', 'loop.yml'],
    status: 2,
    line: /loop\.yml: cannot read the policy file: cannot be read \((Error: )?ELOOP/,
  },
  {
    name: '--training FIFO',
    setup: (repo, fifos) => mkfifo(repo, 'train.json', fifos),
    argv: [...RECORD, '--training', 'train.json'],
    status: 2,
    line: /train\.json: training: is not a regular file or a folder/,
  },
  {
    name: '--training symlink to /dev/zero',
    setup: (repo) => symlink(DEV_ZERO, join(repo.dir, 'train.json')),
    argv: [...RECORD, '--training', 'train.json'],
    status: 2,
    line: /train\.json: training: is not a regular file or a folder/,
  },
  {
    name: '--config FIFO',
    setup: (repo, fifos) => mkfifo(repo, 'ledger.yml', fifos),
    argv: [...RECORD, '--config', 'ledger.yml'],
    status: 2,
    line: /ledger\.yml: cannot read the config file: is not a regular file \(it is a FIFO\)/,
  },
  {
    name: 'model-ledger.yml a symlink to /dev/zero',
    setup: (repo) => symlink(DEV_ZERO, join(repo.dir, 'model-ledger.yml')),
    argv: RECORD,
    status: 2,
    line: /model-ledger\.yml: cannot read the config file: is not a regular file \(it is a device\)/,
  },
  {
    name: '--models FIFO',
    setup: (repo, fifos) => mkfifo(repo, 'queue.bin', fifos),
    argv: ['record', '--json', ...SIGN, '--models', 'queue.bin'],
    status: 2,
    line: /queue\.bin: models: is not a regular file or directory/,
  },
  {
    name: '--datasets FIFO',
    setup: (repo, fifos) => mkfifo(repo, 'rows.csv', fifos),
    argv: [...RECORD, '--datasets', 'rows.csv'],
    status: 2,
    line: /rows\.csv: datasets\[0\]: is neither a file nor a directory/,
  },
  {
    name: 'record: a bundle in the ledger that is a symlink to /dev/zero',
    setup: (repo) => symlink(DEV_ZERO, join(repo.dir, LEDGER, '000003-000000000000.sigstore.json')),
    argv: RECORD,
    status: 2,
    line: /000003-000000000000\.sigstore\.json: is not a regular file \(it is a device\)/,
  },
  {
    name: 'verify: a bundle in the ledger that is a symlink to /dev/zero',
    setup: (repo) => symlink(DEV_ZERO, join(repo.dir, LEDGER, '000003-000000000000.sigstore.json')),
    argv: ['verify'],
    status: 2,
    line: /000003-000000000000\.sigstore\.json: is not a regular file \(it is a device\)/,
  },
  {
    name: 'record: a bundle in the ledger that is a FIFO',
    setup: (repo, fifos) => mkfifo(repo, `${LEDGER}/000003-000000000000.sigstore.json`, fifos),
    argv: RECORD,
    status: 2,
    line: /000003-000000000000\.sigstore\.json: is not a regular file \(it is a FIFO\)/,
  },
  {
    name: 'verify: a bundle in the ledger that is a FIFO',
    setup: (repo, fifos) => mkfifo(repo, `${LEDGER}/000003-000000000000.sigstore.json`, fifos),
    argv: ['verify'],
    status: 2,
    line: /000003-000000000000\.sigstore\.json: is not a regular file \(it is a FIFO\)/,
  },
  // ---- garbage in the ledger's keys/ ------------------------------------------------------------
  ...(['record', 'verify'] as const).flatMap((command): Case[] => [
    {
      name: `${command}: garbage in keys/`,
      setup: (repo) => writeFile(join(repo.dir, LEDGER, 'keys', `${'ab'.repeat(32)}.pub.pem`), 'garbage\n'),
      argv: command === 'record' ? RECORD : ['verify'],
      status: 2,
      line: /keys\/(ab){32}\.pub\.pem: is not a PEM public key/,
    },
    {
      name: `${command}: a key in keys/ that is a symlink to /dev/zero`,
      setup: (repo) => symlink(DEV_ZERO, join(repo.dir, LEDGER, 'keys', `${'cd'.repeat(32)}.pub.pem`)),
      argv: command === 'record' ? RECORD : ['verify'],
      status: 2,
      line: /keys\/(cd){32}\.pub\.pem: is not a regular file \(it is a device\)/,
    },
  ]),
  // ---- YAML alias bombs and deep nesting --------------------------------------------------------
  {
    name: 'alias bomb in model-ledger.yml',
    setup: (repo) => repo.write('model-ledger.yml', `version: 1\nenv: []\n${aliasBomb('x-')}`),
    argv: RECORD,
    status: 2,
    line: /model-ledger\.yml: cannot be read: .*alias/i,
  },
  {
    name: 'alias bomb in a policy',
    setup: (repo) => repo.write('policy.yml', aliasBomb('')),
    argv: [...RECORD, '--policy', 'policy.yml'],
    status: 2,
    line: /policy\.yml: cannot be read: .*alias/i,
  },
  {
    name: 'training JSON nested 300k deep',
    ownProcess: true,
    setup: async (repo) => repo.write('train.json', await deepJson(300_000)),
    argv: [...RECORD, '--training', 'train.json'],
    status: 2,
    line: /train\.json: a(\[0\]){19}\[0…: nests deeper than 100 levels — flatten/,
  },
  {
    name: 'training YAML nested 300k deep',
    ownProcess: true,
    setup: (repo) => repo.write('train.yaml', `a: ${'['.repeat(300_000)}${']'.repeat(300_000)}\n`),
    argv: [...RECORD, '--training', 'train.yaml'],
    status: 2,
    line: /train\.yaml: line 1: nests deeper than 100 levels — flatten/,
  },
  {
    name: 'policy JSON nested 300k deep',
    ownProcess: true,
    setup: async (repo) => repo.write('policy.json', await deepJson(300_000)),
    argv: [...RECORD, '--policy', 'policy.json'],
    status: 2,
    line: /policy\.json: line 1: nests too deeply to be a policy/,
  },
  {
    name: 'model-ledger.yml nested 300k deep',
    ownProcess: true,
    setup: (repo) => repo.write('model-ledger.yml', `x: ${'['.repeat(300_000)}${']'.repeat(300_000)}\n`),
    argv: RECORD,
    status: 2,
    line: /model-ledger\.yml: nests too deeply to be a config/,
  },
  {
    name: 'a model folder whose config.json nests 300k deep: recorded, with a warning',
    ownProcess: true,
    setup: async (repo) => {
      await repo.write('hf/config.json', await deepJson(300_000));
      await repo.write('hf/model.safetensors', safetensorsBytes([{ name: 'w', dtype: 'F32', shape: [2] }]));
      repo.commit('hf model');
    },
    argv: ['record', '--json', ...SIGN, '--models', 'hf'],
    status: 0,
    records: true,
    line: /"index": 3/,
    after: async (repo) => {
      const statement = await newestStatement(repo);
      expect(JSON.stringify(statement)).toMatch(/hf\/config\.json: nests deeper than/);
    },
  },
  // ---- empty options ------------------------------------------------------------------------------
  ...['store', 'training', 'lockfile', 'config', 'policy', 'models', 'datasets', 'reason'].map(
    (option): Case => ({
      name: `--${option} ''`,
      argv: [...RECORD, `--${option}`, ''],
      status: 2,
      line: new RegExp(`record: --${option} is empty — give --${option} a value`),
    }),
  ),
  { name: "--key ''", argv: ['record', '--key', ''], status: 2, line: /record: --key is empty/ },
  { name: '--store= (verify)', argv: ['verify', '--store='], status: 2, line: /verify: --store is empty/ },
  // ---- a ledger verify would reject is never appended to -------------------------------------------
  {
    name: 'a gap in the indexes',
    setup: async (repo) => {
      const [, one] = await recordFiles(repo);
      await unlink(join(repo.dir, LEDGER, one as string));
    },
    argv: RECORD,
    status: 2,
    line: /\.model-ledger: record 1 is missing: the ledger has a gap .*restore record 1/,
  },
  {
    name: 'a misnamed head',
    setup: async (repo) => {
      const [, , two] = await recordFiles(repo);
      await rename(
        join(repo.dir, LEDGER, two as string),
        join(repo.dir, LEDGER, '000002-0123456789ab.sigstore.json'),
      );
    },
    argv: RECORD,
    status: 2,
    line: /000002-0123456789ab\.sigstore\.json: holds record 2 \(statement [0-9a-f]{12}\), but its name says record 2 \(statement 0123456789ab\).* rename it to 000002-/,
  },
  {
    name: 'a misnamed record below the head',
    setup: async (repo) => {
      const [, one] = await recordFiles(repo);
      await rename(
        join(repo.dir, LEDGER, one as string),
        join(repo.dir, LEDGER, '000001-0123456789ab.sigstore.json'),
      );
    },
    argv: RECORD,
    status: 2,
    line: /000001-0123456789ab\.sigstore\.json: is named as statement 0123456789ab, but record 2 links to statement [0-9a-f]{12}/,
  },
  {
    name: 'a copy of record 0 under another index',
    setup: async (repo) => {
      const [zero] = await recordFiles(repo);
      const copy = (zero as string).replace(/^000000/, '000003');
      await writeFile(join(repo.dir, LEDGER, copy), await readFile(join(repo.dir, LEDGER, zero as string)));
    },
    argv: RECORD,
    status: 2,
    line: /000003-[0-9a-f]{12}\.sigstore\.json: holds record 0 .*but its name says record 3/,
  },
  {
    name: 'a second file at a lower index (a fork)',
    setup: async (repo) => {
      const [, one] = await recordFiles(repo);
      const copy = `000001-${'e'.repeat(12)}.sigstore.json`;
      await writeFile(join(repo.dir, LEDGER, copy), await readFile(join(repo.dir, LEDGER, one as string)));
    },
    argv: RECORD,
    status: 2,
    line: /000001-e{12}\.sigstore\.json: (is named as statement e{12}|is a second record at index 1)/,
  },
  // ---- locks ------------------------------------------------------------------------------------------
  {
    name: 'a lock held on another host: an error at once, naming the holder',
    setup: (repo) =>
      writeFile(
        join(repo.dir, LEDGER, '.lock'),
        JSON.stringify({ host: 'build-7.example', pid: 4242, since: '2026-01-01T00:00:00.000Z' }),
      ),
    argv: RECORD,
    status: 2,
    line: /\.model-ledger\/\.lock: the ledger is locked by process 4242 on build-7\.example since 2026-01-01T00:00:00\.000Z — .*remove .*\.model-ledger\/\.lock/,
  },
  {
    name: 'an empty lock file left by a writer that died: taken over',
    setup: async (repo) => {
      const file = join(repo.dir, LEDGER, '.lock');
      await writeFile(file, '');
      const old = new Date(Date.now() - 60_000);
      await utimes(file, old, old);
      await repo.write('model.bin', 'weights 4');
      repo.commit('model 4');
    },
    argv: RECORD,
    status: 0,
    records: true,
    line: /"index": 3/,
  },
  {
    name: 'a lock of a dead process on this host: taken over',
    setup: async (repo) => {
      await writeFile(
        join(repo.dir, LEDGER, '.lock'),
        JSON.stringify({ host: hostname(), pid: 2 ** 22 + 4321 }),
      );
      await repo.write('model.bin', 'weights 4');
      repo.commit('model 4');
    },
    argv: RECORD,
    status: 0,
    records: true,
    line: /"index": 3/,
  },
  {
    name: 'a lock file that is a FIFO',
    setup: (repo, fifos) => mkfifo(repo, `${LEDGER}/.lock`, fifos),
    argv: RECORD,
    status: 2,
    line: /\.lock: is not a regular file, so it is no lock model-ledger wrote/,
  },
  // ---- globs ---------------------------------------------------------------------------------------------
  {
    name: 'a glob of many stars against a long name',
    setup: (repo) => repo.write(`${'a'.repeat(80)}.bin`, 'x'),
    argv: ['record', '--json', ...SIGN, '--models', `${'*a'.repeat(16)}*b`],
    status: 2,
    line: /the glob "(\*a){16}\*b" matches no file/,
  },
  {
    name: 'a backwards range [z-a]',
    argv: ['record', '--json', ...SIGN, '--models', 'models/[z-a].bin'],
    status: 2,
    line: /the glob "models\/\[z-a\]\.bin" has the range \[z-a\], whose start comes after its end/,
  },
  {
    name: 'a glob from model-ledger.yml whose braces explode',
    setup: (repo) => repo.write('model-ledger.yml', `models:\n  - "${'{a,b}'.repeat(12)}"\n`),
    argv: ['record', '--json', ...SIGN],
    status: 2,
    line: /expands to more than 1024 alternatives/,
  },
  // ---- huge headers and lone surrogates ------------------------------------------------------------------
  {
    name: 'safetensors __metadata__ of 10 MB: recorded by digest, with a warning',
    setup: async (repo) => {
      await repo.write(
        'big.safetensors',
        safetensorsBytes([{ name: 'w', dtype: 'F32', shape: [2] }], { notes: 'x'.repeat(10 * 1024 * 1024) }),
      );
      repo.commit('big header');
    },
    argv: ['record', '--json', ...SIGN, '--models', 'big.safetensors'],
    status: 0,
    records: true,
    line: /"index": 3/,
    after: async (repo) => {
      const files = await recordFiles(repo);
      const bundle = await lstat(join(repo.dir, LEDGER, files.at(-1) as string));
      expect(bundle.size).toBeLessThan(256 * 1024);
      expect(JSON.stringify(await newestStatement(repo))).toMatch(
        /big\.safetensors: 1 __metadata__ value\(s\) too long to copy into the record are recorded by digest/,
      );
    },
  },
  {
    name: 'a lone surrogate in a safetensors header',
    setup: async (repo) => {
      const header =
        '{"__metadata__":{"note":"\\ud800 left alone"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
      await repo.write(
        'odd.safetensors',
        safetensorsBytes([], undefined, { headerJson: header, dataBytes: 8 }),
      );
      repo.commit('odd header');
    },
    argv: ['record', '--json', ...SIGN, '--models', 'odd.safetensors'],
    status: 0,
    records: true,
    line: /"index": 3/,
    after: async (repo) => {
      expect(JSON.stringify(await newestStatement(repo))).toContain('\ufffd left alone');
    },
  },
  {
    name: 'a lone surrogate in training JSON',
    setup: async (repo) => {
      await repo.write('train.json', '{"note": "\\udc00 alone", "\\ud801key": 1}');
      await repo.write('model.bin', 'weights 4');
      repo.commit('odd training');
    },
    argv: [...RECORD, '--training', 'train.json'],
    status: 0,
    records: true,
    line: /"index": 3/,
    after: async (repo) => {
      const statement = (await newestStatement(repo)) as { predicate: { training: { run: unknown } } };
      expect(statement.predicate.training.run).toEqual({ note: '\ufffd alone', '\ufffdkey': 1 });
    },
  },
  // ---- policy paths that no record can have --------------------------------------------------------------
  {
    name: 'a policy requiring __proto__.polluted',
    setup: (repo) =>
      repo.write(
        'policy.yml',
        'version: 1\nrequired:\n  - path: training.run.seed\n  - path: __proto__.polluted\n',
      ),
    argv: [...RECORD, '--policy', 'policy.yml'],
    status: 2,
    line: /policy\.yml: line 4: required\[1\]\.path is not a field a record can have: the record has no field "__proto__"/,
  },
  {
    name: 'a policy requiring models[*].constructor.name',
    setup: (repo) =>
      repo.write('policy.yml', 'version: 1\nrequired:\n  - path: models[*].constructor.name\n'),
    argv: [...RECORD, '--policy', 'policy.yml'],
    status: 2,
    line: /policy\.yml: line 3: required\[0\]\.path is not a field a record can have: models\[\*\] has no field "constructor"/,
  },
];

/**
 * The statement of the newest record: its DSSE payload, decoded as strict UTF-8 (a lone surrogate
 * would have made invalid bytes), then parsed as `jq` would.
 */
async function newestStatement(repo: TempRepo): Promise<unknown> {
  const files = await recordFiles(repo);
  const bundle = JSON.parse(await readFile(join(repo.dir, LEDGER, files.at(-1) as string), 'utf8')) as {
    dsseEnvelope: { payload: string };
  };
  const bytes = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
}

describe('hostile inputs end cleanly', () => {
  it.each(CASES.map((entry) => [entry.name, entry] as const))(
    '%s',
    async (_, entry) => {
      const repo = await copyTempRepo(template);
      const fifos: string[] = [];
      try {
        await entry.setup?.(repo, fifos);
        const before = await snapshot(join(repo.dir, LEDGER));
        const started = Date.now();
        const run = await withinLimit(
          entry.ownProcess
            ? runBuiltCli(entry.argv, repo.dir, repo.env)
            : runCli(entry.argv, repo.dir, repo.env),
        ).finally(() => releaseFifos(fifos));
        // Recording the commit the template's last record describes again is warned about: not these cases' concern.
        const stderr = run.stderr
          .split('\n')
          .filter(
            (line) => !/^warning: commit [0-9a-f]+ is the commit record \d+ already describes/.test(line),
          );
        const lines = [...stderr, ...run.stdout.split('\n')];
        expect({ status: run.status, lines }).toEqual({
          status: entry.status,
          lines: expect.arrayContaining([expect.stringMatching(entry.line)]),
        });
        expect(lines.filter((line) => entry.line.test(line))).toHaveLength(1);
        expect(lines.filter((line) => /^\s+at |unexpected error|--debug/.test(line))).toEqual([]);
        // An error is one line, and it is the line that names the file.
        if (entry.status !== 0) expect(stderr).toEqual([expect.stringMatching(entry.line)]);
        expect(Date.now() - started).toBeLessThan(CASE_LIMIT_MS);
        const after = await snapshot(join(repo.dir, LEDGER));
        if (entry.records) {
          const added = Object.keys(after).filter((name) => !(name in before));
          expect(added.filter((name) => name.endsWith('.sigstore.json') && !name.includes('/'))).toHaveLength(
            1,
          );
        } else {
          expect(after).toEqual(before);
        }
        await entry.after?.(repo, run);
      } finally {
        await releaseFifos(fifos);
        await rm(repo.dir, { recursive: true, force: true });
      }
    },
    CASE_LIMIT_MS + 10_000,
  );

  it('verify rejects every bad ledger record refuses to append to', async () => {
    const repo = await copyTempRepo(template);
    try {
      const [zero, one, two] = await recordFiles(repo);
      await unlink(join(repo.dir, LEDGER, one as string));
      const gap = await runCli(['verify'], repo.dir, repo.env);
      expect(gap.status).toBe(1);
      expect(gap.stderr).toMatch(/FAIL GAP: record 1 is missing/);
      await writeFile(
        join(repo.dir, LEDGER, one as string),
        await readFile(join(template.dir, LEDGER, one as string)),
      );
      await rename(
        join(repo.dir, LEDGER, two as string),
        join(repo.dir, LEDGER, '000002-0123456789ab.sigstore.json'),
      );
      expect((await runCli(['verify'], repo.dir, repo.env)).status).toBe(1);
      await rename(
        join(repo.dir, LEDGER, '000002-0123456789ab.sigstore.json'),
        join(repo.dir, LEDGER, two as string),
      );
      await writeFile(
        join(repo.dir, LEDGER, (zero as string).replace(/^000000/, '000003')),
        await readFile(join(repo.dir, LEDGER, zero as string)),
      );
      expect((await runCli(['verify'], repo.dir, repo.env)).status).toBe(1);
    } finally {
      await rm(repo.dir, { recursive: true, force: true });
    }
  }, 30_000);
});
