import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';

import type { Statement } from '../../src/record/predicate.js';
import { diffRecords, parseManifest, type RecordDiff } from '../../src/report/diff.js';
import { mdText, renderDiffMarkdown } from '../../src/report/diff-markdown.js';
import { loadLedger, resolveManifests, type LoadedLedger } from '../../src/report/load.js';
import { compareVersions } from '../../src/report/versions.js';
import { LocalStore } from '../../src/store/local.js';
import { runCli } from '../support/cli.js';
import { keyedRepo, ledgerFiles, recordVersion } from '../support/report-ledger.js';
import type { TempRepo } from '../support/repo.js';

/**
 * Records 0–3 of a project whose model, datasets, lockfile and training run change from version
 * to version (see support/report-ledger.ts); record 4 is signed with another key.
 */
let repo: TempRepo;
let ledger: LoadedLedger;
let statements: Statement[];

beforeAll(async () => {
  repo = await keyedRepo();
  statements = [];
  statements.push((await recordVersion(repo, 0)).statement);
  statements.push((await recordVersion(repo, 1)).statement);
  statements.push((await recordVersion(repo, 2, { images: 900 })).statement);
  statements.push((await recordVersion(repo, 3, { images: 905 })).statement);
  expect((await runCli(['keygen', '--out', 'other'], repo.dir, repo.env)).status).toBe(0);
  await repo.write('notes.txt', 'a change signed by someone else\n');
  repo.commit('signed with another key');
  const other = await runCli(
    [
      'record',
      '--key',
      'other.key.pem',
      '--models',
      'model/model.safetensors',
      '--reason',
      'rotated key | <b>bold</b>',
    ],
    repo.dir,
    repo.env,
  );
  expect(other.status).toBe(0);
  ledger = await loadLedger({ store: new LocalStore(join(repo.dir, '.model-ledger')) });
}, 120_000);
afterAll(async () => {
  await repo.cleanup();
});

async function diffOf(a: number, b: number): Promise<RecordDiff> {
  const side = async (index: number) => {
    const row = ledger.rows.find((candidate) => candidate.index === index);
    if (!row?.statement) throw new Error(`no record ${index}`);
    return {
      statement: row.statement,
      statementSha256: row.statementSha256,
      signer: row.signer ?? (row.claimedSigner?.kind === 'key' ? `key:${row.claimedSigner.keyHint}` : null),
      verified: row.signatureVerified && row.chainVerified,
      manifests: await resolveManifests(ledger.store, row.statement),
      location: row.location,
    };
  };
  return diffRecords(await side(a), await side(b));
}

