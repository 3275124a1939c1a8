/**
 * Anchored history: with a checkpoint or a witness from before the tampering, truncation, rollback,
 * a rewrite with the real key and a wholesale replacement are each caught (exit 1, precise code);
 * without one, verify says plainly that nothing outside the ledger anchors it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { copyFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { runCli } from './support/cli.js';
import { copyTempRepo, createTempRepo, type TempRepo } from './support/repo.js';
import { extractZip } from './support/tools.js';

let repo: TempRepo;
let ledger: string;
let version = 0;

async function recordOne(): Promise<void> {
  version += 1;
  await repo.write('model.bin', `weights ${version}`);
  repo.commit(`train ${version}`);
  const run = await runCli(
    ['record', '--key', 'keys/team.key.pem', '--models', 'model.bin'],
    repo.dir,
    repo.env,
  );
  expect(run.status).toBe(0);
}

/** Removes the newest `count` records and their checkpoints, as a repository admin could. */
async function dropNewest(count: number): Promise<void> {
  const records = (await readdir(ledger)).filter((name) => name.endsWith('.sigstore.json')).sort();
  for (const name of records.slice(-count)) {
    await rm(join(ledger, name));
    await rm(join(ledger, 'checkpoints', `model-ledger-${name.slice(0, 6)}.checkpoint`));
  }
}

const verify = (...extra: string[]) =>
  runCli(['verify', '--key', 'keys/team.pub.pem', ...extra], repo.dir, repo.env);

/** The ledger of five records, and the auditor's copy of its checkpoint, saved outside it: made once, copied for each test. */
let template: TempRepo;
beforeAll(async () => {
  repo = template = await createTempRepo();
  // A stable origin for every copy: github.com/acme/model#main, from the remote.
  repo.git('remote', 'add', 'origin', 'https://github.com/acme/model.git');
  ledger = join(repo.dir, '.model-ledger');
  expect((await runCli(['keygen', '--out', 'keys/team'], repo.dir, repo.env)).status).toBe(0);
  for (let n = 0; n < 5; n++) await recordOne();
  const saved = await runCli(
    ['checkpoint', '--key', 'keys/team.pub.pem', '--out', 'audit/cp5'],
    repo.dir,
    repo.env,
  );
  expect(saved.status).toBe(0);
}, 60_000);
afterAll(async () => {
  await template.cleanup();
});
beforeEach(async () => {
  repo = await copyTempRepo(template);
  ledger = join(repo.dir, '.model-ledger');
});
afterEach(async () => {
  await repo.cleanup();
});

/** Each way a key holder or repository admin can change history, and what verify then says. */
const cases: [string, () => Promise<void>, RegExp][] = [];

