/**
 * verifyLedger reads a ledger one window of records at a time: a ledger longer than the window
 * verifies whole, a record that cannot be read past the window stops verification with the
 * store's error naming that file (and no read left unhandled), and the trusted root is loaded only
 * when a record needs it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LocalStore } from '../../src/store/local.js';
import type { RecordRef } from '../../src/store/types.js';
import { verifyLedger } from '../../src/verify/ledger.js';
import { fillLedger } from '../support/fill-ledger.js';

/** More than the 64 records verification reads ahead. */
const RECORDS = 150;

let dir: string;
let refs: RecordRef[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-ahead-'));
  await fillLedger(dir, RECORDS);
  refs = await new LocalStore(dir).list();
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('verifyLedger, one window at a time', () => {
  it('verifies a ledger longer than its read-ahead window whole, without loading a trusted root', async () => {
    let rootLoads = 0;
    const result = await verifyLedger({
      store: new LocalStore(dir),
      loadTrustedRoot: () => {
        rootLoads += 1;
        return Promise.resolve({});
      },
    });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.records.map((record) => record.index)).toEqual([...Array(RECORDS).keys()]);
    expect(result.records.every((record) => record.verified && record.signer?.startsWith('key:'))).toBe(true);
    expect(result.head?.index).toBe(RECORDS - 1);
    expect(result.checkpoint).toMatchObject({ size: RECORDS });
    expect(rootLoads).toBe(0);
  });

  it('stops at a record that cannot be read past the window, naming it, with no read left unhandled', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'read-ahead-fifo-'));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      execFileSync('cp', ['-r', `${dir}/.`, copy]);
      const victim = refs[120] as RecordRef;
      await unlink(join(copy, victim.name));
      // A FIFO where the bundle was: read, it would block forever; the store refuses it.
      execFileSync('mkfifo', [join(copy, victim.name)]);
      const failure = verifyLedger({ store: new LocalStore(copy) });
      await expect(failure).rejects.toMatchObject({ code: 'STORE', file: join(copy, victim.name) });
      await new Promise((settle) => setTimeout(settle, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await rm(copy, { recursive: true, force: true });
    }
  });
});
