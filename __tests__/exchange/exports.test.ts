import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

import { buildCycloneDx } from '../../src/exchange/cyclonedx.js';
import { buildSpdx3 } from '../../src/exchange/spdx3.js';
import { sha256Hex } from '../../src/hash/file.js';
import { loadLedger } from '../../src/report/load.js';
import { LocalStore } from '../../src/store/local.js';
import { runCli } from '../support/cli.js';
import {
  keyedRepo,
  ledgerFiles,
  readZipEntries,
  tamperWithRecord,
  writeVersion,
} from '../support/report-ledger.js';
import type { TempRepo } from '../support/repo.js';

/**
 * A real ledger of four records (model, two datasets with declared licences and splits, a
 * lockfile, a training run with metrics), exported as CycloneDX 1.6 and SPDX 3.0.1 and validated
 * against the official schemas: CycloneDX's own (shipped in @cyclonedx/cyclonedx-library, checked
 * by its JSON validator) and SPDX's published 3.0.1 JSON schema (vendored in __tests__/fixtures/spdx3).
 */
const SPDX_SCHEMA = fileURLToPath(new URL('../fixtures/spdx3/spdx-json-schema-3.0.1.json', import.meta.url));
// ajv-formats is CommonJS: its plugin is the `default` of what an ES import sees.
const addFormats = addFormatsModule.default;

let repo: TempRepo;
let validateSpdx: (document: unknown) => string[];
const cyclonedx = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

async function validateCycloneDx(document: unknown): Promise<unknown> {
  return cyclonedx.validate(JSON.stringify(document));
}

const CONFIG = [
  'version: 1',
  'models: [model/model.safetensors]',
  'datasets:',
  '  - path: data/train',
  '    name: fraud-train',
  '    license: CC-BY-4.0',
  '    split: train',
  '    personal-data: true',
  '    intended-use: fraud scoring research',
  '  - path: data/eval',
  '    name: fraud-eval',
  '    license: Acme internal data licence',
  '    split: eval',
  'training: training.yaml',
  '',
].join('\n');

async function recordVersion(v: number): Promise<void> {
  await writeVersion(repo, v);
  if (v === 2) {
    // Declared considerations reach the model card.
    await appendTraining([
      'considerations:',
      '  technicalLimitations: [not for credit decisions]',
      '  users: [fraud analysts]',
    ]);
  }
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', `train version ${v}`);
  const run = await runCli(
    ['record', '--json', '--key', 'team.key.pem', '--reason', `train version ${v}`],
    repo.dir,
    repo.env,
  );
  expect(run.stderr).not.toMatch(/model-ledger record:/);
  expect(run.status).toBe(0);
}

async function appendTraining(lines: string[]): Promise<void> {
  const file = join(repo.dir, 'training.yaml');
  await repo.write('training.yaml', `${await readFile(file, 'utf8')}${lines.join('\n')}\n`);
}

beforeAll(async () => {
  repo = await keyedRepo();
  await repo.write('model-ledger.yml', CONFIG);
  for (let v = 0; v < 4; v++) await recordVersion(v);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(await readFile(SPDX_SCHEMA, 'utf8')) as object);
  validateSpdx = (document) =>
    validate(document)
      ? []
      : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}, 120_000);
afterAll(async () => {
  await repo.cleanup();
});

async function exported(
  format: string,
  ...args: string[]
): Promise<{ status: number; document: Record<string, unknown>; stderr: string }> {
  const run = await runCli(
    ['export', '--format', format, '--key', 'team.pub.pem', ...args],
    repo.dir,
    repo.env,
  );
  return {
    status: run.status,
    stderr: run.stderr,
    document: run.status <= 1 && run.stdout ? (JSON.parse(run.stdout) as Record<string, unknown>) : {},
  };
}

type Component = {
  type: string;
  'bom-ref': string;
  name: string;
  version?: string;
  purl?: string;
  hashes?: { alg: string; content: string }[];
  licenses?: unknown[];
  modelCard?: Record<string, unknown>;
  properties?: { name: string; value: string }[];
  externalReferences?: { type: string; url: string }[];
};

