/**
 * Ledgers for the report tests, made as a user makes them: a real git repository, files that
 * change from version to version (a safetensors model, a dataset directory, a lockfile, a
 * training-run file), one commit and one `model-ledger record` through the CLI per version.
 */
import { expect } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { BufferSource, formatFailure } from '../../src/formats/reader.js';
import { openZipEntry, readZipDirectory } from '../../src/formats/zip.js';
import type { Statement } from '../../src/record/predicate.js';
import { runCli } from './cli.js';
import { safetensorsBytes } from './ml-files.js';
import { createTempRepo, type TempRepo } from './repo.js';

export const AUTHORS = [
  { name: 'Ada Lovelace', email: 'ada@example.org' },
  { name: 'Grace Hopper', email: 'grace@example.org' },
];

export interface VersionOptions {
  /** Files in data/images (900 make a manifest too large to inline: it is stored beside the record). */
  images?: number;
}

/** A repository with a signing key pair `team.key.pem` / `team.pub.pem`. */
export async function keyedRepo(): Promise<TempRepo> {
  const repo = await createTempRepo();
  const keygen = await runCli(['keygen', '--out', 'team'], repo.dir, repo.env);
  expect(keygen.status).toBe(0);
  await writeFile(join(repo.dir, '.gitignore'), '.home/\n.model-ledger/\nteam.key.pem\n*.zip\nunpacked/\n');
  return repo;
}

/** Writes version `v` of the project: every input of a record changes in a known way. */
export async function writeVersion(repo: TempRepo, v: number, options: VersionOptions = {}): Promise<void> {
  await repo.write(
    'model/model.safetensors',
    safetensorsBytes([{ name: 'w', dtype: 'F32', shape: [4, 4 + (v % 3)] }], {
      format: 'pt',
      version: String(v),
    }),
  );
  await repo.write('data/train/part-0.csv', 'a,b\n1,2\n');
  for (let part = 2; part <= v; part += 2)
    await repo.write(`data/train/part-${part}.csv`, `a,b\n${part},${part + 1}\n`);
  await repo.write('data/eval/eval.csv', 'a,b\n9,9\n');
  const images = options.images ?? 0;
  for (let image = 0; image < images; image++)
    await repo.write(`data/images/img-${String(image).padStart(4, '0')}.txt`, `image ${image}\n`);
  await repo.write(
    'requirements.txt',
    [`numpy==1.${20 + (v % 5)}.0`, `torch==2.${v % 3}.0`, ...(v >= 3 ? ['pandas==2.2.0'] : []), ''].join(
      '\n',
    ),
  );
  await repo.write(
    'training.yaml',
    [
      'seed: 42',
      `learning_rate: ${v % 2 === 0 ? '0.001' : '0.002'}`,
      `epochs: ${3 + v}`,
      'metrics:',
      `  auc: ${(0.8 + v * 0.005).toFixed(3)}`,
      `  loss: ${(0.5 - v * 0.01).toFixed(3)}`,
      '',
    ].join('\n'),
  );
}

/** Commits version `v` (by AUTHORS[v % 2]) and records it with the team key. */
export async function recordVersion(
  repo: TempRepo,
  v: number,
  options: VersionOptions & { extra?: string[]; reason?: string } = {},
): Promise<{ bundlePath: string; statement: Statement }> {
  await writeVersion(repo, v, options);
  const author = AUTHORS[v % AUTHORS.length] as (typeof AUTHORS)[number];
  repo.git('add', '-A');
  repo.git('commit', '-q', '--author', `${author.name} <${author.email}>`, '-m', `train version ${v}`);
  const datasets = ['data/train', 'data/eval', ...(options.images ? ['data/images'] : [])];
  const run = await runCli(
    [
      'record',
      '--json',
      '--key',
      'team.key.pem',
      '--models',
      'model/model.safetensors',
      ...datasets.flatMap((dataset) => ['--datasets', dataset]),
      '--training',
      'training.yaml',
      '--reason',
      options.reason ?? `train version ${v}`,
      ...(options.extra ?? []),
    ],
    repo.dir,
    repo.env,
  );
  expect(run.stderr).not.toMatch(/model-ledger record:/);
  expect(run.status).toBe(0);
  const { bundlePath } = JSON.parse(run.stdout) as { bundlePath: string };
  const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
  return {
    bundlePath,
    statement: JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as Statement,
  };
}

/** The ledger's bundle files, in chain order. */
export async function ledgerFiles(repo: TempRepo): Promise<string[]> {
  const dir = join(repo.dir, '.model-ledger');
  return (await readdir(dir))
    .filter((name) => name.endsWith('.sigstore.json'))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Edits a record the way a forger would: the payload's JSON changed (a metric improved), the
 * signature left as it was. Its signature no longer verifies, and the next record's link breaks.
 */
export async function tamperWithRecord(file: string): Promise<void> {
  const bundle = JSON.parse(await readFile(file, 'utf8')) as { dsseEnvelope: { payload: string } };
  const statement = JSON.parse(
    Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'),
  ) as Statement;
  statement.predicate.change.reason = 'nothing to see here';
  bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  await writeFile(file, `${JSON.stringify(bundle, null, 2)}\n`);
}

/** Every entry of a zip archive, read with model-ledger's own zip reader (src/formats/zip.ts). */
export async function readZipEntries(zip: Buffer): Promise<Map<string, Buffer>> {
  const source = new BufferSource(zip);
  const fail = formatFailure('evidence.zip', 'the archive is damaged');
  const entries = new Map<string, Buffer>();
  for (const entry of await readZipDirectory(source, fail)) {
    const cursor = await openZipEntry(source, entry, fail);
    if (!cursor) throw new Error(`${entry.name}: compression method ${entry.method} is not read`);
    entries.set(entry.name, Buffer.from(await cursor.bytes(cursor.remaining, entry.name)));
  }
  return entries;
}
