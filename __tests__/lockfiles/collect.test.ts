import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { collectDependencies, dependenciesCollector } from '../../src/collect/dependencies.js';
import { MemoryLogger } from '../../src/log.js';
import { assertValidStatement } from '../../src/record/schema.js';
import { buildStatement } from '../../src/record/statement.js';
import { makePredicate } from '../support/predicate.js';
import { testContext } from '../support/ml-files.js';
import { FIXTURES, expectFailure, tempDir } from './helpers.js';

describe('collectDependencies', () => {
  let root = '';
  let cleanup: () => Promise<void> = async () => undefined;
  let log = new MemoryLogger();
  let notes: string[] = [];
  const note = (text: string): void => {
    notes.push(text);
  };

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('collect'));
    log = new MemoryLogger();
    notes = [];
  });
  afterEach(async () => {
    await cleanup();
  });

  async function copyFixture(from: string, to: string): Promise<void> {
    await mkdir(dirname(join(root, to)), { recursive: true });
    await cp(join(FIXTURES, from), join(root, to));
  }

  async function put(path: string, content: string | Uint8Array): Promise<void> {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }

  const sha256 = async (path: string): Promise<string> =>
    createHash('sha256')
      .update(await readFile(join(root, path)))
      .digest('hex');

  it('searches the repository and records each lockfile with its kind, digest and packages', async () => {
    await copyFixture('npm/v3/package-lock.json', 'package-lock.json');
    await copyFixture('go/app/go.sum', 'tools/go.sum');
    await copyFixture('go/app/go.mod', 'tools/go.mod');
    await copyFixture('pip/app/requirements.txt', 'train/requirements.txt');
    await copyFixture('pip/app/constraints.txt', 'train/constraints.txt');
    await copyFixture('pip/shared/base.txt', 'shared/base.txt');
    await copyFixture('npm/v1/package-lock.json', 'node_modules/old/package-lock.json');

    const section = await collectDependencies({ cwd: root, log, note });
    expect(section.lockfiles.map(({ path, kind, sha256: digest }) => ({ path, kind, digest }))).toEqual([
      { path: 'package-lock.json', kind: 'npm', digest: await sha256('package-lock.json') },
      { path: 'tools/go.sum', kind: 'go', digest: await sha256('tools/go.sum') },
      { path: 'train/requirements.txt', kind: 'pip', digest: await sha256('train/requirements.txt') },
    ]);
    expect(section.lockfiles.map((lockfile) => lockfile.packages.length)).toEqual([7, 5, 12]);
    expect(notes).toEqual([
      'tools/go.mod: line 9: github.com/example/internal v0.0.0-00010101000000-000000000000 is replaced by the folder ../internal; not recorded as a package',
      'tools/go.sum: 4 module versions in go.sum that tools/go.mod does not select are not recorded',
      'train/requirements.txt: line 20: "." names no package (no #egg=NAME); not recorded',
      'train/requirements.txt: line 21: "./vendor/local-package" names no package (no #egg=NAME); not recorded',
    ]);
    expect(log.messages('info')).toEqual([
      'dependencies: 3 lockfiles, 24 packages',
      "dependencies: 1 lockfile in skipped folders not read (listed in the record; model-ledger.yml's dependencies.include searches a folder)",
    ]);
    expect(section.skipped).toEqual({
      count: 1,
      lockfiles: [
        {
          path: 'node_modules/old/package-lock.json',
          reason: 'in node_modules/ (installed npm packages), skipped by default',
        },
      ],
    });
  });

  it('writes skipped lockfiles and package occurrences in a shape the record schema accepts', async () => {
    await copyFixture('pipenv/Pipfile.lock', 'Pipfile.lock');
    await put('dist/requirements.txt', 'six==1.16.0\n');
    const dependencies = await collectDependencies({ cwd: root, log, note });
    expect(dependencies.skipped?.count).toBe(1);
    expect(dependencies.lockfiles[0]?.packages.some((pkg) => pkg.occurrences !== undefined)).toBe(true);
    const models = [
      { name: 'model.onnx', kind: 'file' as const, digest: { sha256: 'a'.repeat(64) }, size: 3 },
    ];
    expect(() => assertValidStatement(buildStatement(makePredicate({ dependencies, models })))).not.toThrow();
  });

  it('searches folders the config includes and skips the ones it names, listing what it left out', async () => {
    await put('vendor/lib/requirements.txt', 'six==1.16.0\n');
    await put('third_party/models/requirements.txt', 'numpy==1.26.4\n');
    await put('third_party/other/requirements.txt', 'scipy==1.11.4\n');
    await put('experiments/requirements.txt', 'torch==2.1.2\n');
    await put('.github/requirements.txt', 'pyyaml==6.0.1\n');
    const section = await collectDependencies({
      cwd: root,
      log,
      note,
      search: { include: ['vendor', 'third_party/models/'], skip: ['experiments'] },
    });
    expect(section.lockfiles.map((lockfile) => lockfile.path)).toEqual([
      'third_party/models/requirements.txt',
      'vendor/lib/requirements.txt',
    ]);
    expect(section.skipped).toEqual({
      count: 3,
      lockfiles: [
        { path: '.github/requirements.txt', reason: 'in .github/ (a hidden folder), skipped by default' },
        { path: 'experiments/requirements.txt', reason: 'in experiments/, skipped by the config' },
        {
          path: 'third_party/other/requirements.txt',
          reason: 'in third_party/ (vendored code), skipped by default',
        },
      ],
    });
  });

  it('bounds the list of skipped lockfiles in the record and keeps their count', async () => {
    for (let i = 0; i < 60; i += 1)
      await put(`build/p${String(i).padStart(2, '0')}/requirements.txt`, 'six\n');
    const section = await collectDependencies({ cwd: root, log, note });
    expect(section.lockfiles).toEqual([]);
    expect(section.skipped?.count).toBe(60);
    expect(section.skipped?.lockfiles).toHaveLength(50);
    expect(section.skipped?.lockfiles[0]?.path).toBe('build/p00/requirements.txt');
  });

  it('notes and skips a file that only its name makes a lockfile, even in strict mode', async () => {
    await put('environment_template.yml', 'name: {{ name }}\ndependencies:\n  - python={{ py }}\n');
    await put('environment.yml', 'name: ok\ndependencies:\n  - numpy=1.26.4\n');
    const section = await collectDependencies({ cwd: root, log, note });
    expect(section.lockfiles.map((lockfile) => lockfile.path)).toEqual(['environment.yml']);
    expect(notes).toEqual([
      'environment_template.yml was not recorded: it is not a conda lockfile (line 1 is a template line (`{{ }}` or `{% %}`))',
    ]);
    expect(section.skipped).toEqual({
      count: 1,
      lockfiles: [
        {
          path: 'environment_template.yml',
          reason: 'not a conda lockfile: line 1 is a template line (`{{ }}` or `{% %}`)',
        },
      ],
    });
    // Named explicitly, it is an error in strict mode: the user asked for that file.
    await expectFailure(collectDependencies({ cwd: root, log, note, paths: ['environment_template.yml'] }), {
      file: 'environment_template.yml',
      line: 1,
      message: /is not a conda lockfile: line 1 is a template line/,
    });
  });

  it('reads exactly the paths given (a folder is searched), relative to cwd', async () => {
    await copyFixture('cargo/Cargo.lock', 'rust/Cargo.lock');
    await copyFixture('uv/uv.lock', 'py/uv.lock');
    await copyFixture('yarn/classic/yarn.lock', 'web/yarn.lock');
    const section = await collectDependencies({
      cwd: root,
      paths: ['py/uv.lock', 'rust', './py/uv.lock'],
      log,
      note,
    });
    expect(section.lockfiles.map((lockfile) => [lockfile.path, lockfile.kind])).toEqual([
      ['py/uv.lock', 'uv'],
      ['rust/Cargo.lock', 'cargo'],
    ]);
  });

  it('reads a requirements-named file that holds an @EXPLICIT list as a conda explicit lockfile', async () => {
    await copyFixture('conda/conda-linux-64.lock', 'requirements-conda.txt');
    const section = await collectDependencies({ cwd: root, log, note });
    expect(
      section.lockfiles.map((lockfile) => [lockfile.path, lockfile.kind, lockfile.packages.length]),
    ).toEqual([['requirements-conda.txt', 'conda-explicit', 4]]);
  });

  it('returns an empty section when there are no lockfiles', async () => {
    await put('README.md', '# nothing here\n');
    await expect(collectDependencies({ cwd: root, log, note })).resolves.toEqual({ lockfiles: [] });
  });

  it('refuses a named path that does not exist, naming it', async () => {
    await expectFailure(collectDependencies({ cwd: root, paths: ['locks/poetry.lock'], log, note }), {
      code: 'BAD_INPUT',
      file: 'locks/poetry.lock',
      message: /does not exist/,
    });
  });

  it('refuses a named path outside the repository or of no known kind', async () => {
    await put('notes.txt', 'hello\n');
    await expectFailure(collectDependencies({ cwd: join(root, 'sub'), paths: ['../notes.txt'], log, note }), {
      code: 'BAD_INPUT',
      file: '../notes.txt',
      message: /outside the repository/,
    });
    await expectFailure(collectDependencies({ cwd: root, paths: ['notes.txt'], log, note }), {
      code: 'BAD_INPUT',
      file: 'notes.txt',
      message: /not a lockfile model-ledger can read.*package-lock\.json/,
    });
  });

  it('fails on a malformed lockfile in strict mode (the default)', async () => {
    await copyFixture('go/go.sum', 'go.sum');
    await put('poetry.lock', '[[package]]\nname = "a"\nversion = 1.0.0\n');
    await expectFailure(collectDependencies({ cwd: root, log, note }), {
      file: 'poetry.lock',
      line: 3,
      message: /not valid TOML/,
    });
  });

  it('skips a malformed lockfile in best-effort mode with a warning and a note naming file and line', async () => {
    await copyFixture('go/go.sum', 'go.sum');
    await put('poetry.lock', '[[package]]\nname = "a"\nversion = 1.0.0\n');
    const section = await collectDependencies({ cwd: root, mode: 'best-effort', log, note });
    expect(section.lockfiles.map((lockfile) => lockfile.path)).toEqual(['go.sum']);
    expect(log.messages('warn')).toEqual([
      expect.stringMatching(/^poetry\.lock: line 3: is not valid TOML: .* \(lockfile skipped\)$/),
    ]);
    expect(notes).toEqual([
      expect.stringMatching(/^go\.sum: read without go\.mod \(go\.mod: does not exist\)/),
      expect.stringMatching(/^lockfile poetry\.lock was not recorded: poetry\.lock: line 3: /),
    ]);
  });

  it('still fails in best-effort mode on a named path that is missing', async () => {
    await expectFailure(
      collectDependencies({ cwd: root, mode: 'best-effort', paths: ['go.sum'], log, note }),
      {
        code: 'BAD_INPUT',
        file: 'go.sum',
      },
    );
  });

  it('reads -r includes from disk and refuses one that links outside the repository', async () => {
    const { dir: outside, cleanup: removeOutside } = await tempDir('outside');
    try {
      await writeFile(join(outside, 'secret.txt'), 'leaked==1.0\n');
      await put('reqs/base.txt', 'click==8.1.7\n');
      await put('requirements.txt', '-r reqs/base.txt\nnumpy==1.26.4\n');
      await symlink(join(outside, 'secret.txt'), join(root, 'reqs', 'link.txt'));
      const section = await collectDependencies({ cwd: root, log, note });
      expect(section.lockfiles[0]?.packages.map((pkg) => pkg.purl)).toEqual([
        'pkg:pypi/click@8.1.7',
        'pkg:pypi/numpy@1.26.4',
      ]);

      await put('requirements.txt', 'numpy==1.26.4\n-r reqs/link.txt\n');
      await expectFailure(collectDependencies({ cwd: root, log, note }), {
        file: 'requirements.txt',
        line: 2,
        message: /reqs\/link\.txt: is a link to a file outside the repository/,
      });
    } finally {
      await removeOutside();
    }
  });

  it('serves as the dependencies collector', async () => {
    await copyFixture('go/go.sum', 'go.sum');
    await put('requirements.txt', '-e .\nsix==1.16.0\n');
    const collector = dependenciesCollector({ paths: ['go.sum', 'requirements.txt'] });
    expect(collector.section).toBe('dependencies');
    const context = testContext(root);
    const section = await collector.collect(context);
    expect(section.lockfiles.map((lockfile) => lockfile.path)).toEqual(['go.sum', 'requirements.txt']);
    expect(context.notes).toEqual([
      expect.stringMatching(/^go\.sum: read without go\.mod/),
      'requirements.txt: line 1: "." names no package (no #egg=NAME); not recorded',
    ]);
    expect(context.log.messages('info')).toEqual(['dependencies: 2 lockfiles, 5 packages']);
  });
});

