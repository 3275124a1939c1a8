/**
 * The report's script: plain ES2017, no network, no innerHTML — every value from a record
 * reaches the page through textContent. It reads the data from the `ledger-data` JSON script and
 * renders the timeline, filters, search, record details, comparisons, exports and the regulatory
 * mapping. (Written without template literals: it lives inside one.)
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('ledger-data').textContent);
  var records = data.records;
  var $ = function (id) { return document.getElementById(id); };

  // ------------------------------------------------------------------------------------------
  // DOM helpers

  function h(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === 'text') node.textContent = String(value);
        else if (key === 'className') node.className = value;
        else if (key.indexOf('on') === 0) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : String(value));
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function code(text) { return h('code', { text: text }); }
  function link(text, url) {
    return /^https?:\/\//.test(url || '') ? h('a', { href: url, rel: 'noreferrer noopener', text: text }) : text;
  }
  function badge(kind, label) { return h('span', { className: 'badge ' + kind, text: label }); }
  function short(sha, n) { return sha ? sha.slice(0, n || 12) : '—'; }
  function when(iso) { return iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : '—'; }
  function bytes(n) {
    if (typeof n !== 'number') return '—';
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(n < 10 ? 2 : 1)) + ' ' + units[i];
  }
  function value(v) { return v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v); }
  function signerShort(signer) {
    if (!signer) return 'unknown';
    return /^key:/.test(signer) && signer.length > 20 ? signer.slice(0, 20) + '…' : signer;
  }
  function verified(record) { return record.signatureVerified && record.chainVerified; }
  function facts(pairs) {
    var dl = h('dl', { className: 'facts' });
    pairs.forEach(function (pair) {
      if (!pair) return;
      dl.appendChild(h('dt', { text: pair[0] }));
      dl.appendChild(h('dd', null, pair[1]));
    });
    return dl;
  }
  function table(caption, headers, rows, className) {
    return h('table', { className: className || null },
      caption ? h('caption', { text: caption }) : null,
      h('thead', null, h('tr', null, headers.map(function (x) { return h('th', { scope: 'col', text: x }); }))),
      h('tbody', null, rows.map(function (row) { return h('tr', null, row.map(function (cell) { return h('td', null, cell); })); })));
  }
  function statusBadges(record) {
    return [
      record.signatureVerified ? badge('ok', '✓ signature verified') : badge('fail', '✗ signature FAILED'), ' ',
      record.chainVerified ? badge('ok', '✓ chain link verified') : badge('fail', '✗ chain link FAILED'),
      record.signingMode === 'development-key' ? [' ', badge('warn', 'development key — not evidence')] : null
    ];
  }
  function modeText(mode) { return mode === 'development-key' ? 'development key — not evidence' : (mode || '—'); }
  function safetyText(f) {
    var what = f.verdict === 'unsafe' ? 'UNSAFE pickle: loading it can run arbitrary code'
      : f.verdict === 'unknown' ? 'pickle with imports not known to be safe' : 'pickle scan incomplete: not every import was checked';
    return f.model + ': ' + what + (f.imports.length ? ' (imports ' + f.imports.join(', ') + ')' : '');
  }
  function treeText(t) {
    if (!t) return 'not recorded';
    if (t.state !== 'dirty') return 'clean';
    return 'dirty: ' + t.dirty.map(function (d) { return d.path + ' (' + d.status + ')'; }).join(', ');
  }
  function policyBadge(outcome) {
    var kind = outcome === 'pass' ? 'ok' : outcome === 'fail' ? 'fail' : outcome === 'warn' ? 'warn' : 'none';
    return badge(kind, 'policy: ' + outcome);
  }

  // ------------------------------------------------------------------------------------------
  // Header

  var failed = records.filter(function (r) { return !verified(r); });
  var development = records.filter(function (r) { return r.signingMode === 'development-key'; });
  var verdict = $('verdict');
  verdict.className = 'verdict ' + (!data.verification.ok ? 'fail' : development.length ? 'warn' : 'ok');
  verdict.textContent = !data.verification.ok
    ? '✗ When this pack was made (' + when(data.generatedAt) + '), verification FAILED: ' + failed.length + ' of ' + records.length +
      ' records did not verify (' + data.verification.problems.length + ' problem(s)). They are marked below.'
    : development.length
      ? '⚠ Development key — not evidence: ' + development.length + ' of ' + records.length + ' records are signed with a development key, made on one machine for trying model-ledger out. ' +
        'When this pack was made (' + when(data.generatedAt) + ') their signatures and chain links verified, but they say nothing about who made them.'
      : '✓ When this pack was made (' + when(data.generatedAt) + '), all ' + records.length + ' records verified: signatures, signers and chain links.';
  var alerts = [];
  records.forEach(function (r) {
    if (!r.inRange) return;
    (r.safety || []).forEach(function (f) { alerts.push('record ' + r.index + ': ' + safetyText(f)); });
    if (r.workingTree && r.workingTree.state === 'dirty') alerts.push('record ' + r.index + ': made with uncommitted changes (' + treeText(r.workingTree) + ')');
  });
  if (alerts.length) {
    $('alerts').appendChild(h('div', { className: 'alerts', role: 'alert' }, h('h2', { text: 'Findings a reviewer must see' }),
      h('ul', null, alerts.map(function (a) { return h('li', { text: a }); }))));
  }
  if (data.verification.problems.length > 0) {
    $('problems').appendChild(h('ul', { className: 'problems' },
      data.verification.problems.map(function (p) { return h('li', { text: p }); })));
  }

  // ------------------------------------------------------------------------------------------
  // Filters

  function unique(list) {
    var seen = {}; var out = [];
    list.forEach(function (x) { if (x && !seen[x]) { seen[x] = true; out.push(x); } });
    return out.sort();
  }
  function fill(select, values) {
    values.forEach(function (v) { select.appendChild(h('option', { value: v, text: v })); });
  }
  fill($('f-model'), unique([].concat.apply([], records.map(function (r) { return r.models.map(function (m) { return m.name; }); }))));
  fill($('f-dataset'), unique([].concat.apply([], records.map(function (r) { return r.datasets.map(function (d) { return d.name; }); }))));
  fill($('f-actor'), unique([].concat.apply([], records.map(function (r) { return r.people; }))));

  records.forEach(function (r) {
    r._search = [r.index, r.file, r.statementSha256, r.bundleSha256, r.signer, r.claimedSigner, r.actor, r.reason,
      r.commit && r.commit.sha, r.commit && r.commit.message, r.commit && r.commit.author,
      r.pullRequest && ('#' + r.pullRequest.number + ' ' + r.pullRequest.title), r.people.join(' '),
      r.models.map(function (m) { return m.name + ' ' + m.digest + ' ' + (m.format || ''); }).join(' '),
      r.datasets.map(function (d) { return d.name + ' ' + d.digest + ' ' + (d.location || ''); }).join(' '),
      r.problems.join(' '), r.notes.join(' ')].join(' ').toLowerCase();
  });

  function filters() {
    return {
      search: $('f-search').value.trim().toLowerCase(),
      since: $('f-since').value, until: $('f-until').value,
      model: $('f-model').value, dataset: $('f-dataset').value, actor: $('f-actor').value,
      policy: $('f-policy').value, status: $('f-status').value
    };
  }
  function matches(r, f) {
    var day = r.recordedAt ? r.recordedAt.slice(0, 10) : '';
    if (f.since && !(day && day >= f.since)) return false;
    if (f.until && !(day && day <= f.until)) return false;
    if (f.model && !r.models.some(function (m) { return m.name === f.model; })) return false;
    if (f.dataset && !r.datasets.some(function (d) { return d.name === f.dataset; })) return false;
    if (f.actor && r.people.indexOf(f.actor) < 0) return false;
    if (f.policy && r.policy.outcome !== f.policy) return false;
    if (f.status === 'verified' && !verified(r)) return false;
    if (f.status === 'failed' && verified(r)) return false;
    if (f.search) {
      var words = f.search.split(/\s+/);
      for (var i = 0; i < words.length; i++) if (r._search.indexOf(words[i]) < 0) return false;
    }
    return true;
  }
  function shown() { var f = filters(); return records.filter(function (r) { return matches(r, f); }); }

  // ------------------------------------------------------------------------------------------
  // Timeline

  // Rows are built in pages: a ledger of 10,000 records would otherwise build 20,000 table rows
  // before the page can be used. Filters and search still look at every record.
  var PAGE = 200;
  var limit = PAGE;
  var rendered = null;
  function render(keepLimit) {
    if (keepLimit !== true) limit = PAGE;
    rendered = JSON.stringify(filters());
    var matching = shown();
    var rows = matching.slice(0, limit);
    var body = clear($('timeline-body'));
    rows.forEach(function (r) {
      var tr = h('tr', { 'data-index': r.index, className: (verified(r) ? '' : 'failed') + (r.inRange ? '' : ' out-of-range') },
        h('th', { scope: 'row', text: String(r.index) }),
        h('td', { className: 'when', text: when(r.recordedAt) }),
        h('td', { className: 'status' }, statusBadges(r)),
        h('td', { text: r.actor || '—' }),
        h('td', null, r.commit ? code(short(r.commit.sha, 8)) : '—', r.workingTree && r.workingTree.state === 'dirty' ? [' ', badge('warn', 'uncommitted changes')] : null),
        h('td', null, r.models.map(function (m, i) { return [i ? ', ' : '', code(m.name)]; }),
          (r.safety || []).some(function (f) { return f.verdict === 'unsafe'; }) ? [' ', badge('fail', '⚠ unsafe pickle')] : null),
        h('td', null, r.datasets.map(function (d, i) { return [i ? ', ' : '', code(d.name)]; })),
        h('td', null, policyBadge(r.policy.outcome)),
        h('td', { text: (r.reason || '').split('\n')[0] || '—' }),
        h('td', { className: 'no-print' }, h('button', { type: 'button', 'aria-label': 'Show the details of record ' + r.index, text: 'Details',
          onclick: function () { showDetail(r, true); } })));
      body.appendChild(tr);
    });
    $('count').textContent = 'Showing ' + rows.length + ' of ' + records.length + ' records' +
      (matching.length < records.length ? ' (filtered)' : '') +
      (rows.length < matching.length ? ': the first ' + rows.length + ' of the ' + matching.length + ' that match' : '') + '.';
    var more = clear($('more'));
    if (rows.length < matching.length) {
      append(more, [
        h('button', { type: 'button', text: 'Show ' + Math.min(PAGE, matching.length - rows.length) + ' more',
          onclick: function () { limit += PAGE; render(true); } }), ' ',
        h('button', { type: 'button', text: 'Show all ' + matching.length,
          onclick: function () { limit = matching.length; render(true); } })
      ]);
    }
    renderRegulatory(rows);
  }

  var timer = null;
  // A text field fires 'change' when it loses focus, e.g. to the Details button being clicked:
  // re-rendering then would replace that button between mousedown and click, losing the click.
  // So 'change' re-renders only when the filters differ from the ones last rendered.
  $('filters').addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(render, 120); });
  $('filters').addEventListener('change', function (event) {
    if (event.target && event.target.type === 'search') return; // its 'input' events re-render it
    if (JSON.stringify(filters()) !== rendered) { clearTimeout(timer); render(); }
  });
  $('filters').addEventListener('reset', function () { setTimeout(render, 0); });
  $('filters').addEventListener('submit', function (event) { event.preventDefault(); render(); });

  // ------------------------------------------------------------------------------------------
  // Export

  var COLUMNS = ['index', 'recordedAt', 'actor', 'commit', 'workingTree', 'pullRequest', 'reason', 'models', 'modelSha256', 'pickle', 'datasets', 'policy',
    'signingMode', 'signer', 'signatureVerified', 'chainVerified', 'statementSha256', 'file'];
  function exportRow(r) {
    return {
      index: r.index, recordedAt: r.recordedAt, actor: r.actor, commit: r.commit ? r.commit.sha : null,
      pullRequest: r.pullRequest ? r.pullRequest.number : null, reason: (r.reason || '').split('\n')[0],
      workingTree: r.workingTree ? r.workingTree.state : null,
      models: r.models.map(function (m) { return m.name; }), modelSha256: r.models.map(function (m) { return m.digest; }),
      pickle: (r.safety || []).map(function (f) { return f.model + ': ' + f.verdict; }),
      datasets: r.datasets.map(function (d) { return d.name; }),
      policy: r.policy.outcome, signingMode: r.signingMode, signer: r.signer,
      signatureVerified: r.signatureVerified, chainVerified: r.chainVerified, statementSha256: r.statementSha256, file: r.file
    };
  }
  function csvCell(v) {
    var s = Array.isArray(v) ? v.join(';') : v === null || v === undefined ? '' : String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = h('a', { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    $('export-status').textContent = 'Downloaded ' + name + '.';
  }
  $('export-csv').addEventListener('click', function () {
    var rows = shown().map(exportRow);
    download('model-ledger-records.csv', 'text/csv',
      [COLUMNS.join(',')].concat(rows.map(function (r) { return COLUMNS.map(function (c) { return csvCell(r[c]); }).join(','); })).join('\r\n') + '\r\n');
  });
  $('export-json').addEventListener('click', function () {
    download('model-ledger-records.json', 'application/json', JSON.stringify(shown().map(exportRow), null, 2) + '\n');
  });

  // ------------------------------------------------------------------------------------------
  // Record detail

  // The last record of each index (a fork has several), found once rather than searched per row.
  var lastOfIndex = {};
  records.forEach(function (x) { lastOfIndex[x.index] = x; });
  function previousOf(r) { return lastOfIndex[r.index - 1] || null; }
  function approvals(r) {
    var approved = r.reviews.filter(function (v) { return v.state === 'APPROVED'; });
    if (approved.length === 0 && r.approvedBy.length === 0) return ['nobody recorded an approval'];
    if (approved.length === 0) return r.approvedBy.map(function (p, i) { return [i ? '; ' : '', p + ' (approver)']; });
    return approved.map(function (v, i) {
      return [i ? '; ' : '', v.reviewer + ' approved the pull request at commit ', code(short(v.commitId, 8)), ' on ' + when(v.submittedAt)];
    });
  }
  function showDetail(r, focus) {
    var box = clear($('detail'));
    var prev = previousOf(r);
    box.appendChild(h('h3', { id: 'detail-title', tabindex: '-1', text: 'Record ' + r.index + (r.inRange ? '' : ' (before the exported range)') }));
    box.appendChild(h('p', null, statusBadges(r), ' ', policyBadge(r.policy.outcome)));
    if (r.problems.length) box.appendChild(h('ul', { className: 'problems' }, r.problems.map(function (p) { return h('li', { text: p }); })));
    if (!r.readable) { box.appendChild(h('p', { text: 'The statement of this record cannot be read.' })); }
    else if (!verified(r)) box.appendChild(h('p', { className: 'note', text: 'This record did not verify: what it says below cannot be trusted.' }));
    box.appendChild(h('h4', { text: 'Who' }));
    box.appendChild(facts([
      ['Triggered by', r.actor || '—'],
      ['Implemented by', r.implementedBy.join(', ') || '—'],
      ['Approved by', approvals(r)],
      ['Signed by', [r.signer ? code(r.signer) : (r.claimedSigner ? ['claims ', code(r.claimedSigner), ' (not verified)'] : '—'), ' — ',
        r.signingMode === 'development-key' ? badge('warn', modeText(r.signingMode)) : modeText(r.signingMode)]],
      r.pullRequest ? ['Pull request', [link('#' + r.pullRequest.number + ' ' + r.pullRequest.title, r.pullRequest.url),
        ' by ' + r.pullRequest.author + ' (' + r.pullRequest.head + ' → ' + r.pullRequest.base + ')',
        r.pullRequest.mergedBy ? ', merged by ' + r.pullRequest.mergedBy + ' on ' + when(r.pullRequest.mergedAt) : '']] : null
    ]));
    box.appendChild(h('h4', { text: 'When' }));
    box.appendChild(facts([
      ['Recorded at', when(r.recordedAt)],
      r.commit ? ['Commit', [link(r.commit.sha, r.commit.url), ' by ' + r.commit.author + ' on ' + when(r.commit.date)]] : ['Commit', '—'],
      ['Working tree', r.workingTree && r.workingTree.state === 'dirty' ? badge('warn', treeText(r.workingTree)) : treeText(r.workingTree)],
      ['Run', r.ci.runUrl ? link(r.ci.runUrl, r.ci.runUrl) : (r.ci.provider || '—')]
    ]));
    box.appendChild(h('h4', { text: 'Why' }));
    box.appendChild(facts([['Reason', r.reason || '—'], ['Reason from', r.reasonSource || '—']]));
    box.appendChild(h('h4', { text: 'What' }));
    if ((r.safety || []).length) {
      box.appendChild(h('div', { className: 'alerts', role: 'note' }, table('Pickle findings: loading a pickled model runs the code it imports', ['model', 'verdict', 'imports'],
        r.safety.map(function (f) { return [code(f.model), f.verdict === 'unsafe' ? badge('fail', 'UNSAFE') : badge('warn', f.verdict), f.imports.join(', ') || '—']; }))));
    }
    box.appendChild(r.models.length ? table('Models', ['model', 'sha256', 'size', 'format', 'parameters', 'warnings'],
      r.models.map(function (m) { return [code(m.name), code(m.digest), bytes(m.size), m.format || '—', m.parameters === null ? '—' : m.parameters.toLocaleString('en-US'), m.warnings.join('; ') || '—']; }))
      : h('p', { text: 'No model artifacts recorded.' }));
    box.appendChild(r.datasets.length ? table('Datasets and lineage', ['dataset', 'digest', 'files', 'rows', 'location', 'description', 'lineage'],
      r.datasets.map(function (d) { return [code(d.name), code(d.digest), String(d.files), d.rows || '—', d.location || '—',
        Object.keys(d.description).map(function (k) { return k + ': ' + value(d.description[k]); }).join('; ') || '—',
        d.lineage ? code(JSON.stringify(d.lineage)) : '—']; }))
      : h('p', { text: 'No datasets recorded.' }));
    if (r.training) {
      var metricKeys = Object.keys(r.training.metrics).sort();
      box.appendChild(table('Metrics (from ' + r.training.source + ', recorded ' + when(r.recordedAt) + ')', ['metric', 'value'],
        metricKeys.map(function (k) { return [code(k), value(r.training.metrics[k])]; })));
      var paramKeys = Object.keys(r.training.params).sort();
      box.appendChild(table('Training parameters', ['parameter', 'value'], paramKeys.map(function (k) { return [code(k), value(r.training.params[k])]; })));
    }
    if (r.policy.results.length) {
      box.appendChild(table('Policy results' + (r.policy.file ? ' (' + r.policy.file + ')' : ''), ['rule', 'level', 'outcome', 'message'],
        r.policy.results.map(function (p) { return [code(p.rule), p.level, p.outcome, p.message]; })));
    }
    var ecosystems = Object.keys(r.dependencyCounts).sort();
    box.appendChild(h('p', { text: 'Dependencies: ' + (ecosystems.length ? ecosystems.map(function (e) { return e + ' ' + r.dependencyCounts[e]; }).join(', ') : 'none recorded') }));
    box.appendChild(h('h4', { text: 'Chain' }));
    box.appendChild(facts([
      ['Ledger', r.origin || '—'],
      ['Statement sha256', code(r.statementSha256 || '—')],
      ['Bundle sha256', code(r.bundleSha256)],
      ['Links to', r.previousStatementSha256 ? ['statement ', code(r.previousStatementSha256), prev ? ' (record ' + prev.index + ')' : ''] : 'nothing: the first record'],
      ['File', code(r.file)]
    ]));
    if (prev && r.readable && prev.readable) {
      box.appendChild(h('h4', { text: 'Changes since record ' + prev.index }));
      box.appendChild(renderDiff(prev, r));
    }
    box.appendChild(h('h4', { text: 'Regulatory record-keeping' }));
    var cells = regulatoryCells(r);
    box.appendChild(table(null, ['asked for', 'in this record'], AREAS.map(function (a, i) { return [a.title, cells[i]]; })));
    if (r.notes.length) { box.appendChild(h('h4', { text: 'Notes' })); box.appendChild(h('ul', null, r.notes.map(function (n) { return h('li', { text: n }); }))); }
    if (focus) {
      if (history.replaceState) history.replaceState(null, '', '#record-' + r.index);
      $('detail-title').focus();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Comparison of two records

  function versionCompare(a, b) {
    var pa = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(.*)$/.exec(a), pb = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(.*)$/.exec(b);
    if (!pa || !pb) return null;
    var ea = +(pa[1] || 0), eb = +(pb[1] || 0);
    if (ea !== eb) return ea < eb ? -1 : 1;
    var ra = pa[2].split('.').map(Number), rb = pb[2].split('.').map(Number);
    for (var i = 0; i < Math.max(ra.length, rb.length); i++) {
      var x = ra[i] || 0, y = rb[i] || 0;
      if (x !== y) return x < y ? -1 : 1;
    }
    var sa = pa[3].replace(/\+.*$/, ''), sb = pb[3].replace(/\+.*$/, '');
    if (sa === sb) return 0;
    var pre = /^[-._]?(a|b|c|rc|alpha|beta|pre|preview|dev)/i, post = /^[-._]?(post|rev|r\d)/i;
    if (sa === '') return pre.test(sb) || sb.charAt(0) === '-' ? 1 : post.test(sb) ? -1 : null;
    if (sb === '') return pre.test(sa) || sa.charAt(0) === '-' ? -1 : post.test(sa) ? 1 : null;
    var order = sa.localeCompare(sb, 'en', { numeric: true });
    return order < 0 ? -1 : order > 0 ? 1 : 0;
  }
  function mapDiff(a, b) {
    var keys = unique(Object.keys(a).concat(Object.keys(b)));
    return keys.filter(function (k) { return JSON.stringify(a[k]) !== JSON.stringify(b[k]); })
      .map(function (k) { return { key: k, from: a[k], to: b[k] }; });
  }
  function byName(list, pick) {
    var out = {}; list.forEach(function (x) { out[x.name] = pick(x); }); return out;
  }
  function diffRecords(a, b) {
    var deps = mapDiff(a.dependencies, b.dependencies).map(function (c) {
      var kind = c.from === undefined ? 'added' : c.to === undefined ? 'removed' : null;
      if (!kind) {
        var order = versionCompare(c.from, c.to);
        kind = order === -1 ? 'upgraded' : order === 1 ? 'downgraded' : 'changed';
      }
      return { key: c.key, from: c.from, to: c.to, kind: kind };
    });
    var metrics = mapDiff(a.training ? a.training.metrics : {}, b.training ? b.training.metrics : {}).map(function (c) {
      var delta = typeof c.from === 'number' && typeof c.to === 'number' ? c.to - c.from : null;
      return { key: c.key, from: c.from, to: c.to, delta: delta === null ? null : parseFloat(delta.toPrecision(12)) };
    });
    return {
      models: mapDiff(byName(a.models, function (m) { return { digest: m.digest, size: m.size, format: m.format, parameters: m.parameters }; }),
        byName(b.models, function (m) { return { digest: m.digest, size: m.size, format: m.format, parameters: m.parameters }; })),
      datasets: mapDiff(byName(a.datasets, function (d) { return { digest: d.digest, files: d.files, rows: d.rows }; }),
        byName(b.datasets, function (d) { return { digest: d.digest, files: d.files, rows: d.rows }; })),
      dependencies: deps,
      params: mapDiff(a.training ? a.training.params : {}, b.training ? b.training.params : {}),
      metrics: metrics,
      policy: mapDiff(byName(a.policy.results.map(function (p) { return { name: p.rule, outcome: p.outcome }; }), function (p) { return p.outcome; }),
        byName(b.policy.results.map(function (p) { return { name: p.rule, outcome: p.outcome }; }), function (p) { return p.outcome; })),
      environment: mapDiff(a.environment, b.environment),
      signerChanged: a.signingMode !== b.signingMode || (a.signer && b.signer && a.signer !== b.signer),
      signer: { from: a.signer || a.claimedSigner, to: b.signer || b.claimedSigner }
    };
  }
  function changeCell(v, digestLike) {
    if (v === undefined) return '—';
    if (v && typeof v === 'object') {
      return Object.keys(v).filter(function (k) { return v[k] !== null; }).map(function (k, i) {
        return [i ? '; ' : '', k + ': ', digestLike && k === 'digest' ? code(short(v[k])) : value(v[k])];
      });
    }
    return value(v);
  }
  function renderDiff(a, b) {
    var d = diffRecords(a, b);
    var box = h('div', { className: 'diff' });
    if (d.signerChanged) box.appendChild(h('p', null, badge('fail', '⚠ signer changed'), ' ', value(d.signer.from), ' → ', value(d.signer.to)));
    var any = false;
    function section(title, headers, rows) {
      if (rows.length === 0) return;
      any = true;
      box.appendChild(table(title, headers, rows));
    }
    section('Models', ['model', 'before', 'after'], d.models.map(function (c) { return [code(c.key), changeCell(c.from, true), changeCell(c.to, true)]; }));
    section('Datasets', ['dataset', 'before', 'after'], d.datasets.map(function (c) { return [code(c.key), changeCell(c.from, true), changeCell(c.to, true)]; }));
    section('Dependencies', ['package', 'change', 'before', 'after'], d.dependencies.map(function (c) { return [code(c.key), c.kind === 'downgraded' ? badge('warn', 'downgraded') : c.kind, value(c.from), value(c.to)]; }));
    section('Metrics', ['metric', 'before', 'after', 'change'], d.metrics.map(function (c) { return [code(c.key), value(c.from), value(c.to), c.delta === null ? '—' : (c.delta > 0 ? '+' : '') + c.delta]; }));
    section('Training parameters', ['parameter', 'before', 'after'], d.params.map(function (c) { return [code(c.key), value(c.from), value(c.to)]; }));
    section('Policy', ['rule', 'before', 'after'], d.policy.map(function (c) { return [code(c.key), value(c.from), value(c.to)]; }));
    section('Environment', ['', 'before', 'after'], d.environment.map(function (c) { return [code(c.key), value(c.from), value(c.to)]; }));
    if (!any && !d.signerChanged) box.appendChild(h('p', { text: 'No change to models, datasets, dependencies, training, policy, signer or environment.' }));
    return box;
  }
  function summarizeDiff(a, b) {
    var d = diffRecords(a, b), parts = [];
    if (d.models.length) parts.push(d.models.length + ' model change(s)');
    if (d.datasets.length) parts.push(d.datasets.length + ' dataset change(s)');
    if (d.dependencies.length) parts.push(d.dependencies.length + ' dependency change(s)');
    if (d.metrics.length) parts.push(d.metrics.length + ' metric change(s)');
    if (d.params.length) parts.push(d.params.length + ' parameter change(s)');
    if (d.signerChanged) parts.push('signer changed');
    return parts.length ? parts.join(', ') : 'no recorded change';
  }

  // Records are chosen by number: a list of every record would build thousands of options at load.
  var lastIndex = records.length ? records[records.length - 1].index : 0;
  ['cmp-a', 'cmp-b'].forEach(function (id, which) {
    var input = $(id);
    input.max = String(lastIndex);
    if (records.length) input.value = String(records[Math.max(0, records.length - 2 + which)].index);
  });
  $('compare-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var find = function (value) { return records.filter(function (r) { return String(r.index) === String(value).trim(); })[0]; };
    var a = find($('cmp-a').value), b = find($('cmp-b').value), out = clear($('compare-out'));
    if (!a || !b) {
      out.appendChild(h('p', { text: 'Give two record numbers from 0 to ' + lastIndex + '.' }));
      return;
    }
    out.appendChild(h('h3', { text: 'Record ' + a.index + ' → record ' + b.index }));
    if (!verified(a) || !verified(b)) out.appendChild(h('p', { className: 'note', text: 'At least one of these records did not verify: its contents cannot be trusted.' }));
    if (!a.readable || !b.readable) { out.appendChild(h('p', { text: 'A record that cannot be read cannot be compared.' })); return; }
    out.appendChild(renderDiff(a, b));
  });

  // ------------------------------------------------------------------------------------------
  // Regulatory record-keeping

  var AREAS = [
    { title: 'Version and relation to the previous version' },
    { title: 'Datasets and their provenance' },
    { title: 'Responsible persons and the meaning of their approval' },
    { title: 'Test and metric results, with dates' },
    { title: 'Changes through the lifecycle' }
  ];
  function regulatoryCells(r) {
    if (!r.readable) return AREAS.map(function () { return 'unreadable record'; });
    var prev = previousOf(r);
    var version = ['Record ' + r.index + ' of ' + r.origin + ', statement ', code(short(r.statementSha256)),
      r.previousStatementSha256 ? [', follows record ' + (r.index - 1) + ' (', code(short(r.previousStatementSha256)), ')', r.chainVerified ? ' — link verified' : ' — link NOT verified'] : ', the first record',
      r.models.length ? [', models ', r.models.map(function (m, i) { return [i ? ', ' : '', m.name + ' ', code(short(m.digest))]; })] : '',
      r.commit ? [', commit ', code(short(r.commit.sha, 8))] : ''];
    var datasets = r.datasets.length ? r.datasets.map(function (d, i) {
      var described = Object.keys(d.description).filter(function (k) { return /source|license|licence|origin|collected|split|personal/i.test(k); })
        .map(function (k) { return k + ': ' + value(d.description[k]); });
      return [i ? '; ' : '', d.name + ' ', code(short(d.digest)), ' (' + d.files + ' file(s)' + (d.rows ? ', ' + d.rows + ' rows' : '') + (d.location ? ', ' + d.location : '') + ')',
        described.length ? ' — ' + described.join(', ') : '', d.lineage ? ' — declared lineage recorded' : ''];
    }) : 'no dataset recorded';
    var people = ['Implemented by ' + (r.implementedBy.join(', ') || 'not recorded') + '; ', approvals(r),
      '; record signed by ' + signerShort(r.signer || r.claimedSigner) + ' (' + modeText(r.signingMode) + ') at ' + when(r.recordedAt)];
    var metricKeys = r.training ? Object.keys(r.training.metrics).sort() : [];
    var tests = [metricKeys.length ? metricKeys.map(function (k) { return k + ' = ' + value(r.training.metrics[k]); }).join(', ') : 'no metrics recorded',
      r.policy.results.length ? '; policy ' + r.policy.outcome + ' (' + r.policy.results.length + ' rule(s))' : '; no policy checked',
      ' — recorded ' + when(r.recordedAt)];
    var lifecycle = [r.reason ? 'Why: ' + r.reason.split('\n')[0] : 'no reason given',
      r.pullRequest ? ['; ', link('pull request #' + r.pullRequest.number, r.pullRequest.url)] : '',
      prev && prev.readable ? '; since record ' + prev.index + ': ' + summarizeDiff(prev, r) : ''];
    return [version, datasets, people, tests, lifecycle];
  }
  function renderRegulatory(rows) {
    var body = clear($('regulatory-body'));
    rows.forEach(function (r) {
      var cells = regulatoryCells(r);
      body.appendChild(h('tr', { 'data-index': r.index }, h('th', { scope: 'row', text: String(r.index) }),
        cells.map(function (c) { return h('td', null, c); })));
    });
  }

  // ------------------------------------------------------------------------------------------

  render();
  var match = /^#record-(\d+)$/.exec(location.hash);
  var initial = match ? records.filter(function (r) { return r.index === Number(match[1]); })[0] : null;
  if (initial) showDetail(initial, false);
  else if (records.length) showDetail(records[records.length - 1], false);
})();
`;
