import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  noteKeyId,
  noteSignatureLine
} from "./chunk-L2DKPJSZ.js";
import {
  DSSE_PAYLOAD_TYPE
} from "./chunk-XHSS2EDQ.js";
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";
import {
  require_dist as require_dist2
} from "./chunk-TPO7XROF.js";
import "./chunk-RU2JOVGO.js";
import {
  require_dist
} from "./chunk-6HJSFOKJ.js";
import "./chunk-ZC6XPDJG.js";
import "./chunk-6JW7FKWL.js";
import {
  __toESM
} from "./chunk-H3ACIWDX.js";

// src/sign/keyless.ts
var import_bundle = __toESM(require_dist(), 1);
var import_sign = __toESM(require_dist2(), 1);
import { X509Certificate } from "node:crypto";
var KeylessSigner = class {
  constructor(options) {
    this.options = options;
    const retry = { retries: options.retries ?? 3, factor: 2, minTimeout: 500, maxTimeout: 8e3 };
    const timeout = options.timeoutMs ?? 3e4;
    const witnesses = [];
    if (options.instance.rekorUrl) {
      witnesses.push(
        new import_sign.RekorWitness({
          rekorBaseURL: options.instance.rekorUrl,
          entryType: "dsse",
          fetchOnConflict: true,
          retry,
          timeout
        })
      );
    }
    if (options.instance.tsaUrl) {
      witnesses.push(new import_sign.TSAWitness({ tsaBaseURL: options.instance.tsaUrl, retry, timeout }));
    }
    const signer = new import_sign.FulcioSigner({
      fulcioBaseURL: options.instance.fulcioUrl,
      identityProvider: options.identity,
      retry,
      timeout
    });
    this.builder = new import_sign.DSSEBundleBuilder({ signer, witnesses });
    this.messageBuilder = new import_sign.MessageSignatureBundleBuilder({ signer, witnesses });
  }
  options;
  mode = "keyless";
  builder;
  messageBuilder;
  /**
   * The checkpoint is signed like an artifact (a message signature over the note body's bytes),
   * so the signature is exactly the ECDSA signature a signed note carries: the note gets a
   * signature line under the certificate's key, and the bundle proves whose key that is and when.
   */
  async signCheckpoint(body, name) {
    let serialized;
    try {
      serialized = (0, import_bundle.bundleToJSON)(await this.messageBuilder.create({ data: Buffer.from(body, "utf8") }));
    } catch (error) {
      throw this.failure("the checkpoint", error);
    }
    const certificate = serialized.verificationMaterial.certificate?.rawBytes ?? serialized.verificationMaterial.x509CertificateChain?.certificates[0]?.rawBytes;
    const signature = serialized.messageSignature?.signature;
    if (!certificate || !signature) {
      throw new LedgerError(
        "SIGNING",
        "the Sigstore bundle of the checkpoint holds no certificate or signature",
        {
          fix: `check the Fulcio instance at ${this.options.instance.fulcioUrl}`
        }
      );
    }
    const publicKey = new X509Certificate(Buffer.from(certificate, "base64")).publicKey;
    const line = noteSignatureLine(name, noteKeyId(name, publicKey), Buffer.from(signature, "base64"));
    return { note: `${body}
${line}`, bundle: serialized };
  }
  failure(what, error) {
    return new LedgerError(
      "SIGNING",
      `keyless signing of ${what} on the ${this.options.instance.name} Sigstore instance failed (${describeError(error)})`,
      {
        cause: error,
        fix: `check that ${this.options.instance.fulcioUrl} is reachable and the OIDC token (${this.options.identity.source}) is valid`
      }
    );
  }
  async signStatement(payload) {
    try {
      return (0, import_bundle.bundleToJSON)(await this.builder.create({ data: payload, type: DSSE_PAYLOAD_TYPE }));
    } catch (error) {
      throw this.failure("the record", error);
    }
  }
};
function rekorWitness(url, options = {}) {
  return new import_sign.RekorWitness({ rekorBaseURL: url, entryType: "dsse", fetchOnConflict: true, ...options });
}
export {
  KeylessSigner,
  rekorWitness
};
