import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Statement } from '../../src/record/predicate.js';
import type { RecordDiff } from '../../src/report/diff.js';
import { renderPullRequestComment } from '../../src/report/pr-comment.js';
import { runCli } from '../support/cli.js';
import { onnxBytes, pickleTorchTensors, torchZipBytes } from '../support/ml-files.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';
import { extractZip } from '../support/tools.js';

/**
 * The parameter counts of ONNX and PyTorch files reach every face that shows models: `diff`
 * (Markdown and JSON), the pull request comment built from that diff, and report.html's data.
 */

const ONNX = (columns: number) =>
  onnxBytes({
    irVersion: 9,
    graph: {
      name: 'g',
      nodes: 1,
      initializerBytes: 4 * 16,
      inputs: 1,
      outputs: 1,
      initializers: [{ name: 'w', dims: [8, columns] }],
    },
  });
const TORCH = (rows: number) =>
  torchZipBytes(
    pickleTorchTensors([
      { key: '0', offset: 0, shape: [rows, 6], stride: [6, 1] },
      { key: '0', offset: 0, shape: [rows, 6], stride: [6, 1] }, // tied: counted once
      { key: '1', offset: 0, shape: [6], stride: [1] },
    ]),
  );

let repo: TempRepo;
const statements: Statement[] = [];
const records: { statementSha256: string; bundlePath: string }[] = [];

async function record(version: number): Promise<void> {
  await repo.write('models/model.onnx', ONNX(16 * (version + 1)));
  await repo.write('models/model.pt', TORCH(4 * (version + 1)));
  repo.commit(`model version ${version}`);
  const run = await runCli(['record', '--json', '--models', 'models/*'], repo.dir, repo.env);
  expect(run.status).toBe(0);
  const result = JSON.parse(run.stdout) as { bundlePath: string; statementSha256: string };
  const bundle = JSON.parse(await readFile(result.bundlePath, 'utf8')) as {
    dsseEnvelope: { payload: string };
  };
  statements.push(
    JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as Statement,
  );
  records.push(result);
}

beforeAll(async () => {
  repo = await createTempRepo();
  await repo.write('.gitignore', '.home/\n.model-ledger/\n*.zip\n');
  await record(0);
  await record(1);
});
afterAll(() => repo.cleanup());

// ONNX: 16 + 8 × columns; PyTorch: rows × 6 once (tied) + 6.
const BEFORE = { onnx: 16 + 8 * 16, pt: 4 * 6 + 6 };
const AFTER = { onnx: 16 + 8 * 32, pt: 8 * 6 + 6 };

describe('the parameter count of ONNX and PyTorch models in every view', () => {
  it('is recorded in the signed statement', () => {
    const counts = (statement: Statement) =>
      Object.fromEntries(
        statement.predicate.models.map((model) => [model.name, model.metadata?.['parameters']]),
      );
    expect(counts(statements[0] as Statement)).toEqual({
      'models/model.onnx': BEFORE.onnx,
      'models/model.pt': BEFORE.pt,
    });
    expect(counts(statements[1] as Statement)).toEqual({
      'models/model.onnx': AFTER.onnx,
      'models/model.pt': AFTER.pt,
    });
  });

  it('in diff, Markdown and JSON, and the pull request comment', async () => {
    const markdown = await runCli(['diff', '0', '1'], repo.dir, repo.env);
    expect(markdown.status).toBe(0);
    for (const [from, to] of [
      [BEFORE.onnx, AFTER.onnx],
      [BEFORE.pt, AFTER.pt],
    ] as const)
      expect(markdown.stdout).toContain(`${from} → ${to} (+${to - from})`);

    const json = await runCli(['diff', '0', '1', '--json'], repo.dir, repo.env);
    const diff = JSON.parse(json.stdout) as RecordDiff;
    expect(
      diff.models.changed.map((change) => [change.name, change.from.parameters, change.to.parameters]),
    ).toEqual([
      ['models/model.onnx', BEFORE.onnx, AFTER.onnx],
      ['models/model.pt', BEFORE.pt, AFTER.pt],
    ]);

    const latest = records[1] as { statementSha256: string; bundlePath: string };
    const comment = renderPullRequestComment(
      {
        index: 1,
        statement: statements[1] as Statement,
        statementSha256: latest.statementSha256,
        location: latest.bundlePath,
        ref: { index: 1, name: 'record.sigstore.json', uri: `file://${latest.bundlePath}` },
        previous: null,
      },
      diff,
    );
    expect(comment).toContain(`${BEFORE.pt} → ${AFTER.pt} (+${AFTER.pt - BEFORE.pt})`);
    expect(comment).toContain(`${BEFORE.onnx} → ${AFTER.onnx} (+${AFTER.onnx - BEFORE.onnx})`);
  });

  it("in report.html's data, for each record", async () => {
    const exported = await runCli(['export', '--out', 'evidence.zip'], repo.dir, repo.env);
    expect(exported.stderr).not.toMatch(/unexpected error/);
    const dir = await mkdtemp(join(tmpdir(), 'model-ledger-parameters-'));
    try {
      await extractZip(await readFile(join(repo.dir, 'evidence.zip')), dir);
      const html = await readFile(join(dir, 'report.html'), 'utf8');
      const data = /<script type="application\/json" id="ledger-data">([^<]*)<\/script>/.exec(html)?.[1];
      const parsed = JSON.parse(data ?? 'null') as {
        records: { models: { name: string; parameters: number | null }[] }[];
      };
      expect(parsed.records.map((entry) => entry.models.map((model) => model.parameters))).toEqual([
        [BEFORE.onnx, BEFORE.pt],
        [AFTER.onnx, AFTER.pt],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
