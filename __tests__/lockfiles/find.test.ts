import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  DEFAULT_SKIPPED_FOLDERS,
  MAX_SKIPPED_FOLDERS_SEARCHED,
  findLockfiles,
  searchLockfiles,
} from '../../src/lockfiles/find.js';
import { MemoryLogger } from '../../src/log.js';
import { tempDir } from './helpers.js';

describe('findLockfiles', () => {
  let root = '';
  let cleanup: () => Promise<void> = async () => undefined;

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('find'));
  });
  afterEach(async () => {
    await cleanup();
  });

  async function put(path: string, text = 'x\n'): Promise<void> {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }

  it('finds lockfiles in a deterministic order and skips installed packages, environments, VCS and hidden folders', async () => {
    for (const path of [
      'package-lock.json',
      'requirements.txt',
      'web/yarn.lock',
      'services/api/go.sum',
      'services/api/README.md',
      'a/b/c/d/e/f/requirements.txt',
      'a/b/c/d/e/f/g/requirements.txt',
      'node_modules/left-pad/package-lock.json',
      'web/node_modules/@scope/x/yarn.lock',
      '.venv/lib/python3.11/site-packages/x/requirements.txt',
      'venv/requirements.txt',
      'myenv/pyvenv.cfg',
      'myenv/requirements.txt',
      'condaenv/conda-meta/history',
      'condaenv/environment.yml',
      '.git/yarn.lock',
      '.model-ledger/poetry.lock',
      '.github/requirements.txt',
      'dist/package-lock.json',
      'target/Cargo.lock',
      '__tests__/fixtures/npm/package-lock.json',
    ]) {
      await put(path);
    }
    await mkdir(join(root, 'linked'));
    await symlink(join(root, 'package-lock.json'), join(root, 'linked', 'package-lock.json'));
    await symlink(join(root, 'services'), join(root, 'services-alias'));

    const log = new MemoryLogger();
    expect(await findLockfiles(root, log)).toEqual([
      'a/b/c/d/e/f/requirements.txt',
      'package-lock.json',
      'requirements.txt',
      'services/api/go.sum',
      'web/yarn.lock',
    ]);
    expect(log.messages('info')).toEqual([
      'lockfiles: not reading linked/package-lock.json: it is not a regular file (a symbolic link?)',
    ]);
    expect(log.messages('debug')).toEqual(
      expect.arrayContaining([
        'lockfiles: skipping myenv/ (a Python or conda environment)',
        'lockfiles: not searching a/b/c/d/e/f/g/ (deeper than 6 folders)',
      ]),
    );
  });

  it('lists the lockfiles it skipped, with why, but never looks inside .git', async () => {
    for (const path of [
      'requirements.txt',
      'node_modules/left-pad/package-lock.json',
      'myenv/pyvenv.cfg',
      'myenv/requirements.txt',
      '.git/yarn.lock',
      '.github/requirements.txt',
      'dist/package-lock.json',
      'target/Cargo.lock',
      'pkg/testdata/go.sum',
    ]) {
      await put(path);
    }
    const result = await searchLockfiles(root, new MemoryLogger());
    expect(result).toEqual({
      found: ['requirements.txt'],
      skipped: [
        { path: '.github/requirements.txt', reason: 'in .github/ (a hidden folder), skipped by default' },
        { path: 'dist/package-lock.json', reason: 'in dist/ (build output), skipped by default' },
        {
          path: 'myenv/requirements.txt',
          reason: 'in myenv/ (a Python or conda environment), skipped by default',
        },
        {
          path: 'node_modules/left-pad/package-lock.json',
          reason: 'in node_modules/ (installed npm packages), skipped by default',
        },
        { path: 'pkg/testdata/go.sum', reason: 'in pkg/testdata/ (test fixtures (Go)), skipped by default' },
        { path: 'target/Cargo.lock', reason: 'in target/ (build output (Cargo, Maven)), skipped by default' },
      ],
      incomplete: false,
    });
  });

  it('documents every default skipped folder in one list, each with why', () => {
    const names = DEFAULT_SKIPPED_FOLDERS.map((folder) => folder.name);
    expect(names).toEqual(
      expect.arrayContaining(['build', 'dist', 'vendor', 'third_party', 'target', 'testdata']),
    );
    expect(DEFAULT_SKIPPED_FOLDERS.every((folder) => folder.why !== '')).toBe(true);
  });

  it('stops looking into skipped folders at its bound and says the list is incomplete', async () => {
    await Promise.all(
      Array.from({ length: MAX_SKIPPED_FOLDERS_SEARCHED + 5 }, (_, i) =>
        mkdir(join(root, 'build', `d${i}`), { recursive: true }),
      ),
    );
    await put('requirements.txt');
    const result = await searchLockfiles(root, new MemoryLogger());
    expect(result.found).toEqual(['requirements.txt']);
    expect(result.incomplete).toBe(true);
  });

  it('returns nothing for a folder without lockfiles', async () => {
    await put('src/main.py', 'print(1)\n');
    expect(await findLockfiles(root, new MemoryLogger())).toEqual([]);
  });
});
