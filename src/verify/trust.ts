import type { Bundle } from '@sigstore/bundle';

import { LedgerError } from '../errors.js';
import type { Store, RecordRef } from '../store/types.js';
import { keyRing } from '../sign/keys.js';
import type { BundleTrust } from './bundle.js';
import { claimedSigner, type ClaimedSigner } from './claimed-signer.js';
import { type IdentityPolicy } from './identity.js';

/** Who a ledger's records must be signed by, as its reader was told or as record 0 says. */
export interface LedgerTrustOptions {
  /** Public keys (PEM) to trust; when given, any of them may sign any record. */
  trustedKeys?: string[];
  /** Certificate identity every keyless record must carry; default: record 0's. */
  identity?: IdentityPolicy;
  /** Loads the Sigstore trusted root; called only when the ledger holds keyless records. */
  loadTrustedRoot?: () => Promise<unknown>;
}

/** The signer record 0 names: every later record must be signed by the same, unless told otherwise. */
export type PinnedSigner =
  { kind: 'key'; keyHint: string } | { kind: 'identity'; identity: string; issuer: string };

export interface LedgerTrust {
  trust: BundleTrust;
  pinned: PinnedSigner | null;
  /** How each stored file says it was signed (by file name), null when it cannot be read. */
  claims: Map<string, ClaimedSigner | null>;
}

/**
 * Builds the trust a ledger is verified with. Without explicit keys or identity, record 0 pins
 * the signer: a key-signed ledger trusts its own keys/ but only the key of record 0; a keyless
 * ledger requires record 0's certificate identity and issuer on every record.
 */
export async function ledgerTrust(
  store: Store,
  refs: RecordRef[],
  options: LedgerTrustOptions,
  extraKeys: string[] = [],
  /** Claims the caller has read already (by file name), so that no bundle is parsed twice. */
  known?: ReadonlyMap<string, ClaimedSigner | null>,
): Promise<LedgerTrust> {
  const claims = new Map<string, ClaimedSigner | null>();
  const bytesOf = new Map<string, Buffer>();
  for (const ref of refs) {
    const claim = known?.get(ref.name);
    if (claim !== undefined) {
      claims.set(ref.name, claim);
      continue;
    }
    const bytes = await store.get(ref);
    bytesOf.set(ref.name, bytes);
    claims.set(ref.name, claimedSigner(bytes, ref.name));
  }
  const first = refs.find((ref) => ref.index === 0);
  const opened = await openLedgerTrust(store, first ? claims.get(first.name) : undefined, options, extraKeys);
  // Keyless records first: their error (no trusted root) is the one to give, whatever comes before.
  for (const ref of refs) {
    if (claims.get(ref.name)?.kind === 'certificate') await opened.admit(claims.get(ref.name) ?? null, false);
  }
  if (options.loadTrustedRoot && !opened.trust.trustedRoot) {
    for (const ref of refs) {
      if (opened.trust.trustedRoot) break;
      await opened.admit(
        claims.get(ref.name) ?? null,
        carriesTrustedTime(bytesOf.get(ref.name) ?? (await store.get(ref))),
      );
    }
  }
  return { trust: opened.trust, pinned: opened.pinned, claims };
}

/** A ledger's trust, set up from record 0 before the records are read one by one. */
export interface OpenedLedgerTrust {
  trust: BundleTrust;
  pinned: PinnedSigner | null;
  /**
   * Called for each record, in order, before it is verified: loads the Sigstore trusted root the
   * first time a record needs it (keyless, or carrying RFC 3161 timestamps or log entries), so a
   * ledger read one record at a time needs no pass over every file first. Throws when a keyless
   * record comes and no trusted root can be had.
   */
  admit(claim: ClaimedSigner | null, carriesTime: boolean): Promise<void>;
}

/**
 * The trust of a ledger whose record 0 claims `first` (undefined: the ledger has no record 0).
 * Keys are the ledger's keys/ (or `trustedKeys`) and `extraKeys`; the pinned signer is record
 * 0's unless keys or an identity are given.
 */
export async function openLedgerTrust(
  store: Store,
  first: ClaimedSigner | null | undefined,
  options: LedgerTrustOptions,
  extraKeys: string[] = [],
): Promise<OpenedLedgerTrust> {
  const explicitKeys = options.trustedKeys !== undefined;
  const keys = keyRing([
    ...(explicitKeys ? (options.trustedKeys ?? []) : (await store.publicKeys()).values()),
    ...extraKeys,
  ]);
  const trust: BundleTrust = { keys };
  let pinned: PinnedSigner | null = null;
  if (options.identity) {
    trust.identity = options.identity;
  } else if (first?.kind === 'certificate') {
    pinned = { kind: 'identity', identity: first.identity, issuer: first.issuer };
    trust.identity = { identity: first.identity, issuer: first.issuer };
  }
  if (!explicitKeys && first?.kind === 'key') pinned = { kind: 'key', keyHint: first.keyHint };

  let loading: Promise<void> | undefined;
  const admit = async (claim: ClaimedSigner | null, carriesTime: boolean): Promise<void> => {
    if (trust.trustedRoot !== undefined) return;
    if (claim?.kind === 'certificate') {
      if (!options.loadTrustedRoot) {
        throw new LedgerError(
          'VERIFY',
          'the ledger holds keyless records, and no Sigstore trusted root was given to check them',
          {
            file: store.location,
            fix: 'pass --trusted-root FILE, or let model-ledger fetch it through TUF',
          },
        );
      }
    } else if (!options.loadTrustedRoot || !carriesTime) {
      return;
    }
    const load = options.loadTrustedRoot;
    loading ??= load().then((root) => {
      trust.trustedRoot = root;
    });
    await loading;
  };
  return { trust, pinned, admit };
}

/**
 * Whether a key-signed bundle carries RFC 3161 timestamps (`--tsa-url`) or transparency-log
 * entries: they are checked against the trusted root's authorities and logs, so the root is
 * loaded for them too. Read untrusted: a bundle that does not parse is verification's to report.
 */
export function carriesTrustedTime(bytes: Buffer): boolean {
  const text = bytes.toString('utf8');
  if (!text.includes('rfc3161Timestamps') && !text.includes('tlogEntries')) return false;
  let material:
    | {
        timestampVerificationData?: { rfc3161Timestamps?: unknown };
        tlogEntries?: unknown;
      }
    | undefined;
  try {
    material = (JSON.parse(text) as { verificationMaterial?: typeof material } | null)?.verificationMaterial;
  } catch {
    return false;
  }
  const timestamps = material?.timestampVerificationData?.rfc3161Timestamps;
  return (
    (Array.isArray(timestamps) && timestamps.length > 0) ||
    (Array.isArray(material?.tlogEntries) && material.tlogEntries.length > 0)
  );
}

/** carriesTrustedTime for a bundle parsed already. */
export function bundleCarriesTrustedTime(bundle: Bundle): boolean {
  const material = bundle.verificationMaterial;
  return (
    material.tlogEntries.length > 0 || (material.timestampVerificationData?.rfc3161Timestamps.length ?? 0) > 0
  );
}
