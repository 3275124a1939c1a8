import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium, type Browser, type Page } from 'playwright-core';

import { escapeHtml, renderReportHtml, scriptSafeJson } from '../../src/report/html.js';
import type { Statement } from '../../src/record/predicate.js';
import { reportRecord, type ReportData } from '../../src/report/report-data.js';
import { makePredicate } from '../support/predicate.js';
import { runCli } from '../support/cli.js';
import { keyedRepo, ledgerFiles, recordVersion, tamperWithRecord } from '../support/report-ledger.js';
import type { TempRepo } from '../support/repo.js';
import { reportMissing } from '../support/prerequisites.js';
import { syntheticReportData } from '../support/report-data.js';
import { extractZip } from '../support/tools.js';

/**
 * report.html of an evidence pack, opened from disk in headless Chromium (Debian's, driven by
 * playwright-core): filters, search, record details, comparison, CSV/JSON export, and a record
 * edited after signing shown as failed. The page must load nothing from the network.
 */
const CHROMIUM = '/usr/bin/chromium';
const INJECTION = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
const RECORDS = 8;
const TAMPERED = 3;

const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip; // reported below

if (!existsSync(CHROMIUM)) {
  // One clear line in the test output instead of a silent skip.
  reportMissing(`report.html browser tests skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);
}

let repo: TempRepo;
let packDir: string;
let browser: Browser | undefined;
let page: Page;
const requests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  repo = await keyedRepo();
  for (let v = 0; v < RECORDS; v++) {
    await recordVersion(repo, v, {
      ...(v >= 5 ? { images: 3 } : {}),
      ...(v === 6 ? { reason: `train version 6 ${INJECTION}` } : {}),
    });
  }
  await tamperWithRecord((await ledgerFiles(repo))[TAMPERED] as string);
  const exported = await runCli(['export', '--out', 'evidence.zip'], repo.dir, repo.env);
  expect(exported.status).toBe(1); // written, but verification failed
  expect(exported.stderr).toContain(`FAIL BAD_SIGNATURE: record ${TAMPERED}`);
  packDir = await mkdtemp(join(tmpdir(), 'model-ledger-report-'));
  await extractZip(await readFile(join(repo.dir, 'evidence.zip')), packDir);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') pageErrors.push(message.text());
  });
  await page.goto(pathToFileURL(join(packDir, 'report.html')).href);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (packDir) await rm(packDir, { recursive: true, force: true });
  await repo?.cleanup();
});

/** The records the timeline shows, by index (read as the page's data-index attributes). */
async function shownIndexes(): Promise<number[]> {
  const rows = page.locator('#timeline-body tr');
  const indexes: number[] = [];
  for (let row = 0; row < (await rows.count()); row++)
    indexes.push(Number(await rows.nth(row).getAttribute('data-index')));
  return indexes;
}

async function clearFilters(): Promise<void> {
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expectShown([...Array(RECORDS).keys()]);
}

/** Waits for the timeline to show exactly these records (the search box applies after a short pause). */
async function expectShown(indexes: number[]): Promise<void> {
  const rows = page.locator('#timeline-body tr');
  for (let waited = 0; (await rows.count()) !== indexes.length && waited < 5000; waited += 50) {
    await page.waitForTimeout(50);
  }
  expect(await shownIndexes()).toEqual(indexes);
}

describeInBrowser('report.html in Chromium', () => {
  it('lists every record, and says which failed verification when the pack was made', async () => {
    expect(await page.title()).toMatch(/^Model ledger evidence — local:model-ledger-test-/);
    await expectShown([...Array(RECORDS).keys()]);
    expect(await page.locator('#count').textContent()).toBe(`Showing ${RECORDS} of ${RECORDS} records.`);
    expect(await page.locator('#verdict').textContent()).toMatch(
      /verification FAILED: 2 of 8 records did not verify/,
    );
    const tampered = page.locator(`#timeline-body tr[data-index="${TAMPERED}"]`);
    expect(await tampered.getAttribute('class')).toContain('failed');
    expect(await tampered.locator('td.status').textContent()).toBe('✗ signature FAILED ✗ chain link FAILED');
    // The next record is signed, but its link to the edited record no longer holds.
    expect(
      await page.locator(`#timeline-body tr[data-index="${TAMPERED + 1}"] td.status`).textContent(),
    ).toBe('✓ signature verified ✗ chain link FAILED');
    expect(await page.locator('#timeline-body tr[data-index="0"] td.status').textContent()).toBe(
      '✓ signature verified ✓ chain link verified',
    );
    expect(await page.locator('#problems li').allTextContents()).toEqual([
      expect.stringMatching(new RegExp(`^BAD_SIGNATURE: record ${TAMPERED} `)),
      expect.stringMatching(new RegExp(`^BROKEN_LINK: record ${TAMPERED + 1} `)),
    ]);
  });

  it('filters by actor, dataset, verification and time window', async () => {
    await page.getByLabel('Actor').selectOption('grace@example.org');
    await expectShown([1, 3, 5, 7]);
    await page.getByLabel('Dataset').selectOption('images');
    await expectShown([5, 7]);
    expect(await page.locator('#count').textContent()).toBe(`Showing 2 of ${RECORDS} records (filtered).`);
    await clearFilters();
    await page.getByLabel('Verification').selectOption('failed');
    await expectShown([TAMPERED, TAMPERED + 1]);
    await clearFilters();
    await page.getByLabel('Recorded from').fill('2999-01-01');
    await expectShown([]);
    await clearFilters();
    await page.getByLabel('Policy outcome').selectOption('none');
    await expectShown([...Array(RECORDS).keys()]);
    await clearFilters();
  });

  it('searches across commits, digests, names and reasons', async () => {
    const index = JSON.parse(await readFile(join(packDir, 'index.json'), 'utf8')) as ReportData;
    const commit = index.records[2]?.commit?.sha as string;
    await page.getByLabel('Search').fill(commit.slice(0, 10));
    await expectShown([2]);
    await page.getByLabel('Search').fill('IMAGES');
    await expectShown([5, 6, 7]);
    await page.getByLabel('Search').fill('images grace');
    await expectShown([5, 7]);
    await page.getByLabel('Search').fill('no such thing anywhere');
    await expectShown([]);
    expect(await page.locator('#count').textContent()).toBe(`Showing 0 of ${RECORDS} records (filtered).`);
    await clearFilters();
  });

  it('does not lose the first click on Details after a search', async () => {
    await page.getByLabel('Search').fill('IMAGES');
    await expectShown([5, 6, 7]);
    // The click moves focus out of the search field, which fires its change event.
    await page.getByRole('button', { name: 'Show the details of record 6' }).click();
    expect(await page.locator('#detail-title').textContent()).toBe('Record 6');
    await page.getByLabel('Actor').selectOption('grace@example.org');
    await expectShown([5, 7]);
    await page.getByRole('button', { name: 'Show the details of record 5' }).click();
    expect(await page.locator('#detail-title').textContent()).toBe('Record 5');
    await clearFilters();
  });

  it('opens a record in detail from the keyboard: who, what, when, why, lineage and metrics', async () => {
    await page.getByRole('button', { name: 'Show the details of record 2' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#detail-title').textContent()).toBe('Record 2');
    // Focus moves to the record's heading, so a screen reader reads it next.
    expect(await page.locator('#detail-title:focus').count()).toBe(1);
    expect(new URL(page.url()).hash).toBe('#record-2');
    const detail = page.locator('#detail');
    const text = (await detail.textContent()) ?? '';
    for (const heading of [
      'Who',
      'When',
      'Why',
      'What',
      'Chain',
      'Regulatory record-keeping',
      'Changes since record 1',
    ]) {
      expect(await detail.getByRole('heading', { name: heading, exact: true }).count()).toBe(1);
    }
    expect(text).toContain('Implemented by');
    expect(text).toContain('Reason from');
    expect(text).toContain('train version 2');
    expect(
      await detail.locator('table').filter({ hasText: 'Datasets and lineage' }).locator('tbody tr').count(),
    ).toBe(2);
    expect(
      await detail.locator('table').filter({ hasText: 'Metrics (from training.yaml' }).textContent(),
    ).toContain('auc0.81');
    expect(text).toContain('Dependencies: pypi 2');

    await page.getByRole('button', { name: `Show the details of record ${TAMPERED}` }).click();
    const tampered = (await detail.textContent()) ?? '';
    expect(tampered).toContain('✗ signature FAILED');
    expect(tampered).toContain(`BAD_SIGNATURE: record ${TAMPERED}`);
    expect(tampered).toContain('This record did not verify: what it says below cannot be trusted.');
  });

  it('compares any two records', async () => {
    // The newest two by default; any two by number.
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe(String(RECORDS - 2));
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe(String(RECORDS - 1));
    await page.getByLabel('From', { exact: true }).fill('1');
    await page.getByLabel('To', { exact: true }).fill('6');
    await page.getByRole('button', { name: 'Compare' }).click();
    const out = page.locator('#compare-out');
    await out.getByRole('heading', { name: 'Record 1 → record 6' }).waitFor();
    const text = (await out.textContent()) ?? '';
    expect(text).toContain('pypi:pandas');
    expect(text).toContain('pypi:torchdowngraded2.1.02.0.0');
    expect(text).not.toContain('null');
    expect(await out.locator('table').filter({ hasText: 'Metrics' }).textContent()).toContain(
      'auc0.8050.83+0.025',
    );
    expect(await out.locator('table').filter({ hasText: 'Datasets' }).textContent()).toContain('images');
    // A number past the last record is refused by the form itself (max), and nothing is replaced.
    expect(await page.getByLabel('To', { exact: true }).getAttribute('max')).toBe(String(RECORDS - 1));
    await page.getByLabel('To', { exact: true }).fill('99');
    await page.getByRole('button', { name: 'Compare' }).click();
    expect(await out.getByRole('heading').first().textContent()).toBe('Record 1 → record 6');
  });

  it('exports the shown records as CSV and JSON', async () => {
    await page.getByLabel('Actor').selectOption('grace@example.org');
    await expectShown([1, 3, 5, 7]);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the shown records as CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('model-ledger-records.csv');
    const lines = (await readFile(await csv.path(), 'utf8')).trim().split('\r\n');
    expect(lines[0]).toBe(
      'index,recordedAt,actor,commit,workingTree,pullRequest,reason,models,modelSha256,pickle,datasets,policy,signingMode,signer,signatureVerified,chainVerified,statementSha256,file',
    );
    const index = JSON.parse(await readFile(join(packDir, 'index.json'), 'utf8')) as ReportData;
    expect(lines[1]).toContain(`,model/model.safetensors,${index.records[1]?.models[0]?.digest ?? 'none'},`);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['1', '3', '5', '7']);
    expect(lines[2]).toContain(',false,false,'); // the tampered record, as verified when the pack was made
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download as JSON' }).click(),
    ]);
    const rows = JSON.parse(await readFile(await json.path(), 'utf8')) as {
      index: number;
      datasets: string[];
    }[];
    expect(rows.map((row) => row.index)).toEqual([1, 3, 5, 7]);
    expect(rows[2]?.datasets).toEqual(['train', 'eval', 'images']);
    expect(await page.locator('#export-status').textContent()).toBe('Downloaded model-ledger-records.json.');
    await clearFilters();
  });

  it('shows record contents as text: a reason holding </script> and markup runs nothing', async () => {
    expect(await page.locator('#timeline-body tr[data-index="6"] td').nth(7).textContent()).toBe(
      `train version 6 ${INJECTION}`,
    );
    expect(await page.evaluate(() => Object.keys(globalThis).includes('__pwned'))).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it('maps every record to the regulatory record-keeping it serves', async () => {
    const section = page.locator('#regulatory');
    expect(await section.getByRole('columnheader').allTextContents()).toEqual(
      expect.arrayContaining(['EU AI Act', '21 CFR Part 11', 'SR 11-7']),
    );
    expect(await section.locator('#regulatory-body tr').count()).toBe(RECORDS);
    const row = (await section.locator('#regulatory-body tr[data-index="2"]').textContent()) ?? '';
    expect(row).toContain('follows record 1');
    expect(row).toContain('link verified');
    expect(row).toContain('auc = 0.81');
    expect(row).toContain('since record 1:');
    expect((await section.textContent()) ?? '').toContain('Annex IV');
  });

  it('is usable without a mouse or sight: labelled controls, live counts, headed tables', async () => {
    const controls = page.locator('input, select');
    const unlabelled: string[] = [];
    for (let n = 0; n < (await controls.count()); n++) {
      const id = (await controls.nth(n).getAttribute('id')) ?? '(no id)';
      if ((await page.locator(`label[for="${id}"]`).count()) !== 1) unlabelled.push(id);
    }
    expect(unlabelled).toEqual([]);
    expect(await page.locator('#count').getAttribute('aria-live')).toBe('polite');
    expect(await page.locator('#verdict').getAttribute('role')).toBe('status');
    expect(await page.locator('#timeline caption').textContent()).toContain('Timeline of the records');
  });

  it('says "development key — not evidence" instead of a green verdict, and shows pickle findings first', async () => {
    const statement = (index: number): Statement => ({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'evil.pt', digest: { sha256: 'a'.repeat(64) } }],
      predicateType: 'https://model-ledger.dev/record/v1',
      predicate: makePredicate({
        chain: { origin: 'local:demo#main', index, previous: null },
        signing: { mode: 'development-key' },
        models: [
          {
            name: 'evil.pt',
            kind: 'file',
            digest: { sha256: 'a'.repeat(64) },
            size: 1,
            warnings: [
              {
                code: 'PICKLE_UNSAFE_IMPORT',
                message: 'evil.pt: imports posix.system (GLOBAL at byte 2); do not load it',
              },
            ],
          },
        ],
      }),
    });
    const rows = [0, 1].map((index) => ({
      index,
      file: `ledger/00000${index}.sigstore.json`,
      location: 'x',
      ref: { index, name: 'x', uri: 'x' },
      bundle: Buffer.alloc(0),
      bundleSha256: 'b'.repeat(64),
      statementSha256: 'c'.repeat(64),
      signer: 'key:abc',
      claimedSigner: null,
      signingMode: 'development-key',
      recordedAt: '2026-11-26T10:00:00.000Z',
      signatureVerified: true,
      chainVerified: true,
      problems: [],
      statement: statement(index),
    }));
    const data: ReportData = {
      format: 'https://model-ledger.dev/evidence/v1',
      tool: { name: 'model-ledger', version: '0.0.0' },
      generatedAt: '2026-11-26T11:00:00.000Z',
      origin: 'local:demo#main',
      range: { from: 0, to: 1 },
      verification: { ok: true, problems: [], notices: [] },
      records: rows.map((row) => reportRecord(row, row.file, true)),
    };
    const file = join(packDir, 'development.html');
    await writeFile(file, renderReportHtml(data));
    const other = await page.context().newPage();
    try {
      await other.goto(pathToFileURL(file).href);
      const verdict = other.locator('#verdict');
      expect(await verdict.getAttribute('class')).toBe('verdict warn');
      expect(await verdict.textContent()).toMatch(/^⚠ Development key — not evidence: 2 of 2 records/);
      expect(await verdict.textContent()).not.toContain('all 2 records verified');
      expect(await other.locator('#alerts li').allTextContents()).toEqual([
        'record 0: evil.pt: UNSAFE pickle: loading it can run arbitrary code (imports posix.system)',
        'record 1: evil.pt: UNSAFE pickle: loading it can run arbitrary code (imports posix.system)',
      ]);
      expect(await other.locator('#timeline-body tr[data-index="0"] td.status').textContent()).toContain(
        'development key — not evidence',
      );
      expect(await other.locator('#detail').textContent()).toContain('Pickle findings');
    } finally {
      await other.close();
    }
  });

  it("builds a long ledger's rows a page at a time, while filters and search see every record", async () => {
    const RECORDS_LONG = 1_200;
    const data = syntheticReportData(RECORDS_LONG, {
      origin: 'local:long#main',
      reason: (index) => `change number ${index}`,
    });
    const file = join(packDir, 'long.html');
    await writeFile(file, renderReportHtml(data));
    const other = await page.context().newPage();
    try {
      await other.goto(pathToFileURL(file).href);
      const rows = other.locator('#timeline-body tr');
      expect(await rows.count()).toBe(200);
      expect(await other.locator('#regulatory-body tr').count()).toBe(200);
      expect(await other.locator('#count').textContent()).toBe(
        `Showing 200 of ${RECORDS_LONG} records: the first 200 of the ${RECORDS_LONG} that match.`,
      );
      await other.getByRole('button', { name: 'Show 200 more' }).click();
      expect(await rows.count()).toBe(400);
      await other.getByRole('button', { name: `Show all ${RECORDS_LONG}` }).click();
      expect(await rows.count()).toBe(RECORDS_LONG);
      expect(await other.getByRole('button', { name: /^Show \d+ more$/ }).count()).toBe(0);
      // A search reaches records past the first page.
      await other.locator('#f-search').fill('change number 1150');
      for (let waited = 0; (await rows.count()) !== 1 && waited < 5000; waited += 50)
        await other.waitForTimeout(50);
      expect(await rows.first().getAttribute('data-index')).toBe('1150');
      expect(await other.locator('#count').textContent()).toBe(
        `Showing 1 of ${RECORDS_LONG} records (filtered).`,
      );
    } finally {
      await other.close();
    }
  });

  it('prints without its controls, and loads nothing from the network', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#filters').isVisible()).toBe(false);
    expect(await page.locator('#export-csv').isVisible()).toBe(false);
    expect(await page.locator('#timeline').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    expect(requests.filter((url) => !url.startsWith('file://') && !url.startsWith('blob:'))).toEqual([]);
  });
});

describe('the report page, as text', () => {
  const data: ReportData = {
    format: 'https://model-ledger.dev/evidence/v1',
    tool: { name: 'model-ledger', version: '0.0.0' },
    generatedAt: '2026-01-01T00:00:00.000Z',
    origin: '<b>"ledger"</b>',
    range: { from: 0, to: 0 },
    verification: { ok: true, problems: [], notices: [] },
    records: [],
  };

  it('cannot be broken out of by what records hold', () => {
    const html = renderReportHtml({
      ...data,
      verification: { ok: false, problems: [INJECTION], notices: [] },
    });
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the data's and the code's, nothing else
    expect(html).not.toContain('<b>"ledger"</b>');
    expect(html).toContain(escapeHtml('<b>"ledger"</b>'));
    expect(JSON.parse(scriptSafeJson({ text: INJECTION, line: '\u2028' }))).toEqual({
      text: INJECTION,
      line: '\u2028',
    });
    expect(scriptSafeJson(INJECTION)).not.toMatch(/[<>&]/);
  });

  it('allows no network through its content security policy', () => {
    const html = renderReportHtml(data);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
  });
});
