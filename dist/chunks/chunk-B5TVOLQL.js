import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  auditCompleteness,
  auditReplay
} from "./chunk-Z6Q4YMD6.js";
import {
  DEFAULT_CONFIG_FILE,
  loadConfig
} from "./chunk-76AGCTII.js";
import {
  PACK_MANIFEST_FILE,
  packManifestPayload
} from "./chunk-ZX3WVEAR.js";
import {
  environmentValues,
  modelSummary,
  trainingValues
} from "./chunk-U4STTRVI.js";
import {
  readStoredManifest,
  safetyFindings
} from "./chunk-QQ2VBXZD.js";
import {
  personLabel,
  recordFacts
} from "./chunk-CF6SQW4Y.js";
import {
  runGit
} from "./chunk-3DDHEWZZ.js";
import {
  TOOL_VERSION
} from "./chunk-KIVWQLOT.js";
import {
  MerkleTree,
  leafHash,
  parseCheckpoint
} from "./chunk-L2DKPJSZ.js";
import {
  checkpointBundleName,
  checkpointFileName,
  parseRecordFileName,
  recordFileName
} from "./chunk-FBKVKE4J.js";
import {
  sha256Hex
} from "./chunk-K46IQGOZ.js";
import {
  PREDICATE_TYPE
} from "./chunk-XHSS2EDQ.js";
import {
  GITHUB_ACTIONS_ISSUER
} from "./chunk-IAOLLCTZ.js";
import {
  keyHint
} from "./chunk-KZKQFOQH.js";
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";

// src/audit/pack-audit.ts
import { resolve } from "node:path";
async function packAudit(options) {
  const top = await runGit(options.cwd, ["rev-parse", "--show-toplevel"]);
  if (!top.ok) {
    throw new LedgerError("USAGE", "--audit needs the git repository the ledger records", {
      field: "--audit",
      fix: "run export from a clone of the repository (with its history: not a shallow clone)"
    });
  }
  const root = top.stdout.trim();
  const configFile = options.configFile ?? DEFAULT_CONFIG_FILE;
  const config = await loadConfig(
    resolve(options.cwd, configFile),
    configFile,
    options.configFile !== void 0
  );
  const rowAt = (index) => options.ledger.rows.find((row) => row.index === index);
  const last = rowAt(options.to)?.statement?.predicate.commit?.sha;
  const before = options.from > 0 ? rowAt(options.from - 1)?.recordedAt : null;
  const since = before ? new Date(before) : void 0;
  const completeness = await auditCompleteness({
    cwd: root,
    ledger: options.ledger,
    config,
    configFile,
    ...last ? { ref: last } : {},
    ...since ? { since } : {}
  });
  const indexes = options.replay === "last" ? [options.to] : options.ledger.rows.map((row) => row.index).filter((index) => index >= options.from && index <= options.to);
  const replay = await auditReplay({ cwd: root, ledger: options.ledger, select: { indexes } });
  const scope = `changes up to ${last ? `commit ${last.slice(0, 12)} of record ${options.to}` : "HEAD"}${since ? `, committed since record ${options.from - 1} was made (${since.toISOString()})` : ""}; replay of ${options.replay === "last" ? `record ${options.to}` : `records ${options.from} to ${options.to}`}`;
  return { scope, completeness, replay };
}