describe('verify --checkpoint', () => {
  it('passes a ledger that extends the checkpoint, and says plainly when nothing anchors it', async () => {
    const note = await readFile(join(repo.dir, 'audit/cp5'), 'utf8');
    expect(note).toMatch(/^github\.com\/acme\/model#main\n5\n[A-Za-z0-9+/]{43}=\n\n\u2014 /);
    await recordOne();
    const anchored = await verify('--checkpoint', 'audit/cp5');
    expect(anchored.status).toBe(0);
    expect(anchored.stdout).toMatch(/anchored: extends audit\/cp5 \(5 records\)/);
    expect(anchored.stderr).not.toMatch(/no checkpoint or witness given/);

    const bare = await verify();
    expect(bare.status).toBe(0);
    expect(bare.stderr).toMatch(/notice: no checkpoint or witness given: truncation of recent records/);
    const json = JSON.parse((await verify('--json')).stdout) as {
      checkpoint: { anchored: boolean; size: number };
    };
    expect(json.checkpoint).toMatchObject({ anchored: false, size: 6 });
  });

  cases.push(
    [
      'one record truncated',
      () => dropNewest(1),
      /FAIL TRUNCATED: checkpoint audit\/cp5 covers 5 records, but the ledger holds 4/,
    ],
    [
      'three records truncated',
      () => dropNewest(3),
      /FAIL TRUNCATED: .*covers 5 records, but the ledger holds 2: records 2–4 were removed/,
    ],
    [
      'rolled back two records and appended two others',
      async () => {
        await dropNewest(2);
        await recordOne();
        await recordOne();
      },
      /FAIL INCONSISTENT: the ledger's first 5 records are not those checkpoint audit\/cp5 covered/,
    ],
    [
      'a middle record rewritten and the chain re-linked with the real key',
      async () => {
        await dropNewest(3);
        for (let n = 0; n < 3; n++) await recordOne();
      },
      /FAIL INCONSISTENT/,
    ],
    [
      'the whole ledger replaced by another signed with the same key',
      async () => {
        await rm(ledger, { recursive: true });
        for (let n = 0; n < 6; n++) await recordOne();
      },
      /FAIL INCONSISTENT/,
    ],
    [
      'a fork of the checkpoint: another fifth record in its place, then more',
      async () => {
        await dropNewest(1);
        await recordOne();
        await recordOne();
      },
      /FAIL INCONSISTENT: the ledger's first 5 records are not those checkpoint audit\/cp5 covered/,
    ],
  );
  for (const [name, tamper, expected] of cases) {
    it(`fails given an earlier checkpoint: ${name}`, async () => {
      await tamper();
      const plain = await verify();
      expect(plain.status).toBe(0); // consistent with itself: only an anchor shows it
      const run = await verify('--checkpoint', 'audit/cp5');
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(expected);
    });
  }

  it('takes a pinned statement digest as an anchor', async () => {
    const head = JSON.parse((await verify('--json')).stdout) as { head: { statementSha256: string } };
    const pin = `sha256:${head.head.statementSha256}`;
    expect((await verify('--checkpoint', pin)).status).toBe(0);
    await dropNewest(1);
    const run = await verify('--checkpoint', pin);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/FAIL TRUNCATED: no record of the ledger has statement sha256:/);
  });

  it("catches a stored checkpoint that is ahead of the records, or not the ledger key's", async () => {
    await rm(join(ledger, (await readdir(ledger)).filter((name) => name.startsWith('000004-'))[0] as string));
    const ahead = await verify();
    expect(ahead.status).toBe(1);
    expect(ahead.stderr).toMatch(
      /FAIL TRUNCATED: checkpoint .*model-ledger-000004\.checkpoint covers 5 records, but the ledger holds 4/,
    );

    await rm(join(ledger, 'checkpoints', 'model-ledger-000004.checkpoint'));
    const last = join(ledger, 'checkpoints', 'model-ledger-000003.checkpoint');
    const note = await readFile(last, 'utf8');
    await writeFile(last, note.replace(/\n\n[\s\S]*$/, '\n\n\u2014 local:x#main AAAAAAAA\n'));
    const forged = await verify();
    expect(forged.status).toBe(1);
    expect(forged.stderr).toMatch(
      /FAIL CHECKPOINT: the ledger's checkpoint .* is not signed by the ledger's key/,
    );
  });

  it('refuses a malformed or foreign checkpoint file with a clear problem', async () => {
    await writeFile(join(repo.dir, 'audit/bad'), 'not a checkpoint\n');
    const bad = await verify('--checkpoint', 'audit/bad');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/FAIL CHECKPOINT: checkpoint audit\/bad is malformed/);
    const missing = await verify('--checkpoint', 'audit/none');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/audit\/none.*does not exist/);
  });
});

describe('record, before linking, checks the stored checkpoint against the records', () => {
  const checkpoints = () => join(ledger, 'checkpoints');
  const recordRun = async () => {
    version += 1;
    await repo.write('model.bin', `weights ${version}`);
    repo.commit(`train ${version}`);
    return runCli(['record', '--key', 'keys/team.key.pem', '--models', 'model.bin'], repo.dir, repo.env);
  };

  it('refuses a ledger rewritten with the real key whose checkpoint was left as it was', async () => {
    const saved = await readFile(join(checkpoints(), 'model-ledger-000004.checkpoint'), 'utf8');
    await dropNewest(2);
    await recordOne();
    await recordOne();
    // The rewriter re-signed records 3 and 4, and put back the checkpoint the auditors had seen.
    await writeFile(join(checkpoints(), 'model-ledger-000004.checkpoint'), saved);
    const before = (await readdir(ledger)).sort();
    const run = await recordRun();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /INCONSISTENT: the ledger's first 5 records are not those its checkpoint .*model-ledger-000004\.checkpoint covered .*: its history was rewritten/,
    );
    expect((await readdir(ledger)).sort()).toEqual(before);
  });

  it('checks a checkpoint older than the head against the record at its size', async () => {
    const saved = await readFile(join(checkpoints(), 'model-ledger-000003.checkpoint'), 'utf8');
    await dropNewest(2);
    await recordOne();
    await recordOne();
    await recordOne();
    // Only the old checkpoint of four records is left; the newer ones were removed.
    for (const name of await readdir(checkpoints())) await rm(join(checkpoints(), name));
    await writeFile(join(checkpoints(), 'model-ledger-000003.checkpoint'), saved);
    const run = await recordRun();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/INCONSISTENT: the ledger's first 4 records are not those its checkpoint/);
  });

  it('links to a ledger whose checkpoints agree, old or new', async () => {
    expect((await recordRun()).status).toBe(0);
    await rm(join(checkpoints(), 'model-ledger-000005.checkpoint'));
    expect((await recordRun()).status).toBe(0);
  });

  it('refuses a checkpoint file that is not a checkpoint', async () => {
    await writeFile(join(checkpoints(), 'model-ledger-000004.checkpoint'), 'garbage\n');
    const run = await recordRun();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/model-ledger-000004\.checkpoint is not a checkpoint/);
  });
});