describe('CycloneDX 1.6 ML-BOM', () => {
  it('of the whole ledger validates against the CycloneDX 1.6 schema and lists every record', async () => {
    const { status, document, stderr } = await exported('cyclonedx');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(await validateCycloneDx(document)).toBeNull();
    expect(document).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
    const components = document.components as Component[];
    const models = components.filter((component) => component.type === 'machine-learning-model');
    expect(models.map((model) => model.version)).toEqual(['record-0', 'record-1', 'record-2', 'record-3']);
    const data = components.filter((component) => component.type === 'data');
    expect(new Set(data.map((dataset) => dataset.name))).toEqual(new Set(['fraud-train', 'fraud-eval']));
    const libraries = components.filter((component) => component.type === 'library');
    expect(libraries.map((library) => library.purl)).toEqual(
      expect.arrayContaining(['pkg:pypi/pandas@2.2.0', 'pkg:pypi/numpy@1.20.0']),
    );
    expect((document.metadata as { component: Component }).component.type).toBe('application');
  });

  it('of one record: the model is the subject, with hashes, model card, datasets with licences, provenance', async () => {
    const { status, document } = await exported('cyclonedx', '--record', '2');
    expect(status).toBe(0);
    expect(await validateCycloneDx(document)).toBeNull();
    const files = await ledgerFiles(repo);
    const bundle = JSON.parse(await readFile(files[2] as string, 'utf8')) as {
      dsseEnvelope: { payload: string };
    };
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as {
      subject: { name: string; digest: { sha256: string } }[];
      predicate: { commit: { sha: string } };
    };
    const model = (document.metadata as { component: Component }).component;
    expect(model).toMatchObject({
      type: 'machine-learning-model',
      name: 'model/model.safetensors',
      version: 'record-2',
    });
    expect(model.hashes).toEqual([{ alg: 'SHA-256', content: statement.subject[0]?.digest.sha256 }]);
    const property = (name: string): string | undefined =>
      model.properties?.find((entry) => entry.name === name)?.value;
    expect(property('model-ledger:chain.index')).toBe('2');
    expect(property('model-ledger:commit.sha')).toBe(statement.predicate.commit.sha);
    expect(property('model-ledger:signer')).toMatch(/^key:[0-9a-f]{64}$/);
    expect(property('model-ledger:record.verified')).toBe('true');
    expect(model.externalReferences?.[0]).toMatchObject({ type: 'attestation', url: files[2] });
    const card = model.modelCard as {
      modelParameters: { datasets: { ref: string }[] };
      quantitativeAnalysis: { performanceMetrics: { type: string; value: string }[] };
      considerations: {
        technicalLimitations: string[];
        users: string[];
        useCases: string[];
        ethicalConsiderations: { name: string }[];
      };
      properties: { name: string; value: string }[];
    };
    expect(card.quantitativeAnalysis.performanceMetrics).toEqual([
      { type: 'auc', value: '0.81' },
      { type: 'loss', value: '0.48' },
    ]);
    expect(card.properties).toEqual(
      expect.arrayContaining([{ name: 'model-ledger:training.epochs', value: '5' }]),
    );
    expect(card.considerations).toMatchObject({
      technicalLimitations: ['not for credit decisions'],
      users: ['fraud analysts'],
      useCases: ['fraud scoring research'],
      ethicalConsiderations: [{ name: 'dataset fraud-train holds personal data' }],
    });
    const components = document.components as Component[];
    const refs = card.modelParameters.datasets.map((entry) => entry.ref);
    const datasets = refs.map((ref) => components.find((component) => component['bom-ref'] === ref));
    expect(datasets.map((dataset) => [dataset?.name, dataset?.licenses])).toEqual([
      ['fraud-train', [{ expression: 'CC-BY-4.0' }]],
      ['fraud-eval', [{ license: { name: 'Acme internal data licence' } }]],
    ]);
    const dependencies = document.dependencies as { ref: string; dependsOn: string[] }[];
    expect(dependencies.find((entry) => entry.ref === model['bom-ref'])?.dependsOn).toEqual(
      expect.arrayContaining([...refs, 'pkg:pypi/numpy@1.22.0', 'pkg:pypi/torch@2.2.0']),
    );
  });

  it('the validator refuses what the schema forbids (the check can fail)', async () => {
    const { document } = await exported('cyclonedx', '--record', '0');
    const broken = structuredClone(document) as { metadata: { component: { type: string } } };
    broken.metadata.component.type = 'neural-network';
    expect(await validateCycloneDx(broken)).not.toBeNull();
  });
});

