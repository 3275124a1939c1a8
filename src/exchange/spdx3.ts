/**
 * SPDX 3.0.1 (JSON-LD) of ledger records, with the AI and Dataset profiles: each record's models
 * as `ai_AIPackage` (hash, hyperparameters, metrics, training source), its datasets as
 * `dataset_DatasetPackage`, its locked dependencies as `software_Package` with purls, and
 * `trainedOn` / `testedOn` / `dependsOn` relationships between them; licences as declared and
 * concluded licence relationships (NOASSERTION when nothing is known); the record's provenance
 * in an annotation and external references. Read by the SPDX tools (spdx3-validate, tools-java,
 * tools-python), and the EU AI Act documentation tooling that builds on SPDX 3.
 */
import { trainingValues } from '../record/training-values.js';
import type { DatasetEntry, ModelEntry } from '../record/predicate.js';
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

export const SPDX3_CONTEXT = 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld';
const NO_ASSERTION_LICENSE = 'expandedlicensing_NoAssertionLicense';
const CREATION_INFO = '_:creationinfo';

type Json = { [key: string]: unknown };

export interface Spdx3Document {
  '@context': typeof SPDX3_CONTEXT;
  '@graph': Json[];
}

export function buildSpdx3(options: ExchangeOptions): Spdx3Document {
  const records = selectRecords(options.ledger, options);
  const base = `urn:model-ledger:${documentDigest(records).slice(0, 32)}:`;
  const id = (kind: string, name: string): string => `${base}${kind}:${encodeURIComponent(name)}`;
  const elements = new Map<string, Json>();
  const add = (element: Json): string => {
    const spdxId = element.spdxId as string;
    if (!elements.has(spdxId)) elements.set(spdxId, { ...element, creationInfo: CREATION_INFO });
    return spdxId;
  };
  let relationships = 0;
  const relate = (from: string, type: string, to: string[]): void => {
    if (to.length === 0) return;
    add({
      type: 'Relationship',
      spdxId: id('relationship', String(relationships++)),
      from,
      relationshipType: type,
      to,
    });
  };
  const licenseOf = (text: string | undefined): string => {
    if (text === undefined) return NO_ASSERTION_LICENSE;
    return add({
      type: 'simplelicensing_LicenseExpression',
      spdxId: id('license', text),
      simplelicensing_licenseExpression: looksLikeLicenseExpression(text) ? text : `LicenseRef-${slug(text)}`,
    });
  };

  const agent = add({ type: 'SoftwareAgent', spdxId: id('agent', 'model-ledger'), name: 'model-ledger' });
  const tool = add({
    type: 'Tool',
    spdxId: id('tool', `model-ledger@${TOOL_VERSION}`),
    name: `model-ledger ${TOOL_VERSION}`,
  });
  const roots: string[] = [];
  // A dataset listed by several records is one package, with one pair of licence relationships.
  const declaredLicenses = new Set<string>();

  for (const record of records) {
    const predicate = record.statement.predicate;
    const trained: string[] = [];
    const tested: string[] = [];
    for (const dataset of predicate.datasets) {
      const datasetId = add(
        datasetPackage(id('dataset', `${dataset.name}@${dataset.digest.sha256}`), dataset),
      );
      const license =
        typeof dataset.description?.license === 'string' ? dataset.description.license : undefined;
      if (!declaredLicenses.has(datasetId)) {
        declaredLicenses.add(datasetId);
        const licenseId = licenseOf(license);
        relate(datasetId, 'hasDeclaredLicense', [licenseId]);
        relate(datasetId, 'hasConcludedLicense', [licenseId]);
      }
      (datasetRole(dataset.name, dataset.description) === 'testedOn' ? tested : trained).push(datasetId);
    }
    const libraries: string[] = [];
    for (const lockfile of predicate.dependencies.lockfiles) {
      for (const pkg of lockfile.packages) {
        const hash = integrityDigest(pkg.integrity);
        libraries.push(
          add({
            type: 'software_Package',
            spdxId: id('package', pkg.purl),
            name: pkg.name,
            software_packageVersion: pkg.version,
            software_packageUrl: pkg.purl,
            software_primaryPurpose: 'library',
            externalIdentifier: [
              { type: 'ExternalIdentifier', externalIdentifierType: 'packageUrl', identifier: pkg.purl },
            ],
            ...(hash
              ? { verifiedUsing: [{ type: 'Hash', algorithm: hash.algorithm, hashValue: hash.hex }] }
              : {}),
          }),
        );
      }
    }
    for (const model of predicate.models) {
      const modelId = add(aiPackage(id('model', `${record.index}:${model.name}`), model, record));
      roots.push(modelId);
      // The AI profile asks for exactly one declared and one concluded licence per AIPackage.
      relate(modelId, 'hasDeclaredLicense', [NO_ASSERTION_LICENSE]);
      relate(modelId, 'hasConcludedLicense', [NO_ASSERTION_LICENSE]);
      relate(modelId, 'trainedOn', trained);
      relate(modelId, 'testedOn', tested);
      relate(modelId, 'dependsOn', [...new Set(libraries)]);
      add({
        type: 'Annotation',
        spdxId: id('annotation', `${record.index}:${model.name}`),
        annotationType: 'other',
        subject: modelId,
        contentType: 'application/json',
        statement: JSON.stringify(provenance(record)),
      });
    }
  }

  const first = records[0] as ExportedRecord;
  const last = records[records.length - 1] as ExportedRecord;
  const documentId = id('document', `${first.index}-${last.index}`);
  const graph: Json[] = [
    {
      type: 'CreationInfo',
      '@id': CREATION_INFO,
      specVersion: '3.0.1',
      created: isoSeconds(options.now ?? new Date()),
      createdBy: [agent],
      createdUsing: [tool],
    },
    ...elements.values(),
    {
      type: 'SpdxDocument',
      spdxId: documentId,
      creationInfo: CREATION_INFO,
      name: `${first.statement.predicate.chain.origin} records ${first.index} to ${last.index}`,
      comment: `model-ledger records ${first.index} to ${last.index} of ${first.statement.predicate.chain.origin}; head statement sha256 ${last.statementSha256}`,
      profileConformance: ['core', 'software', 'ai', 'dataset', 'simpleLicensing'],
      dataLicense: licenseOf('CC0-1.0'),
      rootElement: roots.length > 0 ? roots : [agent],
      element: [...elements.keys()],
    },
  ];
  return { '@context': SPDX3_CONTEXT, '@graph': graph };
}

