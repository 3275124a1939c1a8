/**
 * The local store's reading and writing on real directories: what it makes of files that are not
 * what it wrote (a file where a directory belongs, a key under another key's name, a manifest
 * that is a directory), its checkpoints, and locks left in odd states.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { LocalStore } from '../../src/store/local.js';
import type { PutRequest } from '../../src/store/types.js';
import { tempDir, type TempDir } from '../support/ml-files.js';
import { ledgerPublicKey, putRequest } from '../support/put-request.js';

let temp: TempDir;
beforeEach(async () => {
  temp = await tempDir('model-ledger-local-');
});
afterEach(() => temp.cleanup());

const DIGEST = 'ab'.repeat(32);

const request = (index: number, extra: Partial<PutRequest> = {}) => putRequest(index, DIGEST, extra);
const publicKey = ledgerPublicKey;

/** The pid of a process that has exited (not reused this soon). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  expect(child.status).toBe(0);
  return child.pid;
}

async function oldFile(file: string, content: string): Promise<void> {
  await writeFile(file, content);
  const past = new Date(Date.now() - 60_000);
  await utimes(file, past, past);
}

describe('the local store on files it did not write', () => {
  it('a file where the ledger directory belongs is a STORE error on list and an IO error on put', async () => {
    const location = await temp.write('ledger', 'not a directory');
    const store = new LocalStore(location);
    await expect(store.list()).rejects.toMatchObject({
      code: 'STORE',
      message: expect.stringMatching(/cannot read the ledger directory \(.*ENOTDIR/),
      file: location,
    });
    await expect(store.put(request(0))).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/cannot write to the ledger/),
      fix: 'check that the ledger directory is writable',
    });
    await expect(store.lock(100)).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/cannot create the ledger directory/),
    });
    await expect(store.remove({ index: 0, name: 'x.sigstore.json', uri: 'x' })).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/cannot remove record/),
    });
  });

  it('a missing ledger reads as empty: no records, keys, checkpoints or attachments', async () => {
    const store = new LocalStore(join(temp.dir, 'none'));
    expect(await store.list()).toEqual([]);
    expect(await store.publicKeys()).toEqual(new Map());
    expect(await store.latestCheckpoint()).toBeNull();
    expect(await store.getCheckpoint(1)).toBeNull();
    expect(await store.getAttachment('manifest.json')).toBeNull();
  });

  it('refuses a second record under one name, and keeps the first', async () => {
    const store = new LocalStore(join(temp.dir, 'ledger'));
    const ref = await store.put(request(0));
    expect(ref.name).toBe(`000000-${DIGEST.slice(0, 12)}.sigstore.json`);
    await expect(store.put(request(0, { bundle: Buffer.from('other') }))).rejects.toMatchObject({
      code: 'CHAIN',
      message: expect.stringContaining('a record with this name already exists'),
      file: join(temp.dir, 'ledger', ref.name),
    });
    expect((await store.get(ref)).toString()).toBe('{"record":0}');
    // No temporary files are left behind by either write.
    expect(await readdir(join(temp.dir, 'ledger'))).toEqual([ref.name]);
  });

  it('reads keys named by their hint, skips other files in keys/, and names a key filed under another hint', async () => {
    const store = new LocalStore(join(temp.dir, 'ledger'));
    const key = publicKey();
    await store.put(request(0, { publicKey: key }));
    await writeFile(join(temp.dir, 'ledger', 'keys', 'README'), 'not a key');
    expect(await store.publicKeys()).toEqual(new Map([[key.hint, key.pem]]));

    const other = publicKey();
    const misfiled = join(temp.dir, 'ledger', 'keys', `${'0'.repeat(64)}.pub.pem`);
    await writeFile(misfiled, other.pem);
    await expect(store.publicKeys()).rejects.toMatchObject({
      code: 'STORE',
      message: expect.stringContaining('holds a different key than its name says'),
      file: misfiled,
    });
    await writeFile(misfiled, 'garbage');
    await expect(store.publicKeys()).rejects.toMatchObject({
      code: 'STORE',
      message: expect.stringMatching(/is not a PEM public key/),
      file: misfiled,
    });
  });

  it('a file where keys/ or checkpoints/ belongs is an error naming it', async () => {
    const location = join(temp.dir, 'ledger');
    await mkdir(location);
    await writeFile(join(location, 'keys'), 'x');
    await writeFile(join(location, 'checkpoints'), 'x');
    const store = new LocalStore(location);
    await expect(store.publicKeys()).rejects.toMatchObject({
      code: 'STORE',
      message: expect.stringMatching(/cannot read the ledger's keys/),
      file: join(location, 'keys'),
    });
    await expect(store.latestCheckpoint()).rejects.toMatchObject({
      code: 'STORE',
      message: expect.stringMatching(/cannot read the ledger's checkpoints/),
    });
    // The record is stored before its checkpoint, and the error says so.
    await expect(store.put(request(0, { checkpoint: 'note\n' }))).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/record 0 is stored, but its checkpoint could not be written/),
    });
    expect((await store.list()).map((ref) => ref.index)).toEqual([0]);
  });

  it('attachments: only plain names are looked up; one that is a directory is an error, not "missing"', async () => {
    const store = new LocalStore(join(temp.dir, 'ledger'));
    await store.put(request(0, { attachments: [{ name: 'm.json', content: '{"files":[]}' }] }));
    expect((await store.getAttachment('m.json'))?.toString()).toBe('{"files":[]}');
    expect(await store.getAttachment('../ledger/manifests/m.json')).toBeNull();
    expect(await store.getAttachment('.hidden')).toBeNull();
    await mkdir(join(temp.dir, 'ledger', 'manifests', 'dir.json'));
    await expect(store.getAttachment('dir.json')).rejects.toMatchObject({ code: 'STORE' });
  });

  it('checkpoints: the newest is found, with its keyless bundle when one is stored beside it', async () => {
    const location = join(temp.dir, 'ledger');
    const store = new LocalStore(location);
    await store.put(request(0, { checkpoint: 'note 1\n' }));
    await store.put(request(1, { checkpoint: 'note 2\n', checkpointBundle: Buffer.from('{"bundle":2}') }));
    await writeFile(join(location, 'checkpoints', 'notes.txt'), 'not a checkpoint');
    expect(await store.getCheckpoint(0)).toBeNull();
    expect(await store.getCheckpoint(1.5)).toBeNull();
    expect(await store.getCheckpoint(1)).toEqual({
      size: 1,
      text: 'note 1\n',
      uri: join(location, 'checkpoints', 'model-ledger-000000.checkpoint'),
    });
    expect(await store.latestCheckpoint()).toEqual({
      size: 2,
      text: 'note 2\n',
      uri: join(location, 'checkpoints', 'model-ledger-000001.checkpoint'),
      bundle: '{"bundle":2}',
    });
    expect(await store.getCheckpoint(3)).toBeNull();
  });

  it('a checkpoint or its bundle that is a directory is an error, not a missing checkpoint', async () => {
    const location = join(temp.dir, 'ledger');
    const checkpoints = join(location, 'checkpoints');
    await mkdir(join(checkpoints, 'model-ledger-000000.checkpoint'), { recursive: true });
    const store = new LocalStore(location);
    await expect(store.getCheckpoint(1)).rejects.toMatchObject({ code: 'STORE' });
    await writeFile(join(checkpoints, 'model-ledger-000001.checkpoint'), 'note 2\n');
    await mkdir(join(checkpoints, 'model-ledger-000001.checkpoint.sigstore.json'));
    await expect(store.getCheckpoint(2)).rejects.toMatchObject({
      code: 'STORE',
      file: expect.stringContaining('model-ledger-000001.checkpoint.sigstore.json'),
    });
  });

  it('a checkpoints/ directory with no checkpoint in it has no latest checkpoint', async () => {
    const location = join(temp.dir, 'ledger');
    await mkdir(join(location, 'checkpoints'), { recursive: true });
    await writeFile(join(location, 'checkpoints', 'model-ledger-1.checkpoint'), 'too short an index');
    expect(await new LocalStore(location).latestCheckpoint()).toBeNull();
  });
});

describe('local store locks in odd states', () => {
  const lockFile = () => join(temp.dir, 'ledger', '.lock');
  beforeEach(async () => {
    await mkdir(join(temp.dir, 'ledger'));
  });

  it('a fresh lock whose holder is not a process (JSON that is no holder) is waited for, then named', async () => {
    const store = new LocalStore(join(temp.dir, 'ledger'));
    for (const text of ['42', JSON.stringify({ host: hostname(), pid: -1 })]) {
      await writeFile(lockFile(), text);
      await expect(store.lock(60)).rejects.toMatchObject({
        code: 'CHAIN',
        message: expect.stringContaining(
          'another run has been recording into this ledger for too long (a lock file with no holder in it)',
        ),
        file: lockFile(),
      });
    }
  });

  it('a lock of a dead process, with a breaker of a dead process left beside it, is broken and taken', async () => {
    const store = new LocalStore(join(temp.dir, 'ledger'));
    const dead = { host: hostname(), pid: deadPid(), since: '2024-01-01T00:00:00Z', token: 'feedfeed' };
    await oldFile(lockFile(), `${JSON.stringify(dead)}\n`);
    await oldFile(`${lockFile()}.break`, `${JSON.stringify({ ...dead, token: 'breaker' })}\n`);
    const release = await store.lock(5_000);
    const held = JSON.parse(await readFile(lockFile(), 'utf8')) as { pid: number };
    expect(held.pid).toBe(process.pid);
    expect(await readdir(join(temp.dir, 'ledger'))).toEqual(['.lock']);
    await release();
    expect(await readdir(join(temp.dir, 'ledger'))).toEqual([]);
  });

  it('a live breaker is waited for rather than broken, and the lock taken once it is done', async () => {
    const store = new LocalStore(join(temp.dir, 'ledger'));
    const dead = { host: hostname(), pid: deadPid(), since: '2024-01-01T00:00:00Z', token: 'feedfeed' };
    await oldFile(lockFile(), `${JSON.stringify(dead)}\n`);
    const breaker = { host: hostname(), pid: process.pid, since: new Date().toISOString(), token: 'live' };
    await writeFile(`${lockFile()}.break`, `${JSON.stringify(breaker)}\n`);
    const taking = store.lock(5_000);
    let seen: string[];
    let held: unknown;
    try {
      await new Promise((settle) => setTimeout(settle, 150));
      // Still waiting: the other breaker's file is there, and the dead holder's lock with it (the
      // waiting run's own attempts come and go as temporary files).
      seen = (await readdir(join(temp.dir, 'ledger'))).filter((name) => !name.endsWith('.tmp')).sort();
      held = JSON.parse(await readFile(lockFile(), 'utf8'));
    } finally {
      await unlink(`${lockFile()}.break`);
    }
    const release = await taking;
    expect(seen).toEqual(['.lock', '.lock.break']);
    expect(held).toEqual(dead);
    expect((JSON.parse(await readFile(lockFile(), 'utf8')) as { pid: number }).pid).toBe(process.pid);
    await release();
  });

  it('a .lock that is a symbolic link to nothing is an error naming it, not a wait without end', async () => {
    const store = new LocalStore(join(temp.dir, 'ledger'));
    await symlink(join(temp.dir, 'nowhere'), lockFile());
    await expect(store.lock(200)).rejects.toMatchObject({
      code: 'STORE',
      file: lockFile(),
      message: expect.stringMatching(/symbolic link/),
    });
  }, 10_000);

  it('a .lock that is a directory is no lock model-ledger wrote', async () => {
    const store = new LocalStore(join(temp.dir, 'ledger'));
    await mkdir(lockFile());
    await expect(store.lock(200)).rejects.toMatchObject({
      code: 'STORE',
      message: expect.stringContaining('is not a regular file, so it is no lock model-ledger wrote'),
      fix: `remove ${lockFile()}`,
    });
  });
});
