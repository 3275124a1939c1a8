/**
 * CycloneDX 1.6 ML-BOM of ledger records (JSON): each record's models as `machine-learning-model`
 * components with their hashes and a model card (training parameters, datasets, metrics), its
 * datasets as `data` components, its locked dependencies as `library` components with purls,
 * and the record's provenance — commit, signer, chain position, where the signed bundle is — as
 * properties and external references. Read by Dependency-Track, cdxgen, sbom-utility and most SBOM tools.
 */
import { trainingValues } from '../record/training-values.js';
import type { DatasetEntry, JsonObject, JsonValue, ModelEntry } from '../record/predicate.js';
import { TOOL_VERSION } from '../record/version.js';
import {
  datasetRole,
  documentDigest,
  integrityDigest,
  looksLikeLicenseExpression,
  selectRecords,
  valueText,
  type ExchangeOptions,
  type ExportedRecord,
} from './select.js';

type Json = { [key: string]: unknown };
interface Property {
  name: string;
  value: string;
}

/** Property names are namespaced, as the CycloneDX property taxonomy asks of tools. */
const NS = 'model-ledger';
const HASH_NAMES = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;

export interface CycloneDxBom {
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: number;
  metadata: Json;
  components: Json[];
  dependencies: { ref: string; dependsOn: string[] }[];
}

export function buildCycloneDx(options: ExchangeOptions): CycloneDxBom {
  const records = selectRecords(options.ledger, options);
  const digest = documentDigest(records);
  const components = new Map<string, Json>();
  const dependencies = new Map<string, Set<string>>();
  const models: string[] = [];
  const depend = (from: string, to: string): void => {
    const set = dependencies.get(from) ?? new Set<string>();
    set.add(to);
    dependencies.set(from, set);
  };

  for (const record of records) {
    const predicate = record.statement.predicate;
    const datasetRefs: string[] = [];
    for (const dataset of predicate.datasets) {
      const ref = `dataset:${dataset.name}@${dataset.digest.sha256.slice(0, 16)}`;
      if (!components.has(ref)) components.set(ref, datasetComponent(ref, dataset));
      datasetRefs.push(ref);
    }
    const libraryRefs: string[] = [];
    for (const lockfile of predicate.dependencies.lockfiles) {
      for (const pkg of lockfile.packages) {
        if (!components.has(pkg.purl)) {
          const hash = integrityDigest(pkg.integrity);
          components.set(pkg.purl, {
            type: 'library',
            'bom-ref': pkg.purl,
            name: pkg.name,
            version: pkg.version,
            purl: pkg.purl,
            ...(hash ? { hashes: [{ alg: HASH_NAMES[hash.algorithm], content: hash.hex }] } : {}),
            ...(pkg.dev ? { scope: 'optional' } : {}),
            properties: [
              { name: `${NS}:ecosystem`, value: pkg.ecosystem },
              { name: `${NS}:lockfile`, value: lockfile.path },
              ...(pkg.direct === undefined ? [] : [{ name: `${NS}:direct`, value: String(pkg.direct) }]),
            ],
          });
        }
        libraryRefs.push(pkg.purl);
      }
    }
    for (const model of predicate.models) {
      const ref = `record-${record.index}:model:${model.name}`;
      components.set(ref, modelComponent(ref, model, record, datasetRefs));
      models.push(ref);
      for (const to of [...datasetRefs, ...libraryRefs]) depend(ref, to);
    }
  }

  const single = models.length === 1 && records.length === 1 ? models[0] : undefined;
  const first = records[0] as ExportedRecord;
  const last = records[records.length - 1] as ExportedRecord;
  const ledgerRef = `ledger:${first.statement.predicate.chain.origin}`;
  const root: Json = single
    ? (components.get(single) as Json)
    : {
        type: 'application',
        'bom-ref': ledgerRef,
        name: first.statement.predicate.chain.origin,
        version: `records ${first.index}-${last.index}`,
        description:
          'A model-ledger ledger: signed, hash-chained records of changes to machine-learning models',
      };
  if (single) components.delete(single);
  else for (const model of models) depend(ledgerRef, model);

  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: uuidUrn(digest),
    version: 1,
    metadata: {
      timestamp: isoSeconds(options.now ?? new Date()),
      tools: { components: [{ type: 'application', name: 'model-ledger', version: TOOL_VERSION }] },
      component: root,
      properties: [
        { name: `${NS}:ledger.origin`, value: first.statement.predicate.chain.origin },
        { name: `${NS}:range.from`, value: String(first.index) },
        { name: `${NS}:range.to`, value: String(last.index) },
        { name: `${NS}:range.verified`, value: String(records.every((record) => record.verified)) },
        { name: `${NS}:head.statementSha256`, value: last.statementSha256 },
      ],
    },
    components: [...components.values()],
    dependencies: [...dependencies].map(([ref, set]) => ({ ref, dependsOn: [...set] })),
  };
}

