/**
 * An OpenSSF Model Signing (OMS v1.0) signature for every model a record covers, signed by the
 * record's own signer: model hubs and Kubeflow verify a model directory with `model_signing
 * verify` against `model.sig`, without model-ledger. Each signature is stored beside the record
 * (content-addressed, as large manifests are) and the record names it by digest, so the signed
 * record vouches for the signature and the signature for the model's files.
 *
 * The record has hashed every file already: those digests are handed to the serializer, so
 * signing costs no second pass over the model's bytes.
 */
import { join } from 'node:path';

import { LedgerError } from '../errors.js';
import type { Attachment } from '../store/types.js';
import type { HashSettings } from '../hash/index.js';
import { modelSignatureAttachment, signModelDirectory } from '../oms/sign.js';
import type { Signer } from '../sign/types.js';
import type { ModelEntry } from '../record/predicate.js';

export const MODEL_SIGNATURE_FORMAT = 'https://model_signing/signature/v1.0';

export interface SignModelsOptions {
  /** The repository root the entries' names are relative to. */
  root: string;
  models: readonly ModelEntry[];
  /** Files already stored beside the record (large manifests), by name. */
  attachments: readonly Attachment[];
  signer: Signer;
  hash?: HashSettings;
}

export interface SignedModels {
  models: ModelEntry[];
  attachments: Attachment[];
  /** Files whose digest the record had already computed, and bytes read again for the rest. */
  reusedFiles: number;
  hashedBytes: number;
}

export async function signModels(options: SignModelsOptions): Promise<SignedModels> {
  const attachments = [...options.attachments];
  const models: ModelEntry[] = [];
  let reusedFiles = 0;
  let hashedBytes = 0;
  for (const model of options.models) {
    let signature: Awaited<ReturnType<typeof signModelDirectory>>;
    try {
      signature = await signModelDirectory({
        path: join(options.root, model.name),
        display: model.name,
        signer: options.signer,
        knownDigests: knownDigestsOf(model, options.attachments),
        ...(options.hash ? { hash: options.hash } : {}),
      });
    } catch (error) {
      // A model OMS cannot serialize (a symlink, an unreadable file) is still recorded; a signer
      // that fails fails the record, as it would the record's own signature.
      if (!(error instanceof LedgerError) || error.code === 'SIGNING') throw error;
      models.push({
        ...model,
        warnings: [
          ...(model.warnings ?? []),
          { code: 'MODEL_SIGNATURE', message: `no OpenSSF Model Signing signature: ${error.message}` },
        ],
      });
      continue;
    }
    reusedFiles += signature.stats.known;
    hashedBytes += signature.stats.hashed.bytes;
    const attachment = modelSignatureAttachment(signature);
    if (!attachments.some((existing) => existing.name === attachment.name)) {
      attachments.push({ name: attachment.name, content: attachment.content });
    }
    models.push({
      ...model,
      signature: { format: MODEL_SIGNATURE_FORMAT, stored: attachment.name, sha256: attachment.sha256 },
    });
  }
  return { models, attachments, reusedFiles, hashedBytes };
}

/** The file digests the record computed: the file's own, or its directory manifest's lines. */
function knownDigestsOf(model: ModelEntry, attachments: readonly Attachment[]): Map<string, string> {
  const known = new Map<string, string>();
  if (model.kind === 'file') {
    known.set('.', model.digest.sha256);
    return known;
  }
  const text =
    model.manifest?.inline ??
    attachments.find((attachment) => attachment.name === model.manifest?.stored)?.content ??
    '';
  for (const line of text.split('\n')) {
    // `<sha256>  <path>`, as sha256sum prints it.
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (match) known.set(match[2] as string, match[1] as string);
  }
  return known;
}