function aiPackage(spdxId: string, model: ModelEntry, record: ExportedRecord): Json {
  const { params, metrics } = trainingValues(record.statement);
  const predicate = record.statement.predicate;
  const references: Json[] = [
    {
      type: 'ExternalRef',
      externalRefType: 'secureSoftwareAttestation',
      locator: [record.location],
      comment: `model-ledger record ${record.index}: Sigstore bundle, sha256 ${record.bundleSha256}`,
    },
  ];
  if (predicate.commit?.repositoryUrl) {
    references.push({
      type: 'ExternalRef',
      externalRefType: 'vcs',
      locator: [predicate.commit.repositoryUrl],
    });
  }
  if (predicate.environment.ci.runUrl) {
    references.push({
      type: 'ExternalRef',
      externalRefType: 'buildSystem',
      locator: [predicate.environment.ci.runUrl],
    });
  }
  return {
    type: 'ai_AIPackage',
    spdxId,
    name: model.name,
    software_packageVersion: `record-${record.index}`,
    software_primaryPurpose: 'model',
    software_downloadLocation: 'NOASSERTION',
    builtTime: isoSeconds(new Date(predicate.recordedAt)),
    verifiedUsing: [{ type: 'Hash', algorithm: 'sha256', hashValue: model.digest.sha256 }],
    ...(model.format ? { ai_typeOfModel: [model.format] } : {}),
    ...(predicate.training
      ? {
          ai_informationAboutTraining: `${predicate.training.source} (sha256 ${predicate.training.sourceSha256})`,
        }
      : {}),
    ...(Object.keys(params).length > 0
      ? {
          ai_hyperparameter: Object.entries(params).map(([key, value]) => ({
            type: 'DictionaryEntry',
            key,
            value: valueText(value),
          })),
        }
      : {}),
    ...(Object.keys(metrics).length > 0
      ? {
          ai_metric: Object.entries(metrics).map(([key, value]) => ({
            type: 'DictionaryEntry',
            key,
            value: valueText(value),
          })),
        }
      : {}),
    ...(predicate.datasets.some((dataset) => dataset.description?.personalData === true)
      ? { ai_useSensitivePersonalInformation: 'yes' }
      : {}),
    comment: `${model.kind === 'directory' ? 'directory: sha256 of its sorted `<sha256>  <path>` manifest' : 'file: sha256 of its bytes'}; recorded by model-ledger (record ${record.index}, statement sha256 ${record.statementSha256})`,
    externalRef: references,
  };
}

function datasetPackage(spdxId: string, dataset: DatasetEntry): Json {
  const description = dataset.description ?? {};
  const personal = description.personalData;
  return {
    type: 'dataset_DatasetPackage',
    spdxId,
    name: dataset.name,
    software_primaryPurpose: 'data',
    software_downloadLocation: dataset.uri ?? 'NOASSERTION',
    dataset_datasetType: ['noAssertion'],
    dataset_datasetSize: dataset.size,
    verifiedUsing: [{ type: 'Hash', algorithm: 'sha256', hashValue: dataset.digest.sha256 }],
    ...(typeof personal === 'boolean'
      ? { dataset_hasSensitivePersonalInformation: personal ? 'yes' : 'no' }
      : {}),
    ...(typeof description.intendedUse === 'string' ? { dataset_intendedUse: description.intendedUse } : {}),
    ...(typeof description.source === 'string'
      ? { dataset_dataCollectionProcess: `source: ${description.source}` }
      : {}),
    comment: `${dataset.kind}${dataset.path ? ` ${dataset.path}` : ''}, ${dataset.files} file(s), ${dataset.size} bytes${dataset.kind === 'directory' ? '; sha256 of its sorted `<sha256>  <path>` manifest' : ''}`,
  };
}

/** What the annotation says: where the record sits in the chain, who signed it, from which commit. */
function provenance(record: ExportedRecord): Json {
  const predicate = record.statement.predicate;
  return {
    record: record.index,
    statementSha256: record.statementSha256,
    bundleSha256: record.bundleSha256,
    location: record.location,
    verified: record.verified,
    chain: predicate.chain,
    signing: predicate.signing.mode,
    signer: record.signer,
    commit: predicate.commit
      ? { sha: predicate.commit.sha, repositoryUrl: predicate.commit.repositoryUrl }
      : null,
    reason: predicate.change.reason,
  };
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'unknown';
}

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function serializeSpdx3(document: Spdx3Document): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
