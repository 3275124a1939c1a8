import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  claimedSigner
} from "./chunk-FBKVKE4J.js";
import {
  keyRing
} from "./chunk-KZKQFOQH.js";
import {
  LedgerError
} from "./chunk-ICUNJ6NG.js";

// src/verify/trust.ts
async function ledgerTrust(store, refs, options, extraKeys = [], known) {
  const explicitKeys = options.trustedKeys !== void 0;
  const keys = keyRing([
    ...explicitKeys ? options.trustedKeys ?? [] : (await store.publicKeys()).values(),
    ...extraKeys
  ]);
  const claims = /* @__PURE__ */ new Map();
  for (const ref of refs) {
    const claim2 = known?.get(ref.name);
    claims.set(ref.name, claim2 !== void 0 ? claim2 : claimedSigner(await store.get(ref), ref.name));
  }
  const trust = { keys };
  if (options.loadTrustedRoot && await anyTimestamped(store, refs)) {
    trust.trustedRoot = await options.loadTrustedRoot();
  }
  if ([...claims.values()].some((claim2) => claim2?.kind === "certificate")) {
    if (!options.loadTrustedRoot) {
      throw new LedgerError(
        "VERIFY",
        "the ledger holds keyless records, and no Sigstore trusted root was given to check them",
        {
          file: store.location,
          fix: "pass --trusted-root FILE, or let model-ledger fetch it through TUF"
        }
      );
    }
    trust.trustedRoot = await options.loadTrustedRoot();
  }
  const first = refs.find((ref) => ref.index === 0);
  const claim = first ? claims.get(first.name) : void 0;
  let pinned = null;
  if (options.identity) {
    trust.identity = options.identity;
  } else if (claim?.kind === "certificate") {
    pinned = { kind: "identity", identity: claim.identity, issuer: claim.issuer };
    trust.identity = { identity: claim.identity, issuer: claim.issuer };
  }
  if (!explicitKeys && claim?.kind === "key") pinned = { kind: "key", keyHint: claim.keyHint };
  return { trust, pinned, claims };
}
async function anyTimestamped(store, refs) {
  for (const ref of refs) {
    const text = (await store.get(ref)).toString("utf8");
    if (!text.includes("rfc3161Timestamps")) continue;
    const material = JSON.parse(text).verificationMaterial;
    if ((material?.timestampVerificationData?.rfc3161Timestamps ?? []).length > 0) return true;
  }
  return false;
}

export {
  ledgerTrust
};