describe('diffRecords on real records', () => {
  it('shows the model, dependency, metric and parameter changes from one version to the next', async () => {
    const diff = await diffOf(0, 1);
    expect(diff.consecutive).toBe(true);
    expect(diff.sameLedger).toBe(true);
    expect(diff.from.index).toBe(0);
    expect(diff.to.index).toBe(1);
    expect(diff.models.changed).toHaveLength(1);
    const model = diff.models.changed[0];
    expect(model?.name).toBe('model/model.safetensors');
    expect(model?.fields).toEqual(expect.arrayContaining(['digest', 'size', 'parameters']));
    expect(model?.from.parameters).toBe(16);
    expect(model?.to.parameters).toBe(20);
    expect(model?.files).toBeNull(); // a single file has no file list
    expect(diff.datasets).toEqual({ added: [], removed: [], changed: [], unchanged: 2 });
    expect(diff.dependencies).toEqual([
      expect.objectContaining({
        ecosystem: 'pypi',
        upgraded: [
          { name: 'numpy', from: '1.20.0', to: '1.21.0' },
          { name: 'torch', from: '2.0.0', to: '2.1.0' },
        ],
        downgraded: [],
        added: [],
        removed: [],
      }),
    ]);
    expect(diff.training.metrics).toEqual([
      { key: 'auc', from: 0.8, to: 0.805, delta: 0.005, relative: expect.closeTo(0.00625, 6) as unknown },
      { key: 'loss', from: 0.5, to: 0.49, delta: -0.01, relative: expect.closeTo(-0.02, 6) as unknown },
    ]);
    expect(diff.training.params).toEqual([
      { key: 'epochs', from: 3, to: 4 },
      { key: 'learning_rate', from: 0.001, to: 0.002 },
    ]);
    expect(diff.signer.changed).toBe(false);
    expect(diff.policy.changed).toEqual([]);
    expect(diff.empty).toBe(false);
  });

  it('lists the files added to a dataset from the manifests kept inline', async () => {
    const diff = await diffOf(1, 2);
    const train = diff.datasets.changed.find((change) => change.name === 'train');
    expect(train?.fields).toEqual(expect.arrayContaining(['digest', 'files', 'size']));
    expect(train?.files).toEqual({
      available: true,
      added: ['part-2.csv'],
      removed: [],
      changed: [],
      unchanged: 1,
    });
    expect(diff.datasets.added.map((dataset) => dataset.name)).toEqual(['images']);
    expect(diff.datasets.added[0]?.files).toBe(900);
  });

  it('reads a large manifest stored beside the record, and flags a downgrade and a new package', async () => {
    expect(statements[2]?.predicate.datasets.find((d) => d.name === 'images')?.manifest?.stored).toMatch(
      /^[0-9a-f]{64}\.manifest\.txt$/,
    );
    const diff = await diffOf(2, 3);
    const images = diff.datasets.changed.find((change) => change.name === 'images');
    expect(images?.files?.available).toBe(true);
    expect(images?.files?.added).toEqual([
      'img-0900.txt',
      'img-0901.txt',
      'img-0902.txt',
      'img-0903.txt',
      'img-0904.txt',
    ]);
    expect(images?.files?.unchanged).toBe(900);
    const pypi = diff.dependencies.find((eco) => eco.ecosystem === 'pypi');
    expect(pypi?.downgraded).toEqual([{ name: 'torch', from: '2.2.0', to: '2.0.0' }]);
    expect(pypi?.upgraded).toEqual([{ name: 'numpy', from: '1.22.0', to: '1.23.0' }]);
    expect(pypi?.added.map((pkg) => `${pkg.name}@${pkg.version}`)).toEqual(['pandas@2.2.0']);
  });

  it('says the file lists are unavailable when a stored manifest is missing', async () => {
    const row2 = ledger.rows.find((row) => row.index === 2);
    const row3 = ledger.rows.find((row) => row.index === 3);
    const diff = diffRecords(
      { statement: row2?.statement as Statement, manifests: new Map() },
      { statement: row3?.statement as Statement, manifests: new Map() },
    );
    expect(diff.datasets.changed.find((change) => change.name === 'images')?.files).toEqual({
      available: false,
      added: [],
      removed: [],
      changed: [],
      unchanged: 0,
    });
    expect(diff.consecutive).toBe(false); // no statement digest given for the older side
  });

  it('flags a change of signing key, and that the record did not verify', async () => {
    const diff = await diffOf(3, 4);
    expect(diff.signer.changed).toBe(true);
    expect(diff.to.verified).toBe(false);
    expect(diff.datasets.removed.map((dataset) => dataset.name).sort()).toEqual(['eval', 'images', 'train']);
    const markdown = renderDiffMarkdown(diff);
    expect(markdown).toContain('**The signer changed**');
    expect(markdown).toContain('**record 4 did not verify**');
    // The reason's pipe and HTML are escaped, so they cannot break the table or inject markup.
    expect(markdown).toContain('rotated key &#124; &lt;b&gt;bold&lt;/b&gt;');
    expect(markdown).not.toContain('<b>bold</b>');
  });

  it('finds nothing between a record and itself', async () => {
    const diff = await diffOf(1, 1);
    expect(diff.empty).toBe(true);
    expect(renderDiffMarkdown(diff)).toContain(
      'No change to models, datasets, dependencies, training, policy, signer or environment.',
    );
  });
});

