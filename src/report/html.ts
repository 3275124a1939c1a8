/**
 * report.html: one static, self-contained page. Styles and script are inline and pinned by hash in
 * a Content-Security-Policy that allows no network at all; the records are embedded as JSON in a
 * `<script type="application/json">`, escaped so that no value can close that element.
 */
import { createHash } from 'node:crypto';

import { REPORT_SCRIPT } from './html-script.js';
import { REPORT_STYLE } from './html-style.js';
import type { ReportData } from './report-data.js';

/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * JSON that is safe inside a `<script>` element: `<`, `>` and `&` are written as \u escapes (so
 * neither `</script>` nor `<!--` can appear), as are U+2028 and U+2029. JSON.parse reads it back unchanged.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The regulatory frameworks, and where each asks for what the records hold. */
const FRAMEWORKS: [string, string, string, string, string][] = [
  [
    'Version and relation to the previous version',
    'Annex IV 1(a): the version of the system, reflecting its relation to previous versions; Art. 12(1): automatic recording of events over the lifetime of the system',
    '§11.10(e): secure, computer-generated, time-stamped audit trail; record changes must not obscure previously recorded information',
    'Model inventory: each model and its versions; documentation of changes',
    'chain.index, chain.previous (statement and bundle sha256), subjects and their sha256, commit',
  ],
  [
    'Datasets and their provenance',
    'Annex IV 2(d): training data sets, their provenance, scope and main characteristics, how the data was obtained and selected',
    '§11.10(e) and (b): the inputs of a record, accurate and complete, retrievable as exact copies',
    'Model development: data quality, relevance and lineage',
    'datasets[]: name, digest, file manifest, rows, location, declared lineage, description (source, licence…)',
  ],
  [
    'Responsible persons and the meaning of their approval',
    'Annex IV 2(g): test logs and reports dated and signed by the responsible persons',
    '§11.50: printed name of the signer, date and time, and the meaning of the signature (review, approval, authorship); §11.70: signatures linked to their records',
    'Governance: roles and responsibilities, owners, independent review and approval',
    'change.implementedBy, change.approvedBy, pull request reviews (reviewer, state, commit, time), signer identity and signing mode. The signature attests that the build produced the record, not that anyone reviewed it: approval is what the reviews say',
  ],
  [
    'Test and metric results, with dates',
    'Annex IV 2(g): validation and testing procedures, metrics, dated test logs',
    '§11.10(e): time-stamped records of actions; §11.10(a): validation',
    'Model validation: ongoing monitoring and outcomes analysis, with their results',
    'training.run metrics and parameters, policy results, recordedAt',
  ],
  [
    'Changes through the lifecycle',
    'Annex IV 6: relevant changes made to the system through its lifecycle',
    '§11.10(e): who changed what and when, without obscuring what was there before (the hash chain)',
    'Change control: changes to models in use are documented and approved',
    'change.reason, pull request, commit, and the difference from the previous record',
  ],
];