function modelComponent(ref: string, model: ModelEntry, record: ExportedRecord, datasetRefs: string[]): Json {
  const { params, metrics } = trainingValues(record.statement);
  const considerations = modelConsiderations(record);
  const modelParameters: Json = {
    ...(model.format ? { architectureFamily: model.format } : {}),
    ...(datasetRefs.length > 0 ? { datasets: datasetRefs.map((datasetRef) => ({ ref: datasetRef })) } : {}),
  };
  const performanceMetrics = Object.entries(metrics).map(([type, value]) => ({
    type,
    value: valueText(value),
  }));
  const modelCard: Json = {
    ...(Object.keys(modelParameters).length > 0 ? { modelParameters } : {}),
    ...(performanceMetrics.length > 0 ? { quantitativeAnalysis: { performanceMetrics } } : {}),
    ...(considerations ? { considerations } : {}),
    properties: [
      ...Object.entries(params).map(([key, value]) => ({
        name: `${NS}:training.${key}`,
        value: valueText(value),
      })),
      ...(record.statement.predicate.training
        ? [
            { name: `${NS}:training.source`, value: record.statement.predicate.training.source },
            { name: `${NS}:training.sourceSha256`, value: record.statement.predicate.training.sourceSha256 },
          ]
        : []),
    ],
  };
  return {
    type: 'machine-learning-model',
    'bom-ref': ref,
    name: model.name,
    version: `record-${record.index}`,
    hashes: [{ alg: 'SHA-256', content: model.digest.sha256 }],
    modelCard,
    externalReferences: provenanceReferences(record),
    properties: [
      { name: `${NS}:model.kind`, value: model.kind },
      { name: `${NS}:model.size`, value: String(model.size) },
      ...(model.files === undefined ? [] : [{ name: `${NS}:model.files`, value: String(model.files) }]),
      ...(model.kind === 'directory'
        ? [
            {
              name: `${NS}:model.digest`,
              value: 'sha256 of the sorted `<sha256>  <path>` manifest of its files',
            },
          ]
        : []),
      ...metadataProperties(model.metadata),
      ...provenanceProperties(record),
    ],
  };
}

/** Which records a component came from, and how far to trust it. */
function provenanceProperties(record: ExportedRecord): Property[] {
  const predicate = record.statement.predicate;
  const commit = predicate.commit;
  return [
    { name: `${NS}:record.index`, value: String(record.index) },
    { name: `${NS}:record.statementSha256`, value: record.statementSha256 },
    { name: `${NS}:record.bundleSha256`, value: record.bundleSha256 },
    { name: `${NS}:record.recordedAt`, value: predicate.recordedAt },
    { name: `${NS}:record.verified`, value: String(record.verified) },
    { name: `${NS}:chain.origin`, value: predicate.chain.origin },
    { name: `${NS}:chain.index`, value: String(predicate.chain.index) },
    ...(predicate.chain.previous
      ? [{ name: `${NS}:chain.previous.statementSha256`, value: predicate.chain.previous.statementSha256 }]
      : []),
    { name: `${NS}:signing.mode`, value: predicate.signing.mode },
    ...(record.signer ? [{ name: `${NS}:signer`, value: record.signer }] : []),
    ...(commit
      ? [
          { name: `${NS}:commit.sha`, value: commit.sha },
          { name: `${NS}:commit.author`, value: `${commit.author.name} <${commit.author.email}>` },
          ...(commit.ref ? [{ name: `${NS}:commit.ref`, value: commit.ref }] : []),
        ]
      : []),
    ...(predicate.change.reason ? [{ name: `${NS}:change.reason`, value: predicate.change.reason }] : []),
    ...(predicate.change.pullRequest
      ? [{ name: `${NS}:change.pullRequest`, value: predicate.change.pullRequest.url }]
      : []),
  ];
}