describe('the Markdown of a diff', () => {
  it('has an overview, a section per change and folded file lists', async () => {
    const markdown = renderDiffMarkdown(await diffOf(2, 3));
    expect(markdown).toMatch(/^## model-ledger: record 3 compared with record 2\n/);
    expect(markdown).toContain('| | record 2 | record 3 |');
    expect(markdown).toContain('### Models');
    expect(markdown).toContain('### Datasets');
    expect(markdown).toContain('### Dependencies');
    expect(markdown).toContain('**downgraded** <code>torch</code> 2.2.0 → 2.0.0');
    expect(markdown).toContain('### Training');
    expect(markdown).toMatch(
      /\| <code>auc<\/code> \| <code>0.81<\/code> \| <code>0.815<\/code> \| \+0.005 \(\+0.62%\) \|/,
    );
    expect(markdown).toContain(
      '<details>\n<summary><code>images</code>: 5 added, 0 removed, 0 changed, 900 unchanged files</summary>',
    );
    expect(markdown).toContain('- added <code>img-0904.txt</code>');
    // Every opened <details> is closed.
    expect(markdown.split('<details>').length).toBe(markdown.split('</details>').length);
  });

  it('caps long lists and keeps short ones open', async () => {
    const diff = await diffOf(2, 3);
    const capped = renderDiffMarkdown(diff, { maxItems: 2, foldAfter: 100 });
    expect(capped).toContain('- … and 3 more');
    expect(capped).toContain('pypi: 3 package change(s)\n\n- upgraded');
  });

  it('escapes what records hold', () => {
    expect(mdText('a|b <script>`x`</script>\nnext')).toBe(
      'a&#124;b &lt;script&gt;&#96;x&#96;&lt;/script&gt; next',
    );
  });
});

describe('version ordering', () => {
  it.each([
    ['1.2.3', '1.2.10', '', -1],
    ['1.0.0-alpha', '1.0.0', 'npm', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', 'npm', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', 'npm', -1],
    ['1.0.0-rc.1', '1.0.0', 'cargo', -1],
    ['v0.0.0-20210101000000-abcdef123456', 'v0.1.0', 'golang', -1],
    ['1.0.0+build.5', '1.0.0', 'npm', 0],
    ['2.0', '2.0.0', 'pypi', 0],
    ['1.0.dev1', '1.0a1', 'pypi', -1],
    ['1.0a1', '1.0b1', 'pypi', -1],
    ['1.0rc2', '1.0', 'pypi', -1],
    ['1.0', '1.0.post1', 'pypi', -1],
    ['1.0.post1.dev0', '1.0.post1', 'pypi', -1],
    ['1!0.1', '2.0', 'pypi', 1],
    ['2.2.0', '2.0.0', 'pypi', 1],
    ['1.0-1', '1.0', 'pypi', 1], // PEP 440: an implicit post-release
    ['1.0.0-1', '1.0.0', 'npm', -1], // semver: a pre-release
  ])('%s vs %s (%s) is %i', (a, b, ecosystem, expected) => {
    expect(compareVersions(a, b, ecosystem)).toBe(expected);
    expect(compareVersions(b, a, ecosystem)).toBe(expected === 0 ? 0 : -expected);
  });

  it('does not guess between versions it cannot read', () => {
    expect(compareVersions('main', 'develop', 'npm')).toBeNull();
    expect(compareVersions('1.0', 'git+abc', 'pypi')).toBeNull();
  });
});

describe('model-ledger diff', () => {
  it('compares head~1 with head in Markdown, and exits 1 when a record did not verify', async () => {
    const run = await runCli(['diff', 'head~1', 'head'], repo.dir, repo.env);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('## model-ledger: record 4 compared with record 3');
    expect(run.stderr).toContain('warning: head (record 4) did not verify');
  });

  it('writes JSON, and takes records by index and by bundle file', async () => {
    const files = await ledgerFiles(repo);
    const run = await runCli(['diff', '0', files[1] as string, '--format', 'json'], repo.dir, repo.env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const diff = JSON.parse(run.stdout) as RecordDiff;
    expect(diff.from.index).toBe(0);
    expect(diff.to.index).toBe(1);
    expect(diff.to.location).toBe(files[1]);
    expect(diff.to.verified).toBe(true);
    expect(diff.dependencies[0]?.upgraded).toHaveLength(2);
  });

  it('refuses a record that does not exist, and a bad format', async () => {
    const missing = await runCli(['diff', '0', '99'], repo.dir, repo.env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('there is no record 99: the ledger has only 5 records (0 to 4)');
    const format = await runCli(['diff', '0', '1', '--format', 'html'], repo.dir, repo.env);
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('"html" is not a diff format');
    const one = await runCli(['diff', '0'], repo.dir, repo.env);
    expect(one.status).toBe(2);
    expect(one.stderr).toContain('two records are needed');
  });
});

describe('manifests', () => {
  it('parse as sha256sum prints them', () => {
    const text = `${'a'.repeat(64)}  dir/one two.txt\n${'b'.repeat(64)}  x\n`;
    expect([...parseManifest(text)]).toEqual([
      ['dir/one two.txt', 'a'.repeat(64)],
      ['x', 'b'.repeat(64)],
    ]);
  });
});