describe('model-ledger witness', () => {
  const witness = () =>
    runCli(
      [
        'witness',
        '--key',
        'keys/team.pub.pem',
        '--witness-key',
        'keys/witness.key.pem',
        '--state',
        'witness-state',
      ],
      repo.dir,
      repo.env,
    );

  it('cosigns checkpoints the ledger extends across runs, refuses a rewrite, and verify requires its cosignature', async () => {
    expect((await runCli(['keygen', '--ed25519', '--out', 'keys/witness'], repo.dir, repo.env)).status).toBe(
      0,
    );
    const first = await witness();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      /^cosigned: github\.com\/acme\/model#main at 5 record\(s\) \(first cosignature\)/,
    );
    await recordOne();
    const second = await witness();
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/at 6 record\(s\), extending the 5 cosigned before/);

    const state = join(
      repo.dir,
      'witness-state',
      (await readdir(join(repo.dir, 'witness-state')))[0] as string,
    );
    const cosigned = await readFile(join(state, 'latest.checkpoint'), 'utf8');
    // The ledger's own signature and the witness's cosignature on one note.
    expect(cosigned.split('\n').filter((line) => line.startsWith('\u2014 '))).toHaveLength(2);
    await copyFile(join(state, 'latest.checkpoint'), join(repo.dir, 'audit/witnessed'));
    const ok = await verify('--checkpoint', 'audit/witnessed', '--witness-key', 'keys/witness.pub.pem');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/cosigned by witness-[0-9a-f]{16}/);
    // A checkpoint without the witness's cosignature does not satisfy --witness-key.
    const unwitnessed = await verify('--checkpoint', 'audit/cp5', '--witness-key', 'keys/witness.pub.pem');
    expect(unwitnessed.status).toBe(1);
    expect(unwitnessed.stderr).toMatch(/FAIL UNWITNESSED: no checkpoint given carries 1 cosignature/);

    // Third scheduled run: history was rewritten with the real key. The witness refuses.
    await dropNewest(2);
    await recordOne();
    await recordOne();
    const refused = await witness();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /REFUSED INCONSISTENT: the ledger's first 6 records are not those checkpoint/,
    );
    expect(refused.stderr).toMatch(/what it saw is kept in .*refused-/);
    expect(await readFile(join(state, 'latest.checkpoint'), 'utf8')).toBe(cosigned);
  });

  it('packs a cosigned checkpoint with export --cosigned, which verify --pack checks with the witness key', async () => {
    expect((await runCli(['keygen', '--ed25519', '--out', 'keys/witness'], repo.dir, repo.env)).status).toBe(
      0,
    );
    expect((await witness()).status).toBe(0);
    const state = join(
      repo.dir,
      'witness-state',
      (await readdir(join(repo.dir, 'witness-state')))[0] as string,
    );
    const exported = await runCli(
      [
        'export',
        '--out',
        'pack.zip',
        '--sign-key',
        'keys/team.key.pem',
        '--cosigned',
        join(state, 'latest.checkpoint'),
      ],
      repo.dir,
      repo.env,
    );
    expect(exported.stderr).toBe('');
    expect(exported.status).toBe(0);
    const pack = join(repo.dir, 'pack');
    await extractZip(await readFile(join(repo.dir, 'pack.zip')), pack);
    const verifyMd = await readFile(join(pack, 'VERIFY.md'), 'utf8');
    expect(verifyMd).toContain(
      'node model-ledger.mjs verify --pack . --checkpoint witnessed/latest.checkpoint --witness-key WITNESS.pub.pem',
    );
    const ok = await runCli(
      [
        'verify',
        '--pack',
        '.',
        '--checkpoint',
        'witnessed/latest.checkpoint',
        '--witness-key',
        join(repo.dir, 'keys/witness.pub.pem'),
      ],
      pack,
      { HOME: pack },
    );
    expect(ok.stderr).not.toContain('FAIL');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/cosigned by witness-[0-9a-f]{16}/);
    // Another ledger's checkpoint is refused, naming the flag.
    await writeFile(
      join(repo.dir, 'foreign.checkpoint'),
      (await readFile(join(state, 'latest.checkpoint'), 'utf8')).replace(
        /^[^\n]+/,
        'github.com/acme/other#main',
      ),
    );
    const foreign = await runCli(
      ['export', '--out', 'pack2.zip', '--cosigned', 'foreign.checkpoint'],
      repo.dir,
      repo.env,
    );
    expect(foreign.status).toBe(2);
    expect(foreign.stderr).toMatch(
      /foreign\.checkpoint: --cosigned: is a checkpoint of github\.com\/acme\/other#main, not of this ledger/,
    );
  });

  for (const [name] of cases) {
    it(`refuses to cosign after the witnessed checkpoint: ${name}`, async () => {
      expect(
        (await runCli(['keygen', '--ed25519', '--out', 'keys/witness'], repo.dir, repo.env)).status,
      ).toBe(0);
      expect((await witness()).status).toBe(0); // cosigns the five records
      const tamper = cases.find(([other]) => other === name)?.[1] as () => Promise<void>;
      await tamper();
      const refused = await witness();
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/^REFUSED (TRUNCATED|INCONSISTENT): /m);
    });
  }
});