function provenanceReferences(record: ExportedRecord): Json[] {
  const predicate = record.statement.predicate;
  const references: Json[] = [
    {
      type: 'attestation',
      url: record.location,
      comment: `model-ledger record ${record.index}: Sigstore bundle (in-toto statement, DSSE)`,
      hashes: [{ alg: 'SHA-256', content: record.bundleSha256 }],
    },
  ];
  const url = predicate.commit?.repositoryUrl;
  if (url) references.push({ type: 'vcs', url, comment: `commit ${predicate.commit?.sha ?? ''}` });
  if (predicate.change.pullRequest) {
    references.push({
      type: 'issue-tracker',
      url: predicate.change.pullRequest.url,
      comment: 'pull request',
    });
  }
  const run = predicate.environment.ci.runUrl;
  if (run) references.push({ type: 'build-system', url: run, comment: 'CI run that made the record' });
  return references;
}

/**
 * Considerations: what the training description declares under `considerations:` (the model
 * card's own keys), and, from the datasets' descriptions, their intended use and personal data.
 */
function modelConsiderations(record: ExportedRecord): Json | undefined {
  const run = record.statement.predicate.training?.run;
  const declared = run && isObject(run.considerations) ? run.considerations : {};
  const list = (value: JsonValue | undefined): string[] =>
    Array.isArray(value)
      ? value.map((item) => valueText(item))
      : value === undefined
        ? []
        : [valueText(value)];
  const considerations: Json = {};
  for (const key of ['users', 'useCases', 'technicalLimitations'] as const) {
    const values = list(declared[key]);
    if (values.length > 0) considerations[key] = values;
  }
  const useCases = record.statement.predicate.datasets
    .map((dataset) => dataset.description?.intendedUse)
    .filter((use): use is string => typeof use === 'string');
  if (useCases.length > 0) {
    considerations.useCases = [...new Set([...((considerations.useCases as string[]) ?? []), ...useCases])];
  }
  const ethical = [
    ...list(declared.ethicalConsiderations).map((name) => ({ name })),
    ...record.statement.predicate.datasets
      .filter((dataset) => dataset.description?.personalData === true)
      .map((dataset) => ({ name: `dataset ${dataset.name} holds personal data` })),
  ];
  if (ethical.length > 0) considerations.ethicalConsiderations = ethical;
  return Object.keys(considerations).length > 0 ? considerations : undefined;
}

function datasetComponent(ref: string, dataset: DatasetEntry): Json {
  const description = dataset.description ?? {};
  const license = typeof description.license === 'string' ? description.license : undefined;
  return {
    type: 'data',
    'bom-ref': ref,
    name: dataset.name,
    hashes: [{ alg: 'SHA-256', content: dataset.digest.sha256 }],
    ...(license
      ? {
          licenses: [
            looksLikeLicenseExpression(license) ? { expression: license } : { license: { name: license } },
          ],
        }
      : {}),
    data: [
      {
        type: 'dataset',
        name: dataset.name,
        ...(dataset.uri ? { contents: { url: dataset.uri } } : {}),
        ...(typeof description.split === 'string' ? { classification: description.split } : {}),
        ...(description.personalData === true ? { sensitiveData: ['personal data'] } : {}),
        ...(typeof description.source === 'string' ? { description: `source: ${description.source}` } : {}),
      },
    ],
    properties: [
      { name: `${NS}:dataset.kind`, value: dataset.kind },
      { name: `${NS}:dataset.size`, value: String(dataset.size) },
      { name: `${NS}:dataset.files`, value: String(dataset.files) },
      { name: `${NS}:dataset.role`, value: datasetRole(dataset.name, description) },
      ...(dataset.path ? [{ name: `${NS}:dataset.path`, value: dataset.path }] : []),
      ...Object.entries(description)
        .filter(([key]) => key !== 'license')
        .map(([key, value]) => ({ name: `${NS}:dataset.${key}`, value: valueText(value) })),
    ],
  };
}

function metadataProperties(metadata: JsonObject | undefined): Property[] {
  if (!metadata) return [];
  return Object.entries(metadata)
    .filter(([, value]) => value === null || typeof value !== 'object')
    .map(([key, value]) => ({ name: `${NS}:model.${key}`, value: valueText(value) }));
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A UUID (version 5 layout) from a digest: the same records give the same serial number. */
function uuidUrn(hex: string): string {
  const bytes = Buffer.from(hex.slice(0, 32), 'hex');
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** The document as written to a file: pretty JSON and a newline. */
export function serializeCycloneDx(bom: CycloneDxBom): string {
  return `${JSON.stringify(bom, null, 2)}\n`;
}