export function renderReportHtml(data: ReportData): string {
  const title = `Model ledger evidence — ${data.origin ?? 'ledger'}`;
  const csp = [
    "default-src 'none'",
    `style-src ${cspHash(REPORT_STYLE)}`,
    `script-src ${cspHash(REPORT_SCRIPT)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const frameworkRows = FRAMEWORKS.map(
    (row) =>
      `<tr><th scope="row">${row.map((cell, index) => (index === 0 ? `${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="model-ledger ${escapeHtml(data.tool.version)}">
<title>${escapeHtml(title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<a class="skip" href="#records">Skip to the records</a>
<header>
<h1>Model ledger evidence</h1>
<p>Ledger <code>${escapeHtml(data.origin ?? 'unknown')}</code>, records ${data.range.from} to ${data.range.to}
(the pack holds records 0 to ${data.range.to}). Pack made ${escapeHtml(data.generatedAt)} by model-ledger ${escapeHtml(data.tool.version)}.</p>
<div id="verdict" class="verdict" role="status"></div>
<div id="problems"></div>
<div id="alerts"></div>
<p class="note">This page shows what <code>index.json</code> says. To rely on it, verify the pack with the commands in
<code>VERIFY.md</code>: they check every signature and link from the files alone, offline.</p>
<noscript><p>This page needs JavaScript to show the records; the same data is in <code>index.json</code>.</p></noscript>
</header>
<nav aria-label="Sections"><ul>
<li><a href="#records">Records</a></li><li><a href="#detail-section">Record details</a></li>
<li><a href="#compare">Compare two records</a></li><li><a href="#regulatory">Regulatory record-keeping</a></li>
</ul></nav>
<main>
<section id="records" aria-labelledby="records-heading">
<h2 id="records-heading">Records</h2>
<form id="filters" class="filters" role="search" aria-label="Filter the records">
<div class="wide"><label for="f-search">Search</label><input id="f-search" type="search" placeholder="actor, commit, model, reason, digest…" autocomplete="off"></div>
<div><label for="f-since">Recorded from</label><input id="f-since" type="date"></div>
<div><label for="f-until">Recorded until</label><input id="f-until" type="date"></div>
<div><label for="f-model">Model</label><select id="f-model"><option value="">Any model</option></select></div>
<div><label for="f-dataset">Dataset</label><select id="f-dataset"><option value="">Any dataset</option></select></div>
<div><label for="f-actor">Actor</label><select id="f-actor"><option value="">Anyone</option></select></div>
<div><label for="f-policy">Policy outcome</label><select id="f-policy"><option value="">Any outcome</option><option value="pass">pass</option><option value="warn">warn</option><option value="fail">fail</option><option value="none">no policy</option></select></div>
<div><label for="f-status">Verification</label><select id="f-status"><option value="">Any</option><option value="verified">verified</option><option value="failed">failed</option></select></div>
<div><button type="reset">Clear filters</button></div>
</form>
<div class="toolbar">
<p id="count" aria-live="polite"></p>
<button type="button" id="export-csv">Download the shown records as CSV</button>
<button type="button" id="export-json">Download as JSON</button>
<span id="export-status" class="muted" aria-live="polite"></span>
</div>
<table class="timeline" id="timeline">
<caption>Timeline of the records, oldest first, with their verification when the pack was made</caption>
<thead><tr><th scope="col">#</th><th scope="col">Recorded</th><th scope="col">Verification</th><th scope="col">Actor</th><th scope="col">Commit</th><th scope="col">Models</th><th scope="col">Datasets</th><th scope="col">Policy</th><th scope="col">Reason</th><th scope="col" class="no-print">Details</th></tr></thead>
<tbody id="timeline-body"></tbody>
</table>
<p id="more" class="no-print"></p>
</section>
<section id="detail-section" aria-labelledby="detail-heading">
<h2 id="detail-heading">Record details</h2>
<div id="detail" class="detail" aria-live="polite"></div>
</section>
<section id="compare" aria-labelledby="compare-heading">
<h2 id="compare-heading">Compare two records</h2>
<form id="compare-form" class="compare-controls" aria-label="Choose two records to compare">
<div><label for="cmp-a">From</label><input id="cmp-a" type="number" min="0" step="1" inputmode="numeric" aria-describedby="cmp-hint"></div>
<div><label for="cmp-b">To</label><input id="cmp-b" type="number" min="0" step="1" inputmode="numeric" aria-describedby="cmp-hint"></div>
<div><button type="submit">Compare</button></div>
<p id="cmp-hint" class="muted">Record numbers, as in the timeline's first column.</p>
</form>
<div id="compare-out" aria-live="polite"></div>
</section>
<section id="regulatory" aria-labelledby="regulatory-heading">
<h2 id="regulatory-heading">Regulatory record-keeping</h2>
<p>Where each record holds what the EU AI Act (technical documentation, Annex IV; record-keeping, Art. 12),
FDA 21 CFR Part 11 (audit trails and electronic signatures) and model-risk guidance in the style of the Federal
Reserve's SR 11-7 (model inventory, validation, governance) ask for. This mapping is an aid for reviewers: it is
not legal advice, and a record does not by itself establish compliance.</p>
<table>
<caption>What is asked for, by whom, and where the record holds it</caption>
<thead><tr><th scope="col">Asked for</th><th scope="col">EU AI Act</th><th scope="col">21 CFR Part 11</th><th scope="col">SR 11-7</th><th scope="col">Record fields</th></tr></thead>
<tbody>
${frameworkRows}
</tbody>
</table>
<table class="regulatory">
<caption>For each record shown above (the filters apply)</caption>
<thead><tr><th scope="col">#</th><th scope="col">Version and relation to the previous version</th><th scope="col">Datasets and provenance</th><th scope="col">Responsible persons and meaning of approval</th><th scope="col">Tests and metrics, with dates</th><th scope="col">Lifecycle change</th></tr></thead>
<tbody id="regulatory-body"></tbody>
</table>
</section>
</main>
<script type="application/json" id="ledger-data">${scriptSafeJson(data)}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
