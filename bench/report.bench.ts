/**
 * Benchmark (not a test): report.html of 1,000 and 10,000 records in headless Chromium (Debian's,
 * /usr/bin/chromium): time to the load event and to a search's result, against a blank page
 * loaded in the same browser, and the page's size. Skipped when Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import { renderReportHtml } from '../src/report/html.js';
import { syntheticReportData } from '../__tests__/support/report-data.js';

const CHROMIUM = '/usr/bin/chromium';

export async function run(): Promise<string[]> {
  if (!existsSync(CHROMIUM)) return [`skipped: ${CHROMIUM} is not installed (apt-get install chromium)`];
  const sizes = process.env.BENCH_SMALL ? [1_000] : [1_000, 10_000];
  const dir = await mkdtemp(join(tmpdir(), 'model-ledger-report-bench-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const loadMs = async (file: string): Promise<number> => {
      const page = await browser.newPage();
      const started = performance.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const ms = performance.now() - started;
      await page.close();
      return ms;
    };
    const blank = join(dir, 'blank.html');
    await writeFile(blank, '<!doctype html><title>blank</title><p>blank</p>');
    await loadMs(blank); // warm the browser
    const blankMs = Math.min(await loadMs(blank), await loadMs(blank), await loadMs(blank));
    const lines = [
      `reference: a blank page loads in ${blankMs.toFixed(0)} ms`,
      '',
      '| records | report.html | load event | ratio to blank | search result |',
      '| ---: | ---: | ---: | ---: | ---: |',
    ];
    for (const size of sizes) {
      const file = join(dir, `report-${size}.html`);
      const html = renderReportHtml(syntheticReportData(size));
      await writeFile(file, html);
      const load = Math.min(await loadMs(file), await loadMs(file));
      const page = await browser.newPage();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      // The page applies a search 120 ms after the last keystroke; measured to the rendered result.
      const started = performance.now();
      await page.fill('#f-search', `retrain ${size - 7}`);
      // Polled from here: the page's content security policy allows no evaluated script.
      const rows = page.locator('#timeline-body tr');
      while ((await rows.count()) !== 1) await page.waitForTimeout(5);
      const searched = performance.now() - started - 120;
      await page.close();
      lines.push(
        `| ${size.toLocaleString('en-US')} | ${(html.length / 1024 / 1024).toFixed(1)} MB | ${load.toFixed(0)} ms | ${(load / blankMs).toFixed(1)}× | ${Math.max(0, searched).toFixed(0)} ms |`,
      );
    }
    lines.push('', 'Targets: load event under 1 s at 10,000 records; search and filters under 100 ms.');
    return lines;
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}