describe('SPDX 3.0.1 with the AI and Dataset profiles', () => {
  it('of the whole ledger validates against the SPDX 3.0.1 JSON schema', async () => {
    const { status, document } = await exported('spdx3');
    expect(status).toBe(0);
    expect(validateSpdx(document)).toEqual([]);
    const graph = document['@graph'] as Record<string, unknown>[];
    const of = (type: string) => graph.filter((element) => element.type === type);
    expect(of('ai_AIPackage')).toHaveLength(4);
    expect(
      of('dataset_DatasetPackage')
        .map((element) => element.name)
        .sort(),
    ).toEqual(
      // data/train changes at v2 (a part added): two versions of it, one of eval
      ['fraud-eval', 'fraud-train', 'fraud-train'],
    );
    expect(of('SpdxDocument')).toHaveLength(1);
  });

  it('relates the model to what it was trained and tested on and depends on, with hashes and licences', async () => {
    const { document } = await exported('spdx3', '--record', '3');
    expect(validateSpdx(document)).toEqual([]);
    const graph = document['@graph'] as Record<string, unknown>[];
    const byId = new Map(graph.map((element) => [element.spdxId, element]));
    const model = graph.find((element) => element.type === 'ai_AIPackage') as Record<string, unknown>;
    expect(model).toMatchObject({
      name: 'model/model.safetensors',
      software_primaryPurpose: 'model',
      verifiedUsing: [{ type: 'Hash', algorithm: 'sha256' }],
    });
    expect(model.ai_metric).toEqual(
      expect.arrayContaining([{ type: 'DictionaryEntry', key: 'auc', value: '0.815' }]),
    );
    expect(model.ai_hyperparameter).toEqual(
      expect.arrayContaining([{ type: 'DictionaryEntry', key: 'epochs', value: '6' }]),
    );
    const related = (type: string, from = model.spdxId) =>
      graph
        .filter(
          (element) =>
            element.type === 'Relationship' && element.from === from && element.relationshipType === type,
        )
        .flatMap((element) => element.to as string[])
        .map((id) => byId.get(id) ?? id);
    expect(related('trainedOn').map((element) => (element as { name: string }).name)).toEqual([
      'fraud-train',
    ]);
    expect(related('testedOn').map((element) => (element as { name: string }).name)).toEqual(['fraud-eval']);
    expect(
      related('dependsOn').map((element) => (element as { software_packageUrl: string }).software_packageUrl),
    ).toEqual(expect.arrayContaining(['pkg:pypi/pandas@2.2.0', 'pkg:pypi/torch@2.0.0']));
    expect(related('hasDeclaredLicense')).toEqual(['expandedlicensing_NoAssertionLicense']);
    const train = related('trainedOn')[0] as {
      spdxId: string;
      dataset_hasSensitivePersonalInformation: string;
    };
    expect(train.dataset_hasSensitivePersonalInformation).toBe('yes');
    expect(related('hasDeclaredLicense', train.spdxId)).toEqual([
      expect.objectContaining({ simplelicensing_licenseExpression: 'CC-BY-4.0' }),
    ]);
    const annotation = graph.find((element) => element.type === 'Annotation') as { statement: string };
    expect(JSON.parse(annotation.statement)).toMatchObject({
      record: 3,
      chain: { index: 3 },
      signing: 'key',
      verified: true,
    });
  });

  it('the validator refuses what the schema forbids (the check can fail)', async () => {
    const { document } = await exported('spdx3', '--record', '0');
    const broken = structuredClone(document) as { '@graph': Record<string, unknown>[] };
    const dataset = broken['@graph'].find((element) => element.type === 'dataset_DatasetPackage') as Record<
      string,
      unknown
    >;
    delete dataset.dataset_datasetType;
    expect(validateSpdx(broken)).not.toEqual([]);
  });
});