describe('hostile lockfiles', () => {
  let root = '';
  let cleanup: () => Promise<void> = async () => undefined;

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('hostile'));
  });
  afterEach(async () => {
    await cleanup();
  });

  const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
  const aliasBomb = (levels: number): string => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < levels; i += 1)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    return lines.join('\n');
  };

  it.each<[string, string, () => Buffer, number, RegExp]>([
    [
      'truncated JSON',
      'package-lock.json',
      () => utf8('{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": {\n'),
      4,
      /not valid JSON/,
    ],
    [
      'UTF-16 with a byte order mark',
      'package-lock.json',
      () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}', 'utf16le')]),
      1,
      /UTF-16/,
    ],
    [
      'UTF-16 without a byte order mark',
      'Pipfile.lock',
      () => Buffer.concat([utf8('{\n'), Buffer.from('"_meta"', 'utf16le')]),
      2,
      /NUL byte/,
    ],
    [
      'invalid UTF-8',
      'requirements.txt',
      () =>
        Buffer.concat([
          utf8('six==1.16.0\nnumpy==1.26.4\ntorch=='),
          Buffer.from([0xff, 0xfe, 0x41]),
          utf8('\n'),
        ]),
      3,
      /not valid UTF-8/,
    ],
    [
      'a 50 MB single line',
      'yarn.lock',
      () => Buffer.concat([utf8('# yarn lockfile v1\n\n'), Buffer.alloc(50 * 1024 * 1024, 0x61)]),
      3,
      /longer than the/,
    ],
    [
      'a YAML alias bomb',
      'pnpm-lock.yaml',
      () => utf8(`lockfileVersion: '9.0'\n${aliasBomb(12)}\n`),
      3,
      /alias bomb/,
    ],
    [
      'deeply nested YAML',
      'environment.yml',
      () => utf8(`name: x\ndependencies: ${'['.repeat(1000)}\n`),
      2,
      /nests YAML flow collections/,
    ],
    [
      'deeply indented YAML',
      'pnpm-lock.yaml',
      () => utf8(Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')),
      258,
      /indented more than 256 columns/,
    ],
    [
      'invalid TOML',
      'Cargo.lock',
      () => utf8('version = 3\n\n[[package]]\nname = "serde"\nversion = "1.0\n'),
      5,
      /unterminated string/,
    ],
    [
      'deeply nested TOML',
      'uv.lock',
      () => utf8(`version = 1\nx = ${'['.repeat(5000)}\n`),
      2,
      /nest more than/,
    ],
    [
      'a go.sum with a broken line',
      'go.sum',
      () => utf8('github.com/pkg/errors v0.9.1 h1:abc=\nrm -rf /\n'),
      2,
      /module version h1:hash/,
    ],
    [
      'a conda explicit file with a bad URL',
      'conda-linux-64.lock',
      () => utf8('@EXPLICIT\nhttp://[::1\n'),
      2,
      /package URL/,
    ],
  ])('%s is a clear lockfile error naming the file and line', async (_name, file, content, line, message) => {
    await writeFile(join(root, file), content());
    await expectFailure(
      collectDependencies({ cwd: root, paths: [file], log: new MemoryLogger(), note: () => undefined }),
      {
        file,
        line,
        message,
      },
    );
  });
});