// src/exchange/select.ts
import { createHash } from "node:crypto";
function selectRecords(ledger, range) {
  const indexes = ledger.rows.map((row) => row.index);
  if (indexes.length === 0) {
    throw new LedgerError("BAD_INPUT", "the ledger holds no record to export", {
      file: ledger.location,
      fix: "record first: `model-ledger record`"
    });
  }
  const from = range.from ?? 0;
  const to = range.to ?? Math.max(...indexes);
  if (from > to) {
    throw new LedgerError("USAGE", `--from ${from} is after --to ${to}`, { field: "export" });
  }
  const rows = ledger.rows.filter((row) => row.index >= from && row.index <= to).sort((a, b) => a.index - b.index);
  if (rows.length === 0) {
    throw new LedgerError("USAGE", `no record has an index from ${from} to ${to}`, {
      field: "export",
      fix: `the ledger's records are ${Math.min(...indexes)} to ${Math.max(...indexes)}`
    });
  }
  return rows.map((row) => {
    if (!row.statement || row.statementSha256 === null) {
      throw new LedgerError("VERIFICATION_FAILED", "the record cannot be read, so it cannot be exported", {
        file: row.location,
        fix: "run `model-ledger verify` to see what is wrong with it"
      });
    }
    return {
      index: row.index,
      statement: row.statement,
      statementSha256: row.statementSha256,
      bundleSha256: row.bundleSha256,
      location: row.location,
      signer: row.signer,
      verified: row.signatureVerified && row.chainVerified
    };
  });
}
function documentDigest(records) {
  const hash = createHash("sha256");
  for (const record of records) hash.update(`${record.index} ${record.statementSha256}
`);
  return hash.digest("hex");
}
function valueText(value) {
  if (value === void 0 || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
function looksLikeLicenseExpression(text) {
  return /^[A-Za-z0-9.+:-]+( +(AND|OR|WITH) +[A-Za-z0-9.+:-]+)*$/.test(
    text.replace(/[()]/g, " ").replace(/ +/g, " ").trim()
  );
}
function datasetRole(name, description) {
  const split = typeof description?.split === "string" ? description.split.toLowerCase() : void 0;
  const word = split ?? name.toLowerCase();
  return /(^|[^a-z])(test|eval|evaluation|valid|validation|val|holdout)([^a-z]|$)/.test(word) ? "testedOn" : "trainedOn";
}
function integrityDigest(integrity) {
  if (!integrity) return null;
  const match = /^(sha1|sha256|sha384|sha512)[-:](.+)$/.exec(integrity.trim());
  if (!match) return null;
  const algorithm = match[1];
  const value = match[2];
  const lengths = { sha1: 40, sha256: 64, sha384: 96, sha512: 128 };
  const hex = /^[0-9a-fA-F]+$/.test(value) && value.length === lengths[algorithm] ? value.toLowerCase() : Buffer.from(value, "base64").toString("hex");
  return hex.length === lengths[algorithm] ? { algorithm, hex } : null;
}

// src/exchange/cyclonedx.ts
var NS = "model-ledger";
var HASH_NAMES = { sha1: "SHA-1", sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };
function buildCycloneDx(options) {
  const records = selectRecords(options.ledger, options);
  const digest = documentDigest(records);
  const components = /* @__PURE__ */ new Map();
  const dependencies = /* @__PURE__ */ new Map();
  const models = [];
  const depend = (from, to) => {
    const set = dependencies.get(from) ?? /* @__PURE__ */ new Set();
    set.add(to);
    dependencies.set(from, set);
  };
  for (const record of records) {
    const predicate = record.statement.predicate;
    const datasetRefs = [];
    for (const dataset of predicate.datasets) {
      const ref = `dataset:${dataset.name}@${dataset.digest.sha256.slice(0, 16)}`;
      if (!components.has(ref)) components.set(ref, datasetComponent(ref, dataset));
      datasetRefs.push(ref);
    }
    const libraryRefs = [];
    for (const lockfile of predicate.dependencies.lockfiles) {
      for (const pkg of lockfile.packages) {
        if (!components.has(pkg.purl)) {
          const hash = integrityDigest(pkg.integrity);
          components.set(pkg.purl, {
            type: "library",
            "bom-ref": pkg.purl,
            name: pkg.name,
            version: pkg.version,
            purl: pkg.purl,
            ...hash ? { hashes: [{ alg: HASH_NAMES[hash.algorithm], content: hash.hex }] } : {},
            ...pkg.dev ? { scope: "optional" } : {},
            properties: [
              { name: `${NS}:ecosystem`, value: pkg.ecosystem },
              { name: `${NS}:lockfile`, value: lockfile.path },
              ...pkg.direct === void 0 ? [] : [{ name: `${NS}:direct`, value: String(pkg.direct) }]
            ]
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
  const single = models.length === 1 && records.length === 1 ? models[0] : void 0;
  const first = records[0];
  const last = records[records.length - 1];
  const ledgerRef = `ledger:${first.statement.predicate.chain.origin}`;
  const root = single ? components.get(single) : {
    type: "application",
    "bom-ref": ledgerRef,
    name: first.statement.predicate.chain.origin,
    version: `records ${first.index}-${last.index}`,
    description: "A model-ledger ledger: signed, hash-chained records of changes to machine-learning models"
  };
  if (single) components.delete(single);
  else for (const model of models) depend(ledgerRef, model);
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: uuidUrn(digest),
    version: 1,
    metadata: {
      timestamp: isoSeconds(options.now ?? /* @__PURE__ */ new Date()),
      tools: { components: [{ type: "application", name: "model-ledger", version: TOOL_VERSION }] },
      component: root,
      properties: [
        { name: `${NS}:ledger.origin`, value: first.statement.predicate.chain.origin },
        { name: `${NS}:range.from`, value: String(first.index) },
        { name: `${NS}:range.to`, value: String(last.index) },
        { name: `${NS}:range.verified`, value: String(records.every((record) => record.verified)) },
        { name: `${NS}:head.statementSha256`, value: last.statementSha256 }
      ]
    },
    components: [...components.values()],
    dependencies: [...dependencies].map(([ref, set]) => ({ ref, dependsOn: [...set] }))
  };
}
function modelComponent(ref, model, record, datasetRefs) {
  const { params, metrics } = trainingValues(record.statement);
  const considerations = modelConsiderations(record);
  const modelParameters = {
    ...model.format ? { architectureFamily: model.format } : {},
    ...datasetRefs.length > 0 ? { datasets: datasetRefs.map((datasetRef) => ({ ref: datasetRef })) } : {}
  };
  const performanceMetrics = Object.entries(metrics).map(([type, value]) => ({
    type,
    value: valueText(value)
  }));
  const modelCard = {
    ...Object.keys(modelParameters).length > 0 ? { modelParameters } : {},
    ...performanceMetrics.length > 0 ? { quantitativeAnalysis: { performanceMetrics } } : {},
    ...considerations ? { considerations } : {},
    properties: [
      ...Object.entries(params).map(([key, value]) => ({
        name: `${NS}:training.${key}`,
        value: valueText(value)
      })),
      ...record.statement.predicate.training ? [
        { name: `${NS}:training.source`, value: record.statement.predicate.training.source },
        { name: `${NS}:training.sourceSha256`, value: record.statement.predicate.training.sourceSha256 }
      ] : []
    ]
  };
  return {
    type: "machine-learning-model",
    "bom-ref": ref,
    name: model.name,
    version: `record-${record.index}`,
    hashes: [{ alg: "SHA-256", content: model.digest.sha256 }],
    modelCard,
    externalReferences: provenanceReferences(record),
    properties: [
      { name: `${NS}:model.kind`, value: model.kind },
      { name: `${NS}:model.size`, value: String(model.size) },
      ...model.files === void 0 ? [] : [{ name: `${NS}:model.files`, value: String(model.files) }],
      ...model.kind === "directory" ? [
        {
          name: `${NS}:model.digest`,
          value: "sha256 of the sorted `<sha256>  <path>` manifest of its files"
        }
      ] : [],
      ...metadataProperties(model.metadata),
      ...provenanceProperties(record)
    ]
  };
}
function provenanceProperties(record) {
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
    ...predicate.chain.previous ? [{ name: `${NS}:chain.previous.statementSha256`, value: predicate.chain.previous.statementSha256 }] : [],
    { name: `${NS}:signing.mode`, value: predicate.signing.mode },
    ...record.signer ? [{ name: `${NS}:signer`, value: record.signer }] : [],
    ...commit ? [
      { name: `${NS}:commit.sha`, value: commit.sha },
      { name: `${NS}:commit.author`, value: `${commit.author.name} <${commit.author.email}>` },
      ...commit.ref ? [{ name: `${NS}:commit.ref`, value: commit.ref }] : []
    ] : [],
    ...predicate.change.reason ? [{ name: `${NS}:change.reason`, value: predicate.change.reason }] : [],
    ...predicate.change.pullRequest ? [{ name: `${NS}:change.pullRequest`, value: predicate.change.pullRequest.url }] : []
  ];
}
function provenanceReferences(record) {
  const predicate = record.statement.predicate;
  const references = [
    {
      type: "attestation",
      url: record.location,
      comment: `model-ledger record ${record.index}: Sigstore bundle (in-toto statement, DSSE)`,
      hashes: [{ alg: "SHA-256", content: record.bundleSha256 }]
    }
  ];
  const url = predicate.commit?.repositoryUrl;
  if (url) references.push({ type: "vcs", url, comment: `commit ${predicate.commit?.sha ?? ""}` });
  if (predicate.change.pullRequest) {
    references.push({
      type: "issue-tracker",
      url: predicate.change.pullRequest.url,
      comment: "pull request"
    });
  }
  const run = predicate.environment.ci.runUrl;
  if (run) references.push({ type: "build-system", url: run, comment: "CI run that made the record" });
  return references;
}
function modelConsiderations(record) {
  const run = record.statement.predicate.training?.run;
  const declared = run && isObject(run.considerations) ? run.considerations : {};
  const list = (value) => Array.isArray(value) ? value.map((item) => valueText(item)) : value === void 0 ? [] : [valueText(value)];
  const considerations = {};
  for (const key of ["users", "useCases", "technicalLimitations"]) {
    const values = list(declared[key]);
    if (values.length > 0) considerations[key] = values;
  }
  const useCases = record.statement.predicate.datasets.map((dataset) => dataset.description?.intendedUse).filter((use) => typeof use === "string");
  if (useCases.length > 0) {
    considerations.useCases = [.../* @__PURE__ */ new Set([...considerations.useCases ?? [], ...useCases])];
  }
  const ethical = [
    ...list(declared.ethicalConsiderations).map((name) => ({ name })),
    ...record.statement.predicate.datasets.filter((dataset) => dataset.description?.personalData === true).map((dataset) => ({ name: `dataset ${dataset.name} holds personal data` }))
  ];
  if (ethical.length > 0) considerations.ethicalConsiderations = ethical;
  return Object.keys(considerations).length > 0 ? considerations : void 0;
}
function datasetComponent(ref, dataset) {
  const description = dataset.description ?? {};
  const license = typeof description.license === "string" ? description.license : void 0;
  return {
    type: "data",
    "bom-ref": ref,
    name: dataset.name,
    hashes: [{ alg: "SHA-256", content: dataset.digest.sha256 }],
    ...license ? {
      licenses: [
        looksLikeLicenseExpression(license) ? { expression: license } : { license: { name: license } }
      ]
    } : {},
    data: [
      {
        type: "dataset",
        name: dataset.name,
        ...dataset.uri ? { contents: { url: dataset.uri } } : {},
        ...typeof description.split === "string" ? { classification: description.split } : {},
        ...description.personalData === true ? { sensitiveData: ["personal data"] } : {},
        ...typeof description.source === "string" ? { description: `source: ${description.source}` } : {}
      }
    ],
    properties: [
      { name: `${NS}:dataset.kind`, value: dataset.kind },
      { name: `${NS}:dataset.size`, value: String(dataset.size) },
      { name: `${NS}:dataset.files`, value: String(dataset.files) },
      { name: `${NS}:dataset.role`, value: datasetRole(dataset.name, description) },
      ...dataset.path ? [{ name: `${NS}:dataset.path`, value: dataset.path }] : [],
      ...Object.entries(description).filter(([key]) => key !== "license").map(([key, value]) => ({ name: `${NS}:dataset.${key}`, value: valueText(value) }))
    ]
  };
}
function metadataProperties(metadata) {
  if (!metadata) return [];
  return Object.entries(metadata).filter(([, value]) => value === null || typeof value !== "object").map(([key, value]) => ({ name: `${NS}:model.${key}`, value: valueText(value) }));
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function uuidUrn(hex) {
  const bytes = Buffer.from(hex.slice(0, 32), "hex");
  bytes[6] = bytes[6] & 15 | 80;
  bytes[8] = bytes[8] & 63 | 128;
  const h = bytes.toString("hex");
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
function isoSeconds(date) {
  return `${date.toISOString().slice(0, 19)}Z`;
}
function serializeCycloneDx(bom) {
  return `${JSON.stringify(bom, null, 2)}
`;
}

// src/exchange/spdx3.ts
var SPDX3_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
var NO_ASSERTION_LICENSE = "expandedlicensing_NoAssertionLicense";
var CREATION_INFO = "_:creationinfo";
function buildSpdx3(options) {
  const records = selectRecords(options.ledger, options);
  const base = `urn:model-ledger:${documentDigest(records).slice(0, 32)}:`;
  const id = (kind, name) => `${base}${kind}:${encodeURIComponent(name)}`;
  const elements = /* @__PURE__ */ new Map();
  const add = (element) => {
    const spdxId = element.spdxId;
    if (!elements.has(spdxId)) elements.set(spdxId, { ...element, creationInfo: CREATION_INFO });
    return spdxId;
  };
  let relationships = 0;
  const relate = (from, type, to) => {
    if (to.length === 0) return;
    add({
      type: "Relationship",
      spdxId: id("relationship", String(relationships++)),
      from,
      relationshipType: type,
      to
    });
  };
  const licenseOf = (text) => {
    if (text === void 0) return NO_ASSERTION_LICENSE;
    return add({
      type: "simplelicensing_LicenseExpression",
      spdxId: id("license", text),
      simplelicensing_licenseExpression: looksLikeLicenseExpression(text) ? text : `LicenseRef-${slug(text)}`
    });
  };
  const agent = add({ type: "SoftwareAgent", spdxId: id("agent", "model-ledger"), name: "model-ledger" });
  const tool = add({
    type: "Tool",
    spdxId: id("tool", `model-ledger@${TOOL_VERSION}`),
    name: `model-ledger ${TOOL_VERSION}`
  });
  const roots = [];
  const declaredLicenses = /* @__PURE__ */ new Set();
  for (const record of records) {
    const predicate = record.statement.predicate;
    const trained = [];
    const tested = [];
    for (const dataset of predicate.datasets) {
      const datasetId = add(
        datasetPackage(id("dataset", `${dataset.name}@${dataset.digest.sha256}`), dataset)
      );
      const license = typeof dataset.description?.license === "string" ? dataset.description.license : void 0;
      if (!declaredLicenses.has(datasetId)) {
        declaredLicenses.add(datasetId);
        const licenseId = licenseOf(license);
        relate(datasetId, "hasDeclaredLicense", [licenseId]);
        relate(datasetId, "hasConcludedLicense", [licenseId]);
      }
      (datasetRole(dataset.name, dataset.description) === "testedOn" ? tested : trained).push(datasetId);
    }
    const libraries = [];
    for (const lockfile of predicate.dependencies.lockfiles) {
      for (const pkg of lockfile.packages) {
        const hash = integrityDigest(pkg.integrity);
        libraries.push(
          add({
            type: "software_Package",
            spdxId: id("package", pkg.purl),
            name: pkg.name,
            software_packageVersion: pkg.version,
            software_packageUrl: pkg.purl,
            software_primaryPurpose: "library",
            externalIdentifier: [
              { type: "ExternalIdentifier", externalIdentifierType: "packageUrl", identifier: pkg.purl }
            ],
            ...hash ? { verifiedUsing: [{ type: "Hash", algorithm: hash.algorithm, hashValue: hash.hex }] } : {}
          })
        );
      }
    }
    for (const model of predicate.models) {
      const modelId = add(aiPackage(id("model", `${record.index}:${model.name}`), model, record));
      roots.push(modelId);
      relate(modelId, "hasDeclaredLicense", [NO_ASSERTION_LICENSE]);
      relate(modelId, "hasConcludedLicense", [NO_ASSERTION_LICENSE]);
      relate(modelId, "trainedOn", trained);
      relate(modelId, "testedOn", tested);
      relate(modelId, "dependsOn", [...new Set(libraries)]);
      add({
        type: "Annotation",
        spdxId: id("annotation", `${record.index}:${model.name}`),
        annotationType: "other",
        subject: modelId,
        contentType: "application/json",
        statement: JSON.stringify(provenance(record))
      });
    }
  }
  const first = records[0];
  const last = records[records.length - 1];
  const documentId = id("document", `${first.index}-${last.index}`);
  const graph = [
    {
      type: "CreationInfo",
      "@id": CREATION_INFO,
      specVersion: "3.0.1",
      created: isoSeconds2(options.now ?? /* @__PURE__ */ new Date()),
      createdBy: [agent],
      createdUsing: [tool]
    },
    ...elements.values(),
    {
      type: "SpdxDocument",
      spdxId: documentId,
      creationInfo: CREATION_INFO,
      name: `${first.statement.predicate.chain.origin} records ${first.index} to ${last.index}`,
      comment: `model-ledger records ${first.index} to ${last.index} of ${first.statement.predicate.chain.origin}; head statement sha256 ${last.statementSha256}`,
      profileConformance: ["core", "software", "ai", "dataset", "simpleLicensing"],
      dataLicense: licenseOf("CC0-1.0"),
      rootElement: roots.length > 0 ? roots : [agent],
      element: [...elements.keys()]
    }
  ];
  return { "@context": SPDX3_CONTEXT, "@graph": graph };
}
function aiPackage(spdxId, model, record) {
  const { params, metrics } = trainingValues(record.statement);
  const predicate = record.statement.predicate;
  const references = [
    {
      type: "ExternalRef",
      externalRefType: "secureSoftwareAttestation",
      locator: [record.location],
      comment: `model-ledger record ${record.index}: Sigstore bundle, sha256 ${record.bundleSha256}`
    }
  ];
  if (predicate.commit?.repositoryUrl) {
    references.push({
      type: "ExternalRef",
      externalRefType: "vcs",
      locator: [predicate.commit.repositoryUrl]
    });
  }
  if (predicate.environment.ci.runUrl) {
    references.push({
      type: "ExternalRef",
      externalRefType: "buildSystem",
      locator: [predicate.environment.ci.runUrl]
    });
  }
  return {
    type: "ai_AIPackage",
    spdxId,
    name: model.name,
    software_packageVersion: `record-${record.index}`,
    software_primaryPurpose: "model",
    software_downloadLocation: "NOASSERTION",
    builtTime: isoSeconds2(new Date(predicate.recordedAt)),
    verifiedUsing: [{ type: "Hash", algorithm: "sha256", hashValue: model.digest.sha256 }],
    ...model.format ? { ai_typeOfModel: [model.format] } : {},
    ...predicate.training ? {
      ai_informationAboutTraining: `${predicate.training.source} (sha256 ${predicate.training.sourceSha256})`
    } : {},
    ...Object.keys(params).length > 0 ? {
      ai_hyperparameter: Object.entries(params).map(([key, value]) => ({
        type: "DictionaryEntry",
        key,
        value: valueText(value)
      }))
    } : {},
    ...Object.keys(metrics).length > 0 ? {
      ai_metric: Object.entries(metrics).map(([key, value]) => ({
        type: "DictionaryEntry",
        key,
        value: valueText(value)
      }))
    } : {},
    ...predicate.datasets.some((dataset) => dataset.description?.personalData === true) ? { ai_useSensitivePersonalInformation: "yes" } : {},
    comment: `${model.kind === "directory" ? "directory: sha256 of its sorted `<sha256>  <path>` manifest" : "file: sha256 of its bytes"}; recorded by model-ledger (record ${record.index}, statement sha256 ${record.statementSha256})`,
    externalRef: references
  };
}
function datasetPackage(spdxId, dataset) {
  const description = dataset.description ?? {};
  const personal = description.personalData;
  return {
    type: "dataset_DatasetPackage",
    spdxId,
    name: dataset.name,
    software_primaryPurpose: "data",
    software_downloadLocation: dataset.uri ?? "NOASSERTION",
    dataset_datasetType: ["noAssertion"],
    dataset_datasetSize: dataset.size,
    verifiedUsing: [{ type: "Hash", algorithm: "sha256", hashValue: dataset.digest.sha256 }],
    ...typeof personal === "boolean" ? { dataset_hasSensitivePersonalInformation: personal ? "yes" : "no" } : {},
    ...typeof description.intendedUse === "string" ? { dataset_intendedUse: description.intendedUse } : {},
    ...typeof description.source === "string" ? { dataset_dataCollectionProcess: `source: ${description.source}` } : {},
    comment: `${dataset.kind}${dataset.path ? ` ${dataset.path}` : ""}, ${dataset.files} file(s), ${dataset.size} bytes${dataset.kind === "directory" ? "; sha256 of its sorted `<sha256>  <path>` manifest" : ""}`
  };
}
function provenance(record) {
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
    commit: predicate.commit ? { sha: predicate.commit.sha, repositoryUrl: predicate.commit.repositoryUrl } : null,
    reason: predicate.change.reason
  };
}
function slug(text) {
  return text.replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^-+|-+$/g, "") || "unknown";
}
function isoSeconds2(date) {
  return `${date.toISOString().slice(0, 19)}Z`;
}
function serializeSpdx3(document) {
  return `${JSON.stringify(document, null, 2)}
`;
}

// src/report/evidence.ts
import { createPublicKey } from "node:crypto";
import { basename } from "node:path";

// src/checkpoint/ledger-root-script.ts
var LEDGER_ROOT_SCRIPT = String.raw`#!/usr/bin/env python3
"""Recompute a model-ledger's checkpoint root with nothing but Python 3's standard library.

Usage: ledger-root.py LEDGER_DIR [CHECKPOINT_FILE]
       ledger-root.py --inclusion PROOFS_JSON CHECKPOINT_FILE

The leaves are the records' DSSE payload bytes: the base64-decoded .dsseEnvelope.payload of each
NNNNNN-*.sigstore.json (or model-ledger-NNNNNN.sigstore.json, as release assets are named), in
index order, which must run 0, 1, 2, ... without a gap. RFC 6962: leaf hash SHA-256(0x00 ||
payload), node hash SHA-256(0x01 || left || right), the empty tree's root SHA-256(""). Prints the
tree size and the base64 root. Given a checkpoint (its second and third lines are size and root),
possibly an older one, exits 1 unless the ledger's first SIZE records have that root: the ledger
extends it. Checking the checkpoint's signature is a separate step (see VERIFY.md).

With --inclusion, checks each record a pack's proofs/inclusion.json lists against the checkpoint
alone, with its RFC 9162 inclusion proof: the record's file, read from the path the proof names,
is leaf INDEX of the checkpoint's tree. The records outside the range are not needed.
"""
import base64, hashlib, json, pathlib, re, sys


RECORD = re.compile(r"(?:model-ledger-)?(\d{6})(?:-.+)?\.sigstore\.json")


def sha256(data):
    return hashlib.sha256(data).digest()


def tree_root(hashes):  # RFC 6962 section 2.1: split at the largest power of two below n
    if len(hashes) == 0:
        return sha256(b"")
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return sha256(b"\x01" + tree_root(hashes[:k]) + tree_root(hashes[k:]))


def root_from_inclusion(index, size, leaf, path):  # RFC 9162 section 2.1.3.2
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = sha256(b"\x01" + p + r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = sha256(b"\x01" + r + p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def inclusion(proofs_file, checkpoint):
    size, root = (pathlib.Path(checkpoint).read_text(encoding="utf-8").split("\n") + ["", "", ""])[1:3]
    proofs = json.loads(pathlib.Path(proofs_file).read_text(encoding="utf-8"))
    if not size.isdigit() or proofs.get("treeSize") != int(size):
        sys.exit(f"INCONSISTENT: {proofs_file} proves inclusion in a tree of {proofs.get('treeSize')} records, {checkpoint} covers {size}")
    for proof in proofs["proofs"]:
        index, name = proof["index"], proof["file"]
        payload = base64.b64decode(json.loads(pathlib.Path(name).read_text(encoding="utf-8"))["dsseEnvelope"]["payload"], validate=True)
        if json.loads(payload)["predicate"]["chain"]["index"] != index:
            sys.exit(f"{name}: holds another record than number {index}")
        path = [bytes.fromhex(h) for h in proof["proof"]]
        computed = root_from_inclusion(index, int(size), sha256(b"\x00" + payload), path)
        if computed is None or base64.b64encode(computed).decode() != root:
            sys.exit(f"NOT INCLUDED: {name} is not record {index} of the tree of {checkpoint}")
        print(f"{name}: record {index} of {checkpoint}")


def main(ledger, checkpoint=None):
    folder = pathlib.Path(ledger)
    records = sorted((int(m.group(1)), p.name) for p in folder.iterdir() if (m := RECORD.fullmatch(p.name)))
    for expected, (index, name) in enumerate(records):
        if index != expected:
            sys.exit(f"{name}: expected record {expected:06d} here: a record is missing or duplicated")
    bundles = [json.loads((folder / name).read_text(encoding="utf-8")) for _, name in records]
    payloads = [base64.b64decode(b["dsseEnvelope"]["payload"], validate=True) for b in bundles]
    leaves = [sha256(b"\x00" + p) for p in payloads]
    print(f"size {len(leaves)}\nroot {base64.b64encode(tree_root(leaves)).decode()}")
    if checkpoint is not None:
        size, root = (pathlib.Path(checkpoint).read_text(encoding="utf-8").split("\n") + ["", "", ""])[1:3]
        if not size.isdigit() or int(size) > len(leaves):
            sys.exit(f"TRUNCATED: {checkpoint} covers {size} records, the ledger holds {len(leaves)}")
        if base64.b64encode(tree_root(leaves[: int(size)])).decode() != root:
            sys.exit(f"INCONSISTENT: the first {size} records do not have the root of {checkpoint}")
        print(f"{checkpoint}: the first {size} records have its root: the ledger extends it")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--inclusion":
        inclusion(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (2, 3) and not sys.argv[1].startswith("-"):
        main(*sys.argv[1:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
`;

// src/report/html.ts
import { createHash as createHash2 } from "node:crypto";

// src/report/html-script.ts
var REPORT_SCRIPT = String.raw`
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

// src/report/html-style.ts
var REPORT_STYLE = `
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

// src/report/html.ts
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
function scriptSafeJson(value) {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
function cspHash(text) {
  return `'sha256-${createHash2("sha256").update(text, "utf8").digest("base64")}'`;
}
var FRAMEWORKS = [
  [
    "Version and relation to the previous version",
    "Annex IV 1(a): the version of the system, reflecting its relation to previous versions; Art. 12(1): automatic recording of events over the lifetime of the system",
    "\xA711.10(e): secure, computer-generated, time-stamped audit trail; record changes must not obscure previously recorded information",
    "Model inventory: each model and its versions; documentation of changes",
    "chain.index, chain.previous (statement and bundle sha256), subjects and their sha256, commit"
  ],
  [
    "Datasets and their provenance",
    "Annex IV 2(d): training data sets, their provenance, scope and main characteristics, how the data was obtained and selected",
    "\xA711.10(e) and (b): the inputs of a record, accurate and complete, retrievable as exact copies",
    "Model development: data quality, relevance and lineage",
    "datasets[]: name, digest, file manifest, rows, location, declared lineage, description (source, licence\u2026)"
  ],
  [
    "Responsible persons and the meaning of their approval",
    "Annex IV 2(g): test logs and reports dated and signed by the responsible persons",
    "\xA711.50: printed name of the signer, date and time, and the meaning of the signature (review, approval, authorship); \xA711.70: signatures linked to their records",
    "Governance: roles and responsibilities, owners, independent review and approval",
    "change.implementedBy, change.approvedBy, pull request reviews (reviewer, state, commit, time), signer identity and signing mode. The signature attests that the build produced the record, not that anyone reviewed it: approval is what the reviews say"
  ],
  [
    "Test and metric results, with dates",
    "Annex IV 2(g): validation and testing procedures, metrics, dated test logs",
    "\xA711.10(e): time-stamped records of actions; \xA711.10(a): validation",
    "Model validation: ongoing monitoring and outcomes analysis, with their results",
    "training.run metrics and parameters, policy results, recordedAt"
  ],
  [
    "Changes through the lifecycle",
    "Annex IV 6: relevant changes made to the system through its lifecycle",
    "\xA711.10(e): who changed what and when, without obscuring what was there before (the hash chain)",
    "Change control: changes to models in use are documented and approved",
    "change.reason, pull request, commit, and the difference from the previous record"
  ]
];
function renderReportHtml(data) {
  const title = `Model ledger evidence \u2014 ${data.origin ?? "ledger"}`;
  const csp = [
    "default-src 'none'",
    `style-src ${cspHash(REPORT_STYLE)}`,
    `script-src ${cspHash(REPORT_SCRIPT)}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'"
  ].join("; ");
  const frameworkRows = FRAMEWORKS.map(
    (row) => `<tr><th scope="row">${row.map((cell, index) => index === 0 ? `${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`
  ).join("\n");
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
<p>Ledger <code>${escapeHtml(data.origin ?? "unknown")}</code>, records ${data.range.from} to ${data.range.to}
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
<div class="wide"><label for="f-search">Search</label><input id="f-search" type="search" placeholder="actor, commit, model, reason, digest\u2026" autocomplete="off"></div>
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

// src/report/report-data.ts
function reportRecord(row, file, inRange) {
  const statement = row.statement;
  const claimed = row.claimedSigner ? row.claimedSigner.kind === "key" ? `key:${row.claimedSigner.keyHint}` : row.claimedSigner.identity : null;
  const base = {
    index: row.index,
    file,
    inRange,
    recordedAt: row.recordedAt,
    statementSha256: row.statementSha256,
    bundleSha256: row.bundleSha256,
    signer: row.signer,
    claimedSigner: claimed,
    signingMode: row.signingMode,
    signatureVerified: row.signatureVerified,
    chainVerified: row.chainVerified,
    problems: row.problems.map((problem) => `${problem.code}: ${problem.message}`)
  };
  if (!statement) {
    return {
      ...base,
      previousStatementSha256: null,
      readable: false,
      origin: null,
      commit: null,
      reason: "",
      reasonSource: null,
      pullRequest: null,
      actor: null,
      people: [],
      implementedBy: [],
      approvedBy: [],
      reviews: [],
      models: [],
      safety: [],
      workingTree: null,
      datasets: [],
      training: null,
      policy: { outcome: "none", file: null, results: [] },
      dependencies: {},
      dependencyCounts: {},
      environment: {},
      ci: { provider: "none", runUrl: null, workflow: null, eventName: null },
      notes: []
    };
  }
  return { ...base, ...statementFields(statement) };
}
function statementFields(statement) {
  const { predicate } = statement;
  const facts = recordFacts(statement);
  const { commit, change, environment } = predicate;
  const { ci } = environment;
  const repositoryUrl = ci.serverUrl && ci.repository ? `${ci.serverUrl}/${ci.repository}` : null;
  const pull = change.pullRequest;
  const dependencies = {};
  const dependencyCounts = {};
  for (const lockfile of predicate.dependencies.lockfiles) {
    for (const pkg of lockfile.packages) {
      const key = `${pkg.ecosystem}:${pkg.name}`;
      const versions = new Set((dependencies[key] ?? "").split(", ").filter((v) => v !== ""));
      if (!versions.has(pkg.version))
        dependencyCounts[pkg.ecosystem] = (dependencyCounts[pkg.ecosystem] ?? 0) + 1;
      versions.add(pkg.version);
      dependencies[key] = [...versions].sort().join(", ");
    }
  }
  const training = predicate.training ? trainingValues(statement) : null;
  return {
    previousStatementSha256: predicate.chain.previous?.statementSha256 ?? null,
    readable: true,
    origin: predicate.chain.origin,
    commit: commit ? {
      sha: commit.sha,
      message: (commit.message.split("\n")[0] ?? "").trim(),
      author: `${commit.author.name} <${commit.author.email}>`,
      date: commit.author.date,
      ref: commit.ref ?? null,
      url: repositoryUrl ? `${repositoryUrl}/commit/${commit.sha}` : null
    } : null,
    reason: change.reason,
    reasonSource: change.reasonSource,
    pullRequest: pull ? {
      number: pull.number,
      title: pull.title,
      url: pull.url,
      author: pull.author,
      base: pull.base.ref,
      head: pull.head.ref,
      mergedBy: pull.mergedBy ?? null,
      mergedAt: pull.mergedAt ?? null
    } : null,
    actor: facts.actor,
    people: facts.people,
    implementedBy: change.implementedBy.map(personLabel),
    approvedBy: change.approvedBy.map(personLabel),
    reviews: pull?.reviews.map((review) => ({ ...review })) ?? [],
    models: predicate.models.map((model) => ({
      ...modelSummary(model),
      warnings: (model.warnings ?? []).map((warning) => `${warning.code}: ${warning.message}`)
    })),
    safety: safetyFindings(statement),
    workingTree: commit?.workingTree ?? null,
    datasets: predicate.datasets.map((dataset) => {
      const rows = dataset.description?.rows;
      return {
        name: dataset.name,
        kind: dataset.kind,
        digest: dataset.digest.sha256,
        size: dataset.size,
        files: dataset.files,
        rows: typeof rows === "number" || typeof rows === "string" ? String(rows) : null,
        location: dataset.path ?? dataset.uri ?? null,
        description: dataset.description ?? {},
        lineage: dataset.lineage ?? null
      };
    }),
    training: predicate.training && training ? {
      source: predicate.training.source,
      kind: predicate.training.sourceKind,
      params: training.params,
      metrics: training.metrics
    } : null,
    policy: {
      outcome: facts.policy,
      file: predicate.policy?.file ?? null,
      results: (predicate.policy?.results ?? []).map((result) => ({ ...result }))
    },
    dependencies,
    dependencyCounts,
    environment: environmentValues(statement),
    ci: {
      provider: ci.provider,
      runUrl: ci.runUrl ?? null,
      workflow: ci.workflow ?? null,
      eventName: ci.eventName ?? null
    },
    notes: predicate.notes
  };
}
function buildReportData(ledger, rows, options) {
  const records = rows.map(
    (row) => reportRecord(row, options.fileOf(row), row.index >= options.from && row.index <= options.to)
  );
  const problems = ledger.verification.problems.filter(
    (problem) => problem.index === null || problem.index <= options.to
  );
  return {
    format: "https://model-ledger.dev/evidence/v1",
    tool: { name: "model-ledger", version: TOOL_VERSION },
    generatedAt: options.generatedAt,
    origin: records.find((record) => record.origin !== null)?.origin ?? null,
    range: { from: options.from, to: options.to },
    verification: {
      ok: records.length > 0 && problems.length === 0,
      problems: problems.map((problem) => `${problem.code}: ${problem.message}`),
      notices: ledger.verification.notices
    },
    records
  };
}

// src/report/verify-md-scripts.ts
function shellWord(value) {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
var PAE_FUNCTION = [
  '# pae BUNDLE: the DSSE payload to "$tmp/payload", the bytes its signature covers to "$tmp/pae"',
  "pae() {",
  '  type=$(jq -r .dsseEnvelope.payloadType "$1")',
  '  jq -r .dsseEnvelope.payload "$1" | base64 -d > "$tmp/payload"',
  `  { printf 'DSSEv1 %d %s %d ' "\${#type}" "$type" "$(wc -c < "$tmp/payload")"; cat "$tmp/payload"; } > "$tmp/pae"`,
  "}"
];
function keylessFunction(signer) {
  const identityCheck = signer.identity ? `[ "$san" = "$identity" ]` : `printf '%s' "$san" | grep -Eq "$identity_regexp"`;
  return [
    ...signer.identity ? [`identity=${shellWord(signer.identity)}`] : [`identity_regexp=${shellWord(signer.identityRegexp ?? ".")}`],
    `issuer=${shellWord(signer.issuer)}`,
    "# The Fulcio and timestamp-authority certificates of the trusted root, as PEM",
    `pems() { while read -r der; do printf '%s' "$der" | base64 -d | openssl x509 -inform DER; done; }`,
    `jq -r '.certificateAuthorities[].certChain.certificates[].rawBytes' trusted_root.json | pems > "$tmp/fulcio.pem"`,
    `jq -r '.timestampAuthorities[]?.certChain.certificates[].rawBytes' trusted_root.json | pems > "$tmp/tsa.pem"`,
    "check_keyless() {",
    "  b=$1",
    `  jq -r '.verificationMaterial | (.certificate // .x509CertificateChain.certificates[0]).rawBytes' "$b" | base64 -d | openssl x509 -inform DER -out "$tmp/leaf.pem"`,
    `  jq -r '.dsseEnvelope.signatures[0].sig // .messageSignature.signature' "$b" | base64 -d > "$tmp/sig"`,
    "  # When it was signed: an RFC 3161 timestamp over the signature, else the log entry's signed time",
    "  t=''",
    `  if [ "$(jq '.verificationMaterial.timestampVerificationData.rfc3161Timestamps // [] | length' "$b")" -gt 0 ]; then`,
    `    jq -r '.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp' "$b" | base64 -d > "$tmp/ts.der"`,
    '    openssl ts -verify -in "$tmp/ts.der" -data "$tmp/sig" -CAfile "$tmp/tsa.pem" -untrusted "$tmp/tsa.pem" -partial_chain > /dev/null 2>&1 \\',
    '      || { echo "$b: BAD TIMESTAMP (not over this signature, or not by a timestamp authority of the trusted root)"; return 1; }',
    `    t=$(date -d "$(openssl ts -reply -in "$tmp/ts.der" -text 2>/dev/null | sed -n 's/^Time stamp: //p')" +%s)`,
    "  fi",
    `  if [ "$(jq '.verificationMaterial.tlogEntries // [] | length' "$b")" -gt 0 ]; then`,
    "    e=.verificationMaterial.tlogEntries[0]",
    '    id=$(jq -r "$e.logId.keyId" "$b")',
    `    jq -r --arg id "$id" '.tlogs[] | select(.logId.keyId == $id) | .publicKey.rawBytes' trusted_root.json | base64 -d > "$tmp/rekor.der"`,
    '    [ -s "$tmp/rekor.der" ] || { echo "$b: logged in a transparency log the trusted root does not name"; return 1; }',
    `    jq -cj --arg logid "$(printf '%s' "$id" | base64 -d | od -An -v -tx1 | tr -d ' \\n')" \\`,
    `      "$e | {body: .canonicalizedBody, integratedTime: (.integratedTime | tonumber), logID: \\$logid, logIndex: (.logIndex | tonumber)}" "$b" > "$tmp/promise"`,
    '    jq -r "$e.inclusionPromise.signedEntryTimestamp" "$b" | base64 -d > "$tmp/promise.sig"',
    '    openssl dgst -sha256 -verify "$tmp/rekor.der" -keyform DER -signature "$tmp/promise.sig" "$tmp/promise" > /dev/null \\',
    '      || { echo "$b: BAD LOG ENTRY PROMISE"; return 1; }',
    `    logged=$(jq -r "$e.canonicalizedBody" "$b" | base64 -d | jq -r '.spec.signatures[0].signature // .spec.signature.content')`,
    '    [ "$logged" = "$(base64 -w0 < "$tmp/sig")" ] || { echo "$b: its log entry is of another signature"; return 1; }',
    '    [ -n "$t" ] || t=$(jq -r "$e.integratedTime" "$b")',
    "  fi",
    '  [ -n "$t" ] || { echo "$b: no timestamp and no log entry: nothing vouches for when it was signed"; return 1; }',
    '  openssl verify -attime "$t" -partial_chain -CAfile "$tmp/fulcio.pem" "$tmp/leaf.pem" > /dev/null 2>&1 \\',
    '    || { echo "$b: CERTIFICATE NOT ISSUED BY THE TRUSTED FULCIO, or not valid at $(date -u -d "@$t")"; return 1; }',
    '  openssl x509 -in "$tmp/leaf.pem" -noout -text > "$tmp/leaf.txt"',
    `  san=$(sed -n '/X509v3 Subject Alternative Name/{n;s/^ *URI://p;s/^ *email://p;}' "$tmp/leaf.txt")`,
    `  iss=$(sed -n '/1\\.3\\.6\\.1\\.4\\.1\\.57264\\.1\\.1:/{n;s/^ *//p;}' "$tmp/leaf.txt")`,
    `  { ${identityCheck} && [ "$iss" = "$issuer" ]; } || { echo "$b: signed by $san ($iss), not by the expected identity"; return 1; }`,
    '  openssl x509 -in "$tmp/leaf.pem" -pubkey -noout > "$tmp/key.pem"',
    '  openssl dgst -sha256 -verify "$tmp/key.pem" -signature "$tmp/sig" "$2" > /dev/null || { echo "$b: BAD SIGNATURE"; return 1; }',
    "}"
  ];
}
function signatureFunction(signer) {
  if (signer.kind === "keyless") {
    return ['check_signature() { check_keyless "$1" "$tmp/pae"; }'];
  }
  return [
    `pinned=${signer.keyHint}`,
    "check_signature() {",
    '  hint=$(jq -r .verificationMaterial.publicKey.hint "$1")',
    '  [ "$hint" = "$pinned" ] || { echo "$1: signed by key $hint, not by the key of record 0"; return 1; }',
    `  jq -r '.dsseEnvelope.signatures[0].sig' "$1" | base64 -d > "$tmp/sig"`,
    '  openssl dgst -sha256 -verify "ledger/keys/$pinned.pub.pem" -signature "$tmp/sig" "$tmp/pae" > /dev/null \\',
    '    || { echo "$1: BAD SIGNATURE"; return 1; }',
    "}"
  ];
}
function manifestCheck() {
  const m = PACK_MANIFEST_FILE;
  return [
    `# The signed manifest: every file of the pack, and only those, with the digest that was signed`,
    `pae ${m}`,
    `check_signature ${m}`,
    `jq -r '.subject[] | "\\(.digest.sha256)  \\(.name)"' "$tmp/payload" | sha256sum -c --quiet \\`,
    '  || { echo "a file of the pack differs from the signed manifest"; exit 1; }',
    `find . -type f ! -path ./${m} | sed 's|^\\./||' | LC_ALL=C sort > "$tmp/present"`,
    `jq -r '.subject[].name' "$tmp/payload" | LC_ALL=C sort > "$tmp/signed"`,
    'cmp -s "$tmp/signed" "$tmp/present" || { echo "files were added to or removed from the pack after signing:"; diff "$tmp/signed" "$tmp/present" || true; exit 1; }',
    `echo "${m}: signature OK; every file is the one signed"`
  ];
}
function chainLoop() {
  return [
    "prev=''",
    "n=0",
    "for b in ledger/*.sigstore.json; do",
    "  # Records are numbered 0, 1, 2\u2026 with no gap: a missing or renamed file stops here.",
    `  case "$b" in "$(printf 'ledger/%06d-' "$n")"*) ;; *) echo "$b: expected record $n here: a record is missing or renamed"; exit 1;; esac`,
    '  pae "$b"',
    '  check_signature "$b" || exit 1',
    `  digest=$(sha256sum < "$tmp/payload" | cut -c1-12)`,
    `  [ "$b" = "$(printf 'ledger/%06d-%s.sigstore.json' "$n" "$digest")" ] || { echo "$b: its name is not its index and statement digest: renamed"; exit 1; }`,
    `  [ "$(jq -r .predicate.chain.index "$tmp/payload")" = "$n" ] || { echo "$b: holds another record than number $n"; exit 1; }`,
    `  if [ "$n" = 0 ]; then [ "$(jq -c .predicate.chain.previous "$tmp/payload")" = null ] || { echo "$b: record 0 links to a record before it: records were removed from the start"; exit 1; }; fi`,
    '  if [ -n "$prev" ]; then',
    `    want="$(jq -r .dsseEnvelope.payload "$prev" | base64 -d | sha256sum | cut -d' ' -f1) $(sha256sum < "$prev" | cut -d' ' -f1)"`,
    `    got=$(jq -r '.predicate.chain.previous | "\\(.statementSha256) \\(.bundleSha256)"' "$tmp/payload")`,
    '    [ "$want" = "$got" ] || { echo "$b: BROKEN LINK to $prev"; exit 1; }',
    "  fi",
    '  echo "$b: signature and link OK"',
    "  prev=$b",
    "  n=$((n + 1))",
    "done"
  ];
}
function packScript(options) {
  const out = [
    "# Check the pack with openssl, jq, base64 and coreutils",
    "set -eu",
    "tmp=$(mktemp -d)",
    ...PAE_FUNCTION,
    ...options.signer.kind === "keyless" ? keylessFunction(options.signer) : [],
    ...signatureFunction(options.signer),
    ...options.manifest ? manifestCheck() : [],
    ...chainLoop()
  ];
  if (options.keylessCheckpoint && options.signer.kind === "keyless") {
    const cp = options.keylessCheckpoint;
    out.push(
      "# The checkpoint's body, signed by the same identity (its bundle's certificate)",
      `sed '/^$/,$d' ${cp} > "$tmp/checkpoint-body"`,
      `check_keyless ${cp}.sigstore.json "$tmp/checkpoint-body" || exit 1`,
      `echo "${cp}: signature OK"`
    );
  }
  out.push('rm -r "$tmp"');
  return out;
}

// src/report/verify-md.ts
function identityFlags(input) {
  const identity = input.identity;
  if (identity) {
    return [
      ...identity.identity ? [`--certificate-identity ${shellWord(identity.identity)}`] : [],
      ...identity.identityRegexp ? [`--certificate-identity-regexp ${shellWord(identity.identityRegexp)}`] : [],
      ...identity.issuer ? [`--certificate-oidc-issuer ${shellWord(identity.issuer)}`] : [],
      ...identity.signerRepo ? [`--signer-repo ${shellWord(identity.signerRepo)}`] : [],
      ...identity.signerWorkflow ? [`--signer-workflow ${shellWord(identity.signerWorkflow)}`] : []
    ];
  }
  return [];
}
function verifyInstructions(input) {
  const { data } = input;
  const head = data.records.filter((record) => record.index === data.range.to).at(-1);
  const total = data.records.length;
  const keyless = data.records.some((record) => record.signingMode === "keyless");
  const flags = [
    input.manifestSigned ? "--pack ." : "--store ledger",
    ...input.explicitKeys.map((hint) => `--key ledger/keys/${hint}.pub.pem`),
    ...input.hasTrustedRoot ? ["--trusted-root trusted_root.json"] : [],
    ...identityFlags(input)
  ];
  const development = data.records.filter((record) => record.signingMode === "development-key").length;
  const verdict = data.verification.ok ? `every one of the ${total} records verified (signature, signer and chain link)${development > 0 ? `, but ${development} of them are signed with a development key \u2014 not evidence` : ""}` : `${data.verification.problems.length} problem(s) were found \u2014 they are listed in index.json and report.html, and the commands below will report them too`;
  const out = [
    "# Verifying this evidence pack",
    "",
    ...development > 0 ? [
      `> **Development key \u2014 not evidence.** ${development} of the ${total} records are signed with a development key: a key made on one machine for trying model-ledger out. The checks below can show that the records are intact, not who made them.`,
      ""
    ] : [],
    `Ledger \`${data.origin ?? "unknown"}\`, records ${data.range.from} to ${data.range.to}. The pack holds records 0 to ${data.range.to}: the range and the chain back to the first record.`,
    `It was made by model-ledger ${data.tool.version} at ${data.generatedAt}; at that time ${verdict}.`,
    "",
    "Everything below runs offline, from this folder alone. Unzip the pack and enter it first:",
    "",
    "```sh",
    "unzip evidence.zip -d evidence && cd evidence",
    "```",
    "",
    "## 1. The files are the ones that were packed",
    "",
    "```sh",
    "sha256sum -c SHA256SUMS        # macOS: shasum -a 256 -c SHA256SUMS",
    "```",
    "",
    ...input.manifestSigned ? [
      `SHA256SUMS is not signed: it shows the files are intact, not who packed them. \`${PACK_MANIFEST_FILE}\` is: a`,
      "Sigstore bundle, signed by the ledger's signer, of an in-toto statement whose subjects are every",
      "file of the pack with its sha256 \u2014 `index.json` and `report.html` included. Section 2 and the",
      "script of section 3 check it, and that no file was added or removed.",
      ""
    ] : [
      "**This pack is not signed as a whole** (it was exported without `--sign-key` or `--sign-keyless`):",
      "`SHA256SUMS`, `index.json`, `report.html` and `exports/` are the packer's word. Only the records",
      "and the checkpoint are signed, and the checks below rest on those alone.",
      ""
    ],
    "## 2. With model-ledger: one command",
    "",
    "```sh",
    "# The CLI is one file, dist/cli.js of a model-ledger release, run with plain node (20 or newer):",
    "curl -fsSL -o model-ledger.mjs https://raw.githubusercontent.com/model-ledger/model-ledger/v0/dist/cli.js",
    `node model-ledger.mjs verify ${flags.join(" ")}`,
    "```",
    "",
    `It checks every record: the signature and that the signer is ${input.pinnedKey ? `the key that signed record 0 (\`ledger/keys/${input.pinnedKey}.pub.pem\`)` : "the certificate identity of record 0 (or the identity given)"}, the statement against the record schema, and the chain \u2014 indexes 0, 1, 2\u2026 without gaps, each record's link to the exact statement and bundle before it, no forks. Expect exit status 0 and a line \`ok: ${total} record(s) verified in \u2026/ledger; head is record ${data.range.to} (${head?.statementSha256 ?? "\u2026"})\`${input.manifestSigned ? `, then \`pack: N file(s) as signed in ${PACK_MANIFEST_FILE} by \u2026\`: the manifest is signed by the same signer and every file of the pack is the one signed` : ""}.`,
    ""
  ];
  out.push(...withoutModelLedger(input));
  out.push(...keylessEquivalents(input, keyless));
  out.push(...checkpointSection(input));
  out.push(
    "## What is in the pack",
    "",
    "| path | what |",
    "| --- | --- |",
    "| `ledger/NNNNNN-<statement sha256 prefix>.sigstore.json` | the records: Sigstore bundles (v0.3) whose DSSE payload is an in-toto statement |",
    `| \`ledger/keys/<hint>.pub.pem\` | public keys of key-signed records, named by the hint in each bundle (${input.keys.length} key(s)) |`,
    "| `ledger/manifests/<sha256>.manifest.txt` | directory manifests too large to keep inside a record; each hashes to the digest its record gives |",
    ...input.hasTrustedRoot ? [
      "| `trusted_root.json` | the Sigstore trusted root (Fulcio, Rekor, timestamp authorities) that verifies keyless records offline |"
    ] : [],
    ...input.audit?.completeness ? [
      `| \`audit/completeness.json\` | \`model-ledger audit completeness\` for the range: ${input.audit.completeness} (${input.audit.scope}) |`
    ] : [],
    ...input.audit?.replay ? [
      `| \`audit/replay.json\` | \`model-ledger audit replay\` of the range's records: ${input.audit.replay} |`
    ] : [],
    "| `index.json` | every record with its verification verdict, and every file with its sha256 |",
    "| `report.html` | the same, readable: timeline, filters, record details, comparisons, regulatory mapping. Open it in a browser; it loads nothing from the network |",
    "| `ledger/checkpoints/model-ledger-NNNNNN.checkpoint` | the ledger's signed checkpoint of the records in the pack (C2SP signed note: origin, size, RFC 6962 root, signature); keyless ledgers keep beside it the Sigstore bundle (`\u2026.checkpoint.sigstore.json`) whose certificate holds the note's key |",
    "| `exports/ledger.cdx.json`, `exports/ledger.spdx.json` | the range as CycloneDX 1.6 ML-BOM and SPDX 3.0.1 (AI and Dataset profiles), for SBOM tools; derived from the records, not signed on their own |",
    ...input.witnessed && input.witnessed.length > 0 ? [
      "| `witnessed/\u2026` | checkpoints of the ledger cosigned by witnesses (C2SP tlog-cosignature), checked with each witness's own key (section 5) |"
    ] : [],
    "| `proofs/inclusion.json` | for each record of the range, its RFC 9162 inclusion proof in that tree (`ledger-root.py --inclusion` checks it, section 5) |",
    "| `ledger-root.py` | recomputes the Merkle root with Python 3's standard library alone (section 5) |",
    ...input.manifestSigned ? [
      `| \`${PACK_MANIFEST_FILE}\` | the signed manifest: a Sigstore bundle over an in-toto statement listing every other file with its sha256, signed by the ledger's signer |`,
      "| `SHA256SUMS` | sha256 of every other file. **Not signed** itself; the manifest above covers it and everything else |"
    ] : [
      "| `SHA256SUMS` | sha256 of every other file. **Not signed**: it shows the files are the ones packed, not who packed them; `index.json`, `report.html` and the `exports/` are the packer's summary, unsigned. Only the records and the checkpoint are signed |"
    ],
    ""
  );
  if (input.missing.length > 0) {
    out.push("## Not included", "", ...input.missing.map((line) => `- ${line}`), "");
  }
  return out.join("\n");
}
function withoutModelLedger(input) {
  const out = ["## 3. Without model-ledger: openssl, jq, base64 and coreutils", ""];
  const signer = scriptSigner(input);
  if (!signer) {
    out.push(
      "Record 0 is unreadable, so this pack names no signer to check the records against; the",
      "problems listed in index.json say why.",
      ""
    );
    return out;
  }
  out.push(
    "Each record is signed over the DSSE pre-authentication encoding (PAE) of its payload; each",
    "record's `predicate.chain.previous` holds the sha256 of the previous payload and bundle.",
    ...input.manifestSigned ? [
      "The script first checks the signed manifest against every file in this folder, so run it before",
      "anything else is written here."
    ] : [],
    ""
  );
  if (signer.kind === "keyless") {
    out.push(
      "The records are signed keyless: each signature verifies with the key of its Fulcio certificate.",
      "The script checks that certificate's chain to the Fulcio CA of `trusted_root.json` at the time of",
      "signing (`openssl verify -attime`), that time itself (the RFC 3161 timestamp over the signature with",
      "`openssl ts -verify`, or the transparency log's signed promise for an entry of this very signature),",
      `and the identity the certificate names: SAN \`${signer.identity ?? signer.identityRegexp ?? ""}\`${signer.identity ? "" : " (a regular expression)"} and OIDC issuer \`${signer.issuer}\`.`,
      "",
      "**Compare both with what you obtained outside this pack.** The identity above is the one",
      `${input.identity ? "the pack was verified against when it was made" : "record 0 carries"}: check it against the workflow the ledger's owners told you`,
      "signs their records. And `trusted_root.json` is the packer's copy: compare it with one you fetch",
      "yourself (`gh attestation trusted-root`, or `cosign trusted-root` / the Sigstore TUF repository for",
      "the public-good instance) \u2014 a pack made with a Sigstore instance of its own would otherwise verify.",
      "The certificate transparency SCT is not checked here; `model-ledger verify` and cosign check it.",
      ""
    );
  }
  out.push(
    "```sh",
    ...packScript({
      signer,
      manifest: input.manifestSigned === true,
      keylessCheckpoint: signer.kind === "keyless" ? input.checkpoint ?? null : null
    }),
    "```",
    "",
    "A record whose file name, index or payload was changed, a missing record (the first ones",
    "included) and a renamed file fail here as they fail `model-ledger verify`",
    input.manifestSigned ? "and so does any file of the pack edited, added or removed after signing. What this cannot show" : ". What this cannot show",
    "alone is a record removed from the end, or a history rewritten with the signing key: for that,",
    "compare the pack's checkpoint with one you obtained before (section 5).",
    ""
  );
  return out;
}
function scriptSigner(input) {
  if (input.pinnedKey) return { kind: "key", keyHint: input.pinnedKey };
  const first = input.firstSigner;
  const identity = input.identity?.identity ?? (input.identity?.identityRegexp ? null : first?.kind === "certificate" ? first.identity : null);
  const identityRegexp = input.identity?.identityRegexp ?? null;
  const issuer = input.identity?.issuer ?? (first?.kind === "certificate" ? first.issuer : null) ?? GITHUB_ACTIONS_ISSUER;
  if (identity === null && identityRegexp === null) return null;
  return { kind: "keyless", identity, identityRegexp, issuer };
}
function keylessEquivalents(input, keyless) {
  const signer = input.firstSigner;
  const identity = input.identity?.identity ?? (signer?.kind === "certificate" ? signer.identity : "<certificate identity>");
  const issuer = input.identity?.issuer ?? (signer?.kind === "certificate" ? signer.issuer : "https://token.actions.githubusercontent.com");
  const repository = /^github\.com\/([^/]+\/[^#]+)#/.exec(input.data.origin ?? "")?.[1] ?? "OWNER/REPO";
  const root = input.hasTrustedRoot ? " --trusted-root trusted_root.json" : "";
  const out = ["## 4. cosign and gh attestation equivalents", ""];
  out.push(
    "These check one record at a time against the model file it names as its subject (have the",
    "file at hand; `sha256sum MODEL_FILE` must print the subject digest). They do not check the chain.",
    ""
  );
  if (keyless) {
    out.push(
      "```sh",
      "b=ledger/NNNNNN-XXXXXXXXXXXX.sigstore.json   # the record to check",
      `cosign verify-blob-attestation --bundle "$b" --new-bundle-format${root} \\`,
      `  --certificate-identity ${shellWord(identity)} \\`,
      `  --certificate-oidc-issuer ${shellWord(issuer)} \\`,
      `  --type ${PREDICATE_TYPE} MODEL_FILE`,
      `gh attestation verify MODEL_FILE --bundle "$b" --repo ${repository} \\`,
      `  --predicate-type ${PREDICATE_TYPE}${input.hasTrustedRoot ? " --custom-trusted-root trusted_root.json" : ""}`,
      "```",
      "",
      "cosign 2.4 or later (`--new-bundle-format` is the default from cosign 3); a record whose subject is",
      "a commit rather than a file is checked with `--check-claims=false` in place of MODEL_FILE checks.",
      ""
    );
  }
  if (input.pinnedKey) {
    out.push(
      "Key-signed records carry no certificate and no transparency-log entry, so `gh attestation verify`",
      "does not apply to them; cosign checks them with the key:",
      "",
      "```sh",
      "b=ledger/NNNNNN-XXXXXXXXXXXX.sigstore.json   # the record to check",
      `cosign verify-blob-attestation --bundle "$b" --new-bundle-format --key ledger/keys/${input.pinnedKey}.pub.pem \\`,
      `  --insecure-ignore-tlog --type ${PREDICATE_TYPE} MODEL_FILE`,
      "```",
      ""
    );
  }
  return out;
}
function checkpointSection(input) {
  const out = ["## 5. The checkpoint: nothing removed from the end, nothing rewritten", ""];
  if (!input.checkpoint) {
    out.push(
      "This pack holds no signed checkpoint (records made before checkpoints have none).",
      "`python3 ledger-root.py ledger` still prints the size and root of the records here;",
      "compare them with a checkpoint a witness cosigned.",
      ""
    );
    return out;
  }
  const cp = input.checkpoint;
  out.push(
    "The checkpoint names the ledger, the number of records and the RFC 6962 Merkle root over their",
    "DSSE payloads (leaf `SHA-256(0x00 || payload)`, node `SHA-256(0x01 || left || right)`). Recompute",
    "the root from the records with Python's standard library alone:",
    "",
    "```sh",
    `python3 ledger-root.py ledger ${cp}`,
    "```",
    "",
    `Each record of the range (${input.data.range.from} to ${input.data.range.to}) is in that tree: its RFC 9162 inclusion proof in`,
    "`proofs/inclusion.json` leads from the record alone to the root, so this holds without the records",
    "before the range (it reads only the files the proofs name):",
    "",
    "```sh",
    `python3 ledger-root.py --inclusion proofs/inclusion.json ${cp}`,
    "```",
    "",
    ...input.pinnedKey ? [
      "Its signature, by the ledger's key (a C2SP signed note: the signature line carries a 4-byte key",
      "ID, then an ECDSA signature over the lines above the blank line):",
      "",
      "```sh",
      "tmp=$(mktemp -d)",
      `sed '/^$/,$d' ${cp} > "$tmp/checkpoint-body"`,
      `grep '^\u2014 ' ${cp} | head -n 1 | awk '{print $3}' | base64 -d | tail -c +5 > "$tmp/checkpoint-sig"`,
      `openssl dgst -sha256 -verify ledger/keys/${input.pinnedKey}.pub.pem -signature "$tmp/checkpoint-sig" "$tmp/checkpoint-body"   # Verified OK`,
      "```",
      "",
      `Compare the key's fingerprint (\`${input.pinnedKey.slice(0, 16)}\u2026\`, the sha256 of \`openssl pkey -pubin -in ledger/keys/${input.pinnedKey}.pub.pem -outform DER\`) with the one the ledger's owners gave you outside this pack (their website, a signed letter, the repository's README): a pack made by someone else verifies with their own key.`,
      ""
    ] : [
      "Its signature: the script of section 3 checked, as its last step, the checkpoint's body against",
      `the certificate of \`${cp}.sigstore.json\` \u2014 the same identity as the records.`,
      ""
    ],
    ...input.witnessed && input.witnessed.length > 0 ? [
      `Witnesses cosigned ${input.witnessed.length === 1 ? "this checkpoint" : "these checkpoints"} of the ledger: ${input.witnessed.map((path) => `\`${path}\``).join(", ")}. A cosignature is`,
      "the witness's statement that the ledger it saw then extended everything it had cosigned before.",
      "Check it with the witness's public key, obtained from the witness (never from this pack):",
      "",
      "```sh",
      `node model-ledger.mjs verify ${input.manifestSigned ? "--pack ." : "--store ledger"} --checkpoint ${input.witnessed[0] ?? ""} --witness-key WITNESS.pub.pem`,
      "```",
      ""
    ] : [],
    "A pack proves that its records agree with each other and with its own checkpoint. That they are",
    "still the records you were shown before needs a checkpoint you kept from then (an earlier pack's,",
    "the Action's `checkpoint` output, a witness's cosigned copy). Give it to the same script: it exits 1",
    "unless the first records of this pack have that older root \u2014 nothing removed, nothing rewritten:",
    "",
    "```sh",
    "python3 ledger-root.py ledger OLD.checkpoint",
    "```",
    ""
  );
  return out;
}

// src/report/zip.ts
import { crc32, deflateRawSync } from "node:zlib";
var LOCAL_SIGNATURE = 67324752;
var CENTRAL_SIGNATURE = 33639248;
var EOCD_SIGNATURE = 101010256;
var VERSION = 20;
var MADE_BY_UNIX = 3 << 8 | VERSION;
var UTF8_NAMES = 2048;
var FILE_MODE = 33188 << 16 >>> 0;
var LIMIT = 4294967295;
function dosTime(date) {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: date.getUTCHours() << 11 | date.getUTCMinutes() << 5 | date.getUTCSeconds() >> 1,
    date: year - 1980 << 9 | date.getUTCMonth() + 1 << 5 | date.getUTCDate()
  };
}
function checkName(name) {
  const bad = name === "" || name.startsWith("/") || name.includes("\\") || name.includes("\0") || name.split("/").some((part) => part === "" || part === "." || part === "..");
  if (bad) {
    throw new LedgerError("BAD_INPUT", `"${name}" is not a relative POSIX path`, {
      field: "zip entry",
      fix: "name entries like dir/file.txt, without .., leading / or backslashes"
    });
  }
}
function createZip(inputs, options = {}) {
  const stamp = dosTime(options.date ?? new Date(Date.UTC(1980, 0, 1)));
  const entries = inputs.map((input) => ({
    name: Buffer.from(input.name, "utf8"),
    text: input.name,
    data: Buffer.from(input.data)
  })).sort((a, b) => Buffer.compare(a.name, b.name));
  if (entries.length > 65535) {
    throw new LedgerError("BAD_INPUT", `${entries.length} entries are more than a zip without zip64 holds`);
  }
  const parts = [];
  const central = [];
  let offset = 0;
  for (const [position, entry] of entries.entries()) {
    checkName(entry.text);
    if (position > 0 && entries[position - 1]?.text === entry.text) {
      throw new LedgerError("BAD_INPUT", `"${entry.text}" is in the archive twice`, { field: "zip entry" });
    }
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const method = deflated.length < entry.data.length ? 8 : 0;
    const body = method === 8 ? deflated : entry.data;
    if (entry.data.length >= LIMIT || body.length >= LIMIT || offset >= LIMIT) {
      throw new LedgerError("BAD_INPUT", `"${entry.text}" is too large for a zip without zip64`);
    }
    const checksum = crc32(entry.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIGNATURE, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(stamp.time, 10);
    local.writeUInt16LE(stamp.date, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(entry.name.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_SIGNATURE, 0);
    header.writeUInt16LE(MADE_BY_UNIX, 4);
    header.writeUInt16LE(VERSION, 6);
    header.writeUInt16LE(UTF8_NAMES, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(stamp.time, 12);
    header.writeUInt16LE(stamp.date, 14);
    header.writeUInt32LE(checksum, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(entry.name.length, 28);
    header.writeUInt32LE(FILE_MODE, 38);
    header.writeUInt32LE(offset, 42);
    parts.push(local, entry.name, body);
    central.push(header, entry.name);
    offset += local.length + entry.name.length + body.length;
  }
  const directory = Buffer.concat(central);
  if (offset + directory.length >= LIMIT) {
    throw new LedgerError("BAD_INPUT", "the archive is too large for a zip without zip64");
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD_SIGNATURE, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

// src/report/evidence.ts
var AUDIT_FILES = { completeness: "audit/completeness.json", replay: "audit/replay.json" };
var LEDGER_DIR = "ledger";
var EXPORT_FILES = {
  cyclonedx: "exports/ledger.cdx.json",
  spdx3: "exports/ledger.spdx.json"
};
async function buildEvidencePack(options) {
  const { ledger } = options;
  const indexes = ledger.rows.map((row) => row.index);
  if (indexes.length === 0) {
    throw new LedgerError("BAD_INPUT", "the ledger has no records to export", { file: ledger.location });
  }
  const last = Math.max(...indexes);
  const from = options.from ?? 0;
  const to = options.to ?? last;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > last || from > to) {
    throw new LedgerError(
      "USAGE",
      `records ${from} to ${to} are not a range of this ledger (records 0 to ${last})`,
      {
        field: "--from/--to",
        fix: `give 0 \u2264 --from \u2264 --to \u2264 ${last}`
      }
    );
  }
  const rows = ledger.rows.filter((row) => row.index <= to);
  const files = /* @__PURE__ */ new Map();
  const missing = [];
  for (const row of rows) files.set(packFile(row), row.bundle);
  const checkpoint = await anchorFiles(ledger, rows, from, to, files);
  const witnessed = cosignedFiles(options.cosigned ?? [], rows, to, files);
  if (!checkpoint)
    missing.push(
      `the ledger's signed checkpoint of records 0\u2013${to} (records made before checkpoints have none)`
    );
  const keys = await ledger.store.publicKeys();
  for (const pem of options.trustedKeys ?? []) keys.set(keyHint(createPublicKey(pem)), pem);
  for (const [hint, pem] of [...keys].sort(([a], [b]) => a < b ? -1 : 1))
    files.set(`${LEDGER_DIR}/keys/${hint}.pub.pem`, Buffer.from(pem, "utf8"));
  for (const row of rows) {
    for (const stored of storedManifests(row.statement)) {
      const path = `${LEDGER_DIR}/manifests/${stored.name}`;
      if (files.has(path)) continue;
      const text = await readStoredManifest(ledger.store, stored.name);
      if (text === null)
        missing.push(`record ${row.index}: manifest ${stored.name} is not in ${ledger.location}`);
      else if (sha256Hex(Buffer.from(text, "utf8")) !== stored.sha256)
        missing.push(`record ${row.index}: manifest ${stored.name} does not hash to ${stored.sha256}`);
      else files.set(path, Buffer.from(text, "utf8"));
    }
  }
  try {
    const range = { ledger, from, to, ...options.now ? { now: options.now } : {} };
    files.set(EXPORT_FILES.cyclonedx, Buffer.from(serializeCycloneDx(buildCycloneDx(range)), "utf8"));
    files.set(EXPORT_FILES.spdx3, Buffer.from(serializeSpdx3(buildSpdx3(range)), "utf8"));
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    missing.push(`CycloneDX and SPDX exports: ${error.message}`);
  }
  if (options.audit?.completeness)
    files.set(
      AUDIT_FILES.completeness,
      jsonFile({ scope: options.audit.scope, ...options.audit.completeness })
    );
  if (options.audit?.replay)
    files.set(AUDIT_FILES.replay, jsonFile({ scope: options.audit.scope, ...options.audit.replay }));
  if (options.trustedRoot)
    files.set("trusted_root.json", Buffer.from(`${JSON.stringify(options.trustedRoot, null, 2)}
`));
  const generatedAt = (options.now ?? /* @__PURE__ */ new Date()).toISOString();
  const data = buildReportData(ledger, rows, {
    from,
    to,
    generatedAt,
    fileOf: packFile
  });
  const first = rows.find((row) => row.index === 0);
  files.set(
    "VERIFY.md",
    Buffer.from(
      verifyInstructions({
        data,
        keys: [...keys.keys()],
        pinnedKey: first?.claimedSigner?.kind === "key" ? first.claimedSigner.keyHint : null,
        explicitKeys: (options.trustedKeys ?? []).map((pem) => keyHint(createPublicKey(pem))),
        identity: options.identity ?? null,
        firstSigner: first?.claimedSigner ?? null,
        hasTrustedRoot: options.trustedRoot !== void 0,
        checkpoint: checkpoint?.file ?? null,
        witnessed,
        manifestSigned: options.signer !== void 0,
        audit: options.audit ? {
          scope: options.audit.scope,
          completeness: options.audit.completeness?.summary ?? null,
          replay: options.audit.replay?.summary ?? null
        } : null,
        missing
      }),
      "utf8"
    )
  );
  files.set("report.html", Buffer.from(renderReportHtml(data), "utf8"));
  const listing = [...files].map(([path, bytes]) => ({ path, sha256: sha256Hex(bytes), size: bytes.length }));
  files.set(
    "index.json",
    Buffer.from(
      `${JSON.stringify(
        {
          ...data,
          missing,
          ...options.audit ? {
            audit: {
              scope: options.audit.scope,
              completeness: options.audit.completeness?.summary ?? null,
              replay: options.audit.replay?.summary ?? null
            }
          } : {},
          files: listing
        },
        null,
        2
      )}
`,
      "utf8"
    )
  );
  const sums = [...files].map(([path, bytes]) => `${sha256Hex(bytes)}  ${path}
`).sort((a, b) => a.slice(66) < b.slice(66) ? -1 : 1).join("");
  files.set("SHA256SUMS", Buffer.from(sums, "utf8"));
  if (options.signer) {
    const payload = packManifestPayload(files, {
      origin: data.origin ?? null,
      range: { from, to },
      records: rows.length,
      checkpoint,
      generatedAt,
      tool: { name: "model-ledger", version: TOOL_VERSION }
    });
    const bundle = await options.signer.signStatement(payload);
    files.set(PACK_MANIFEST_FILE, Buffer.from(`${JSON.stringify(bundle, null, 2)}
`, "utf8"));
  }
  const inputs = [...files].map(([name, data2]) => ({ name, data: data2 }));
  return { zip: createZip(inputs), data, files, missing, signed: options.signer !== void 0 };
}
async function anchorFiles(ledger, rows, from, to, files) {
  files.set("ledger-root.py", Buffer.from(LEDGER_ROOT_SCRIPT, "utf8"));
  const ordered = [...rows].sort((a, b) => a.index - b.index);
  if (!ordered.every((row, at) => row.index === at)) return null;
  const leaves = ordered.map((row) => leafHash(payloadOf(row.bundle)));
  const tree = MerkleTree.of(leaves);
  const root = tree.root();
  const proofs = ordered.filter((row) => row.index >= from).map((row) => ({
    index: row.index,
    file: packFile(row),
    leafHash: leaves[row.index].toString("hex"),
    proof: tree.inclusionProof(row.index).map((hash) => hash.toString("hex"))
  }));
  files.set(
    "proofs/inclusion.json",
    Buffer.from(
      `${JSON.stringify({ treeSize: leaves.length, rootHash: root.toString("base64"), algorithm: "RFC 6962 SHA-256", proofs }, null, 2)}
`,
      "utf8"
    )
  );
  const stored = await ledger.store.getCheckpoint?.(to + 1) ?? null;
  if (!stored) return null;
  const path = `${LEDGER_DIR}/checkpoints/${checkpointFileName(to)}`;
  files.set(path, Buffer.from(stored.text, "utf8"));
  if (stored.bundle) files.set(checkpointBundleName(path), Buffer.from(stored.bundle, "utf8"));
  return { file: path, size: leaves.length, rootHash: root.toString("base64") };
}
function cosignedFiles(cosigned, rows, to, files) {
  const origin = rows.find((row) => row.statement)?.statement?.predicate.chain.origin;
  const paths = [];
  for (const { name, text } of cosigned) {
    let parsed;
    try {
      parsed = parseCheckpoint(text, name);
    } catch (error) {
      throw new LedgerError("BAD_INPUT", `is not a checkpoint (${describeError(error)})`, {
        file: name,
        field: "--cosigned",
        cause: error,
        fix: "give a witness's cosigned checkpoint of this ledger"
      });
    }
    if (parsed.origin !== origin || parsed.size > to + 1) {
      throw new LedgerError(
        "BAD_INPUT",
        parsed.origin !== origin ? `is a checkpoint of ${parsed.origin}, not of this ledger (${origin ?? "unknown"})` : `covers ${parsed.size} records, more than the ${to + 1} this pack holds`,
        {
          file: name,
          field: "--cosigned",
          fix: "give a witness's cosigned checkpoint of this ledger's records 0 to --to"
        }
      );
    }
    const path = `witnessed/${basename(name).replace(/[^A-Za-z0-9._-]/g, "_")}`;
    files.set(path, Buffer.from(text, "utf8"));
    paths.push(path);
  }
  return paths;
}
function jsonFile(value) {
  return Buffer.from(`${JSON.stringify(value, null, 2)}
`, "utf8");
}
function payloadOf(bundle) {
  const payload = JSON.parse(bundle.toString("utf8")).dsseEnvelope?.payload;
  if (typeof payload !== "string") {
    throw new LedgerError("BAD_INPUT", "a record of the range has no DSSE payload", {
      field: "dsseEnvelope.payload"
    });
  }
  return Buffer.from(payload, "base64");
}
function packFile(row) {
  const local = parseRecordFileName(row.file) !== null;
  return `${LEDGER_DIR}/${local ? row.file : recordFileName(row.ref.index, row.statementSha256 ?? "0".repeat(64))}`;
}
function storedManifests(statement) {
  if (!statement) return [];
  const result = [];
  for (const entry of [...statement.predicate.models, ...statement.predicate.datasets]) {
    if (entry.manifest?.stored) result.push({ name: entry.manifest.stored, sha256: entry.manifest.sha256 });
  }
  return result;
}

export {
  packAudit,
  buildCycloneDx,
  serializeCycloneDx,
  buildSpdx3,
  serializeSpdx3,
  EXPORT_FILES,
  buildEvidencePack
};
