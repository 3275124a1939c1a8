/** The report's stylesheet: legible on screen and on paper, status never told by colour alone. */
export const REPORT_STYLE = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #ffffff; --soft: #f6f8fa;
  --ok: #116329; --ok-bg: #dafbe1; --bad: #a40e26; --bad-bg: #ffebe9; --warn: #7d4e00; --warn-bg: #fff8c5;
  --focus: #0969da; }
* { box-sizing: border-box; }
html { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
body { margin: 0 auto; max-width: 1200px; padding: 0 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 1.25rem 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
a { color: #0550ae; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5rem; }
.skip:focus { left: .5rem; }
.muted { color: var(--muted); }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; margin: .5rem 0; }
.verdict { padding: .6rem .8rem; border-radius: 6px; margin: .75rem 0; font-weight: 600; }
.verdict.ok { background: var(--ok-bg); color: var(--ok); }
.verdict.fail { background: var(--bad-bg); color: var(--bad); }
.verdict.warn { background: var(--warn-bg); color: var(--warn); }
.alerts { border-left: 4px solid var(--bad); padding: .2rem .8rem; margin: .75rem 0; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 1rem; font-size: .85em; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.badge.ok { background: var(--ok-bg); color: var(--ok); border-color: #aceebb; }
.badge.fail { background: var(--bad-bg); color: var(--bad); border-color: #ffcecb; }
.badge.warn { background: var(--warn-bg); color: var(--warn); border-color: #f0d67a; }
.badge.none { background: var(--soft); color: var(--muted); border-color: var(--line); }
form.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: .6rem .9rem; align-items: end; background: var(--soft); padding: .8rem; border-radius: 6px; border: 1px solid var(--line); }
form.filters .wide { grid-column: span 2; }
label { display: block; font-size: .85rem; font-weight: 600; margin-bottom: .15rem; }
input, select, button { font: inherit; padding: .3rem .45rem; border: 1px solid #8c959f; border-radius: 6px; background: #fff; color: var(--fg); max-width: 100%; }
input, select { width: 100%; }
button { cursor: pointer; background: var(--soft); }
button:hover { background: #eaeef2; }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .6rem 0; }
.toolbar p { margin: 0 auto 0 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
tr.failed td { background: #fff5f5; }
tr.out-of-range td { color: var(--muted); }
.timeline td.when { white-space: nowrap; }
.detail { border: 1px solid var(--line); border-radius: 6px; padding: .25rem 1rem 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .4rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
ul.problems li { color: var(--bad); }
.compare-controls { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; }
.compare-controls div { min-width: 14rem; }
.note { border-left: 4px solid var(--line); padding: .2rem .8rem; color: var(--muted); }
.regulatory td { font-size: .9rem; }
@media print {
  html { font-size: 11pt; }
  body { max-width: none; padding: 0; }
  nav, form.filters, .toolbar button, .no-print, .skip, .compare-controls { display: none !important; }
  a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .85em; overflow-wrap: anywhere; }
  h2 { break-after: avoid; }
  tr, .detail, dl.facts { break-inside: avoid; }
  thead { display: table-header-group; }
  .badge { border: 1px solid currentColor; }
  tr.failed td { background: none; }
}
`;