describe('export --format', () => {
  it('writes the document to --out and says so', async () => {
    const run = await runCli(
      ['export', '--format', 'spdx3', '--out', 'ledger.spdx.json', '--key', 'team.pub.pem', '--json'],
      repo.dir,
      repo.env,
    );
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as { out: string; sha256: string; format: string };
    expect(summary.format).toBe('spdx3');
    expect(validateSpdx(JSON.parse(await readFile(summary.out, 'utf8')))).toEqual([]);
  });

  it('refuses an unknown format and a range with no record (exit 2)', async () => {
    const unknown = await runCli(['export', '--format', 'spdx2'], repo.dir, repo.env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown format "spdx2"/);
    const empty = await runCli(
      ['export', '--format', 'cyclonedx', '--from', '7', '--to', '9', '--key', 'team.pub.pem'],
      repo.dir,
      repo.env,
    );
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/no record has an index from 7 to 9/);
  });

  it('marks records that do not verify, and exits 1', async () => {
    const copy = await keyedRepo();
    try {
      await copy.write('model-ledger.yml', CONFIG);
      const saved = repo;
      repo = copy;
      try {
        await recordVersion(0);
        await recordVersion(1);
      } finally {
        repo = saved;
      }
      const files = await ledgerFiles(copy);
      await tamperWithRecord(files[0] as string);
      const run = await runCli(
        ['export', '--format', 'cyclonedx', '--key', 'team.pub.pem'],
        copy.dir,
        copy.env,
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^FAIL /m);
      const bom = JSON.parse(run.stdout) as { metadata: { properties: { name: string; value: string }[] } };
      expect(bom.metadata.properties).toEqual(
        expect.arrayContaining([{ name: 'model-ledger:range.verified', value: 'false' }]),
      );
    } finally {
      await copy.cleanup();
    }
  });

  it('the evidence pack carries both documents, listed with their digests in SHA256SUMS', async () => {
    const run = await runCli(
      ['export', '--out', 'evidence.zip', '--from', '1', '--to', '3', '--key', 'team.pub.pem'],
      repo.dir,
      repo.env,
    );
    expect(run.status).toBe(0);
    const entries = await readZipEntries(await readFile(join(repo.dir, 'evidence.zip')));
    const bom = entries.get('exports/ledger.cdx.json');
    const spdx = entries.get('exports/ledger.spdx.json');
    expect(await validateCycloneDx(JSON.parse(String(bom)))).toBeNull();
    expect(validateSpdx(JSON.parse(String(spdx)))).toEqual([]);
    const sums = String(entries.get('SHA256SUMS'));
    expect(sums).toContain(`${sha256Hex(bom as Buffer)}  exports/ledger.cdx.json`);
    expect(sums).toContain(`${sha256Hex(spdx as Buffer)}  exports/ledger.spdx.json`);
    const models = (JSON.parse(String(bom)) as { components: Component[] }).components.filter(
      (component) => component.type === 'machine-learning-model',
    );
    expect(models.map((model) => model.version)).toEqual(['record-1', 'record-2', 'record-3']);
  });

  it('the library builders give the same documents the command writes', async () => {
    const loaded = await loadLedger({ store: new LocalStore(join(repo.dir, '.model-ledger')) });
    const now = new Date('2026-01-01T00:00:00Z');
    expect(await validateCycloneDx(buildCycloneDx({ ledger: loaded, now, from: 1, to: 2 }))).toBeNull();
    expect(validateSpdx(buildSpdx3({ ledger: loaded, now, from: 1, to: 2 }))).toEqual([]);
    // Same records, same serial number: a re-export is recognisably the same BOM.
    expect(buildCycloneDx({ ledger: loaded, now, from: 1, to: 2 }).serialNumber).toBe(
      buildCycloneDx({ ledger: loaded, from: 1, to: 2 }).serialNumber,
    );
  });
});
