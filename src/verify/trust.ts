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
  const explicitKeys = options.trustedKeys !== undefined;
  const keys = keyRing([
    ...(explicitKeys ? (options.trustedKeys ?? []) : (await store.publicKeys()).values()),
    ...extraKeys,
  ]);
  const claims = new Map<string, ClaimedSigner | null>();
  for (const ref of refs) {
    const claim = known?.get(ref.name);
    claims.set(ref.name, claim !== undefined ? claim : claimedSigner(await store.get(ref), ref.name));
  }

  const trust: BundleTrust = { keys };
  if (options.loadTrustedRoot && (await anyTimestamped(store, refs))) {
    trust.trustedRoot = await options.loadTrustedRoot();
  }
  if ([...claims.values()].some((claim) => claim?.kind === 'certificate')) {
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
    trust.trustedRoot = await options.loadTrustedRoot();
  }

  const first = refs.find((ref) => ref.index === 0);
  const claim = first ? claims.get(first.name) : undefined;
  let pinned: PinnedSigner | null = null;
  if (options.identity) {
    trust.identity = options.identity;
  } else if (claim?.kind === 'certificate') {
    pinned = { kind: 'identity', identity: claim.identity, issuer: claim.issuer };
    trust.identity = { identity: claim.identity, issuer: claim.issuer };
  }
  if (!explicitKeys && claim?.kind === 'key') pinned = { kind: 'key', keyHint: claim.keyHint };
  return { trust, pinned, claims };
}

/**
 * Whether a key-signed bundle carries RFC 3161 timestamps (`--tsa-url`): they are checked against
 * the trusted root's timestamp authorities, so the root is loaded for them too.
 */
async function anyTimestamped(store: Store, refs: RecordRef[]): Promise<boolean> {
  for (const ref of refs) {
    const text = (await store.get(ref)).toString('utf8');
    if (!text.includes('rfc3161Timestamps')) continue;
    const material = (
      JSON.parse(text) as {
        verificationMaterial?: { timestampVerificationData?: { rfc3161Timestamps?: unknown[] } };
      }
    ).verificationMaterial;
    if ((material?.timestampVerificationData?.rfc3161Timestamps ?? []).length > 0) return true;
  }
  return false;
}
