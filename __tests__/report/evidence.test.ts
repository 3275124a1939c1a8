import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sha256Hex } from '../../src/hash/file.js';
import { buildEvidencePack, writeEvidencePack } from '../../src/report/evidence.js';
import { loadLedger } from '../../src/report/load.js';
import type { ReportData } from '../../src/report/report-data.js';
import { createZip } from '../../src/report/zip.js';
import { LocalStore } from '../../src/store/local.js';
import { runCli } from '../support/cli.js';
import { keyedRepo, readZipEntries, recordVersion, tamperWithRecord } from '../support/report-ledger.js';
import type { TempRepo } from '../support/repo.js';
import { describeWithTools, extractZip } from '../support/tools.js';

/**
 * A ledger of 30 records made through the CLI, exported as an evidence pack, and verified from
 * the pack alone — unzipped into an empty folder, with the original ledger moved away — by
 * `model-ledger verify`, by the openssl/jq script in VERIFY.md, and by sha256sum.
 */
const RECORDS = 30;
let repo: TempRepo;
let packDir: string;
let zip: Buffer;
let rangeZip: Buffer;

function bash(script: string, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The openssl + jq script of VERIFY.md, as a reader would copy it. */
function opensslScript(verifyMd: string): string {
  const match = /```sh\n(# Check the pack with openssl[\s\S]*?)```/.exec(verifyMd);
  if (!match) throw new Error('VERIFY.md has no openssl script');
  return match[1] as string;
}

beforeAll(async () => {
  repo = await keyedRepo();
  for (let v = 0; v < RECORDS; v++) {
    // From version 10 a 900-file dataset whose manifest is stored beside the records; 5 more files from 20.
    await recordVersion(repo, v, v >= 10 ? { images: v >= 20 ? 905 : 900 } : {});
  }
  const run = await runCli(['export', '--out', 'evidence.zip'], repo.dir, repo.env);
  // This pack is left unsigned as a whole, so that VERIFY.md's chain checks meet each tamper case
  // first; evidence-signed.test.ts covers the signed manifest.
  expect(run.stderr).toBe(
    "notice: the pack's manifest is not signed (give --sign-key or --sign-keyless): index.json, report.html and SHA256SUMS are unsigned",
  );
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(
    new RegExp(
      `^wrote .*/evidence\\.zip \\(\\d+ bytes, sha256 [0-9a-f]{64}\\): records 0 to ${RECORDS - 1}, ${RECORDS} bundle\\(s\\) with the chain back to record 0; every record verified$`,
    ),
  );
  zip = await readFile(join(repo.dir, 'evidence.zip'));
  const range = await runCli(
    ['export', '--out', 'range.zip', '--from', '12', '--to', '29'],
    repo.dir,
    repo.env,
  );
  expect(range.status).toBe(0);
  rangeZip = await readFile(join(repo.dir, 'range.zip'));
  // Nothing but the pack: the ledger it came from is moved out of reach.
  await rename(join(repo.dir, '.model-ledger'), join(repo.dir, 'ledger-moved-away'));
  packDir = await mkdtemp(join(tmpdir(), 'model-ledger-pack-'));
  await extractZip(zip, packDir);
}, 300_000);
afterAll(async () => {
  await repo.cleanup();
  await rm(packDir, { recursive: true, force: true });
});

describe('an evidence pack of 30 records', () => {
  it('verifies offline from the pack alone with model-ledger verify', async () => {
    const run = await runCli(['verify', '--store', 'ledger'], packDir, {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: packDir,
    });
    expect(run.stderr).toMatch(/^notice: signer pinned to key [0-9a-f]{16}…, which signed record 0$/m);
    // The pack's own checkpoint is checked, but it is inside the pack: verify says nothing outside anchors it.
    expect(run.stderr).toMatch(/^notice: no checkpoint or witness given/m);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^ok: ${RECORDS} record\\(s\\) verified in .*/ledger; head is record ${RECORDS - 1} \\([0-9a-f]{64}\\)$`,
      ),
    );
  });

  it('lists every file with its sha256 in SHA256SUMS, which sha256sum checks', () => {
    const run = bash('sha256sum --quiet -c SHA256SUMS', packDir);
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('holds the bundles, keys, stored manifests, VERIFY.md, index.json and report.html', async () => {
    const listing = [...(await readZipEntries(zip)).keys()];
    expect([...listing].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))).toEqual(listing);
    expect(listing.filter((name) => /^ledger\/\d{6}-[0-9a-f]{12}\.sigstore\.json$/.test(name))).toHaveLength(
      RECORDS,
    );
    expect(listing.filter((name) => /^ledger\/keys\/[0-9a-f]{64}\.pub\.pem$/.test(name))).toHaveLength(1);
    const manifests = listing.filter((name) => /^ledger\/manifests\/[0-9a-f]{64}\.manifest\.txt$/.test(name));
    expect(manifests).toHaveLength(2); // 900 files, then 905
    for (const name of manifests) {
      expect(sha256Hex(await readFile(join(packDir, name)))).toBe(
        name.slice('ledger/manifests/'.length, -'.manifest.txt'.length),
      );
    }
    expect(listing).toEqual(expect.arrayContaining(['VERIFY.md', 'index.json', 'report.html', 'SHA256SUMS']));
    expect(listing).not.toContain('trusted_root.json'); // key-signed: no Sigstore trust needed

    const index = JSON.parse(await readFile(join(packDir, 'index.json'), 'utf8')) as ReportData & {
      files: { path: string; sha256: string; size: number }[];
      missing: string[];
    };
    expect(index.format).toBe('https://model-ledger.dev/evidence/v1');
    expect(index.range).toEqual({ from: 0, to: RECORDS - 1 });
    expect(index.verification).toEqual({
      ok: true,
      problems: [],
      notices: [
        expect.stringMatching(/^signer pinned to key/),
        expect.stringMatching(/^no checkpoint or witness given/),
      ],
    });
    expect(index.records).toHaveLength(RECORDS);
    expect(
      index.records.every((record) => record.signatureVerified && record.chainVerified && record.inRange),
    ).toBe(true);
    expect(index.missing).toEqual([]);
    for (const file of index.files) {
      expect(sha256Hex(await readFile(join(packDir, file.path)))).toBe(file.sha256);
    }
    const verifyMd = await readFile(join(packDir, 'VERIFY.md'), 'utf8');
    // The package is not published: the CLI comes from a release, as one file run with node.
    expect(verifyMd).not.toContain('npx');
    expect(verifyMd).toContain('dist/cli.js');
    expect(verifyMd).toContain('node model-ledger.mjs verify --store ledger');
    expect(verifyMd).toContain('cosign verify-blob-attestation');
    expect(verifyMd).toContain(`head is record ${RECORDS - 1}`);
  });
});

describe('export options', () => {
  it('exports a range with the chain back to record 0, and the same bytes for the same ledger and time', async () => {
    const ledger = await loadLedger({ store: new LocalStore(join(repo.dir, 'ledger-moved-away')) });
    const now = new Date('2026-01-02T03:04:05Z');
    const first = await buildEvidencePack({ ledger, from: 10, to: 12, now });
    const second = await buildEvidencePack({ ledger, from: 10, to: 12, now });
    expect(first.zip.equals(second.zip)).toBe(true);
    expect(first.data.range).toEqual({ from: 10, to: 12 });
    expect(first.data.records.map((record) => record.index)).toEqual([...Array(13).keys()]);
    expect(first.data.records.filter((record) => record.inRange).map((record) => record.index)).toEqual([
      10, 11, 12,
    ]);
    expect([...first.files.keys()].filter((name) => name.startsWith('ledger/manifests/'))).toHaveLength(1);
    // Written through the disk, one file in memory at a time, it is the same archive.
    const out = join(repo.dir, 'packs', 'range.zip');
    const written = await writeEvidencePack({ ledger, from: 10, to: 12, now, out });
    const bytes = await readFile(out);
    expect(bytes.equals(first.zip)).toBe(true);
    expect(written).toMatchObject({
      out,
      size: bytes.length,
      sha256: sha256Hex(bytes),
      missing: first.missing,
    });
    expect(await readdir(join(repo.dir, 'packs'))).toEqual(['range.zip']);
  });

  it('refuses to pack a record whose file changed after it was verified, and leaves nothing behind', async () => {
    const moved = join(repo.dir, 'ledger-moved-away');
    const ledger = await loadLedger({ store: new LocalStore(moved) });
    const row = ledger.rows[3];
    if (!row) throw new Error('the ledger has no record 3');
    const original = await readFile(join(moved, row.file));
    await writeFile(join(moved, row.file), Buffer.concat([original, Buffer.from('\n')]));
    try {
      const out = join(repo.dir, 'changed', 'pack.zip');
      await expect(writeEvidencePack({ ledger, out })).rejects.toMatchObject({
        code: 'STORE',
        message: expect.stringContaining('record 3 changed after it was verified'),
      });
      expect(await readdir(join(repo.dir, 'changed'))).toEqual([]);
    } finally {
      await writeFile(join(moved, row.file), original);
    }
  });

  it('refuses a range outside the ledger, --since-release for a local ledger, and no --out', async () => {
    await rename(join(repo.dir, 'ledger-moved-away'), join(repo.dir, '.model-ledger'));
    try {
      const range = await runCli(
        ['export', '--out', 'x.zip', '--from', '5', '--to', '99'],
        repo.dir,
        repo.env,
      );
      expect(range.status).toBe(2);
      expect(range.stderr).toContain(
        `records 5 to 99 are not a range of this ledger (records 0 to ${RECORDS - 1})`,
      );
      const release = await runCli(
        ['export', '--out', 'x.zip', '--since-release', 'v1.0.0'],
        repo.dir,
        repo.env,
      );
      expect(release.status).toBe(2);
      expect(release.stderr).toContain('--since-release needs a ledger kept as GitHub release assets');
      const out = await runCli(['export'], repo.dir, repo.env);
      expect(out.status).toBe(2);
      expect(out.stderr).toContain('--out is required');
    } finally {
      await rename(join(repo.dir, '.model-ledger'), join(repo.dir, 'ledger-moved-away'));
    }
  });
});

describeWithTools(['jq', 'openssl'])('the openssl and jq script of VERIFY.md', () => {
  it('verifies with the openssl and jq commands of VERIFY.md', async () => {
    const verifyMd = await readFile(join(packDir, 'VERIFY.md'), 'utf8');
    const run = bash(opensslScript(verifyMd), packDir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(RECORDS);
    expect(
      lines.every((line) => /^ledger\/\d{6}-[0-9a-f]{12}\.sigstore\.json: signature and link OK$/.test(line)),
    ).toBe(true);
  });

  it('fails the openssl script on an edited record', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'model-ledger-pack-edited-'));
    try {
      await cp(packDir, copy, { recursive: true });
      const bundles = (await readdir(join(copy, 'ledger')))
        .filter((name) => name.endsWith('.sigstore.json'))
        .sort();
      await tamperWithRecord(join(copy, 'ledger', bundles[17] as string));
      const run = bash(opensslScript(await readFile(join(copy, 'VERIFY.md'), 'utf8')), copy);
      expect(run.status).toBe(1);
      expect(run.stdout.trim().split('\n').at(-1)).toBe(`ledger/${bundles[17]}: BAD SIGNATURE`);
      const verify = await runCli(['verify', '--store', 'ledger'], copy, { HOME: copy });
      expect(verify.status).toBe(1);
      expect(verify.stderr).toContain('FAIL BAD_SIGNATURE: record 17');
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});

/** A copy of the unzipped pack to tamper with, removed afterwards. */
async function withPackCopy(work: (copy: string, bundles: string[]) => Promise<void>): Promise<void> {
  const copy = await mkdtemp(join(tmpdir(), 'model-ledger-pack-copy-'));
  try {
    await cp(packDir, copy, { recursive: true });
    const bundles = (await readdir(join(copy, 'ledger')))
      .filter((name) => name.endsWith('.sigstore.json'))
      .sort();
    await work(copy, bundles);
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

describeWithTools(['jq', 'openssl'])("VERIFY.md's openssl loop catches what it says it catches", () => {
  it('fails on a deleted first record, a deleted middle record and a renamed file', async () => {
    await withPackCopy(async (copy, bundles) => {
      await rm(join(copy, 'ledger', bundles[0] as string));
      const run = bash(opensslScript(await readFile(join(copy, 'VERIFY.md'), 'utf8')), copy);
      expect(run.status).toBe(1);
      expect(run.stdout.trim().split('\n').at(-1)).toBe(
        `ledger/${bundles[1]}: expected record 0 here: a record is missing or renamed`,
      );
    });
    await withPackCopy(async (copy, bundles) => {
      await rm(join(copy, 'ledger', bundles[12] as string));
      const run = bash(opensslScript(await readFile(join(copy, 'VERIFY.md'), 'utf8')), copy);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`ledger/${bundles[13]}: expected record 12 here`);
    });
    await withPackCopy(async (copy, bundles) => {
      const name = bundles[5] as string;
      await rename(
        join(copy, 'ledger', name),
        join(copy, 'ledger', `${name.slice(0, 7)}000000000000.sigstore.json`),
      );
      const run = bash(opensslScript(await readFile(join(copy, 'VERIFY.md'), 'utf8')), copy);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(
        /000005-000000000000\.sigstore\.json: its name is not its index and statement digest: renamed/,
      );
    });
  });
});

/** The sh blocks of VERIFY.md section 5, exactly as written. */
function checkpointCommands(verifyMd: string): string[] {
  const section = verifyMd.slice(verifyMd.indexOf('## 5. The checkpoint'));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] as string);
}

describeWithTools(['python3', 'openssl'])('the checkpoint of the pack (VERIFY.md section 5)', () => {
  it('ships the signed checkpoint, the standard-library script and inclusion proofs, and its steps pass', async () => {
    const verifyMd = await readFile(join(packDir, 'VERIFY.md'), 'utf8');
    const [root, included, signature, extendsOld] = checkpointCommands(verifyMd);
    const checked = bash(root as string, packDir);
    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
    expect(checked.stdout).toMatch(
      new RegExp(`^size ${RECORDS}\nroot [A-Za-z0-9+/]{43}=\n.*the first ${RECORDS} records have its root`),
    );
    const inclusion = bash(included as string, packDir);
    expect(inclusion.stderr).toBe('');
    expect(inclusion.status).toBe(0);
    expect(inclusion.stdout.trim().split('\n')).toHaveLength(RECORDS);
    const signed = bash(signature as string, packDir);
    expect(signed.stdout).toMatch(/Verified OK/);
    expect(signed.status).toBe(0);
    expect(extendsOld).toMatch(/python3 ledger-root\.py ledger OLD\.checkpoint/);
    const proofs = JSON.parse(await readFile(join(packDir, 'proofs/inclusion.json'), 'utf8')) as {
      treeSize: number;
      proofs: { index: number; proof: string[] }[];
    };
    expect(proofs.treeSize).toBe(RECORDS);
    expect(proofs.proofs).toHaveLength(RECORDS);
    expect(verifyMd).toMatch(/SHA256SUMS.*\*\*Not signed\*\*/);
  });

  it('fails the steps on a pack whose newest record was removed, or whose checkpoint was edited', async () => {
    await withPackCopy(async (copy, bundles) => {
      await rm(join(copy, 'ledger', bundles.at(-1) as string));
      const [root] = checkpointCommands(await readFile(join(copy, 'VERIFY.md'), 'utf8'));
      const run = bash(root as string, copy);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`TRUNCATED: .* covers ${RECORDS} records, the ledger holds ${RECORDS - 1}`),
      );
    });
    await withPackCopy(async (copy) => {
      const verifyMd = await readFile(join(copy, 'VERIFY.md'), 'utf8');
      const file = /python3 ledger-root\.py ledger (\S+)/.exec(verifyMd)?.[1] as string;
      const note = await readFile(join(copy, file), 'utf8');
      await writeFile(
        join(copy, file),
        note.replace(/^([^\n]+\n\d+\n)[^\n]+/, `$1${Buffer.alloc(32).toString('base64')}`),
      );
      const [root, included, signature] = checkpointCommands(verifyMd);
      expect(bash(root as string, copy).stderr).toMatch(/INCONSISTENT/);
      expect(bash(included as string, copy).stderr).toMatch(/NOT INCLUDED: ledger\/000000-/);
      expect(bash(signature as string, copy).stdout).toMatch(/Verification failure/);
    });
  });
});

describeWithTools(['python3'])('a pack of records 12 to 29, checked without the records before them', () => {
  it('proves each record of the range is in the checkpoint, and fails an edited one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'model-ledger-range-pack-'));
    try {
      await extractZip(rangeZip, dir);
      const bundles = (await readdir(join(dir, 'ledger')))
        .filter((name) => name.endsWith('.sigstore.json'))
        .sort();
      for (const name of bundles.slice(0, 12)) await rm(join(dir, 'ledger', name));
      const verifyMd = await readFile(join(dir, 'VERIFY.md'), 'utf8');
      const included = checkpointCommands(verifyMd)[1] as string;
      expect(included).toMatch(/^python3 ledger-root\.py --inclusion proofs\/inclusion\.json /);
      const run = bash(included, dir);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines).toHaveLength(18);
      expect(lines[0]).toMatch(
        /^ledger\/000012-[0-9a-f]{12}\.sigstore\.json: record 12 of ledger\/checkpoints\/model-ledger-000029\.checkpoint$/,
      );

      await tamperWithRecord(join(dir, 'ledger', bundles[20] as string));
      const edited = bash(included, dir);
      expect(edited.status).toBe(1);
      expect(edited.stderr.trim()).toBe(
        `NOT INCLUDED: ledger/${bundles[20] as string} is not record 20 of the tree of ledger/checkpoints/model-ledger-000029.checkpoint`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describeWithTools(['unzip'])('the zip writer', () => {
  it('writes the pack so that unzip extracts, entry for entry, what our reader reads', async () => {
    const unzipped = await mkdtemp(join(tmpdir(), 'model-ledger-unzip-'));
    try {
      execFileSync('unzip', ['-q', join(repo.dir, 'evidence.zip'), '-d', unzipped]);
      const entries = await readZipEntries(zip);
      expect(entries.size).toBeGreaterThan(RECORDS + 4);
      for (const [name, bytes] of entries)
        expect(bytes.equals(await readFile(join(unzipped, name)))).toBe(true);
    } finally {
      await rm(unzipped, { recursive: true, force: true });
    }
  });

  it('writes sorted entries with one timestamp that unzip and our reader accept', async () => {
    const big = Buffer.from('model-ledger '.repeat(1000));
    const archive = createZip([
      { name: 'z/last.txt', data: 'last\n' },
      { name: 'a.bin', data: Buffer.from([0, 1, 2, 255]) },
      { name: 'dir/big.txt', data: big },
      { name: 'ümlaut.txt', data: '' },
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'model-ledger-zip-'));
    try {
      await writeFile(join(dir, 'test.zip'), archive);
      expect(execFileSync('unzip', ['-tq', 'test.zip'], { cwd: dir, encoding: 'utf8' })).toMatch(
        /No errors detected/,
      );
      const verbose = execFileSync('unzip', ['-Zl', 'test.zip'], { cwd: dir, encoding: 'utf8' });
      expect(verbose).toMatch(/-rw-r--r--.*80-Jan-01 00:00 a\.bin/);
      expect(verbose).toMatch(/defN.*dir\/big\.txt/); // deflated: smaller
      expect(verbose).toMatch(/stor.*a\.bin/); // stored: deflating would not help
      const entries = await readZipEntries(archive);
      expect([...entries.keys()]).toEqual(['a.bin', 'dir/big.txt', 'z/last.txt', 'ümlaut.txt']);
      expect(entries.get('dir/big.txt')?.equals(big)).toBe(true);
      expect(entries.get('ümlaut.txt')?.length).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses paths that could land outside the folder, and duplicates', () => {
    for (const name of ['../evil', '/abs', 'a//b', 'a\\b', './a', '']) {
      expect(() => createZip([{ name, data: 'x' }])).toThrow(/is not a relative POSIX path/);
    }
    expect(() =>
      createZip([
        { name: 'a', data: 'x' },
        { name: 'a', data: 'y' },
      ]),
    ).toThrow(/is in the archive twice/);
  });
});
