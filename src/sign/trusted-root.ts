import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify';

import { LedgerError, describeError, errnoCode } from '../errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The public-good instance's TUF repository; its root of trust ships inside @sigstore/tuf. Written
 * out rather than taken from @sigstore/tuf's DEFAULT_MIRROR_URL (a test keeps them equal): that
 * package and its HTTP stack load only when a root is fetched, not on every key-signed record.
 */
export const PUBLIC_GOOD_TUF_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';

const MEDIA_TYPE_PREFIX = 'application/vnd.dev.sigstore.trustedroot';

/** A trusted root checked for shape and turned into the verifier's trust material. */
export interface LoadedTrustedRoot {
  /** The protobuf-JSON object, as read: what `BundleTrust.trustedRoot` takes. */
  json: Record<string, unknown>;
  root: TrustedRoot;
  material: TrustMaterial;
}

/**
 * Checks untrusted JSON is a Sigstore trusted root that a verifier can rely on, and parses it.
 * Stricter than the protobuf parser, which fills absent fields with defaults: a key or authority
 * whose validity has no start would otherwise be trusted since the beginning of time, so such a
 * root is refused (sigstore-conformance `trust-root-tlog-missing-validity-start_fail`).
 * `source` names the file (or "the trusted root") in errors.
 */
export function parseTrustedRoot(json: unknown, source: string): LoadedTrustedRoot {
  const fail = (message: string, field?: string): never => {
    throw new LedgerError('BAD_INPUT', message, {
      file: source,
      // Stryker disable next-line ConditionalExpression: `{ field: undefined }` is the same error as `{}`
      ...(field === undefined ? {} : { field }),
      fix: "pass a trusted_root.json from the Sigstore instance's TUF repository (or omit --trusted-root to fetch it online)",
    });
  };
  if (!isObject(json)) return fail('is not a Sigstore trusted root (expected a JSON object)');
  const mediaType = json.mediaType;
  if (typeof mediaType !== 'string' || !mediaType.startsWith(MEDIA_TYPE_PREFIX)) {
    return fail(
      `is not a Sigstore trusted root (mediaType is ${JSON.stringify(mediaType)}, expected ${MEDIA_TYPE_PREFIX}…)`,
      'mediaType',
    );
  }
  for (const list of ['tlogs', 'ctlogs'] as const) {
    arrayOf(json, list, fail).forEach((log, index) => {
      const at = `${list}[${index}]`;
      if (!isObject(log)) return fail('is not an object', at);
      const key = log.publicKey;
      if (!isObject(key) || typeof key.rawBytes !== 'string' || key.rawBytes === '') {
        return fail('has no public key', `${at}.publicKey.rawBytes`);
      }
      if (!isObject(log.logId) || typeof log.logId.keyId !== 'string')
        return fail('has no log id', `${at}.logId.keyId`);
      return checkValidity(key.validFor, `${at}.publicKey.validFor`, fail);
    });
  }
  for (const list of ['certificateAuthorities', 'timestampAuthorities'] as const) {
    arrayOf(json, list, fail).forEach((authority, index) => {
      const at = `${list}[${index}]`;
      if (!isObject(authority)) return fail('is not an object', at);
      const chain = isObject(authority.certChain) ? authority.certChain.certificates : undefined;
      if (!Array.isArray(chain) || chain.length === 0)
        return fail('has no certificates', `${at}.certChain.certificates`);
      return checkValidity(authority.validFor, `${at}.validFor`, fail);
    });
  }
  let root: TrustedRoot;
  let material: TrustMaterial;
  try {
    root = TrustedRoot.fromJSON(json);
    material = toTrustMaterial(root);
  } catch (error) {
    return fail(`holds a key or certificate that cannot be parsed (${describeError(error)})`);
  }
  return { json, root, material };
}

function checkValidity(
  validFor: unknown,
  at: string,
  fail: (message: string, field?: string) => never,
): void {
  if (!isObject(validFor) || validFor.start === undefined || validFor.start === null) {
    fail('has no start: a trusted key or authority must say from when it is trusted', `${at}.start`);
    return;
  }
  for (const bound of ['start', 'end'] as const) {
    const value = validFor[bound];
    if (
      value !== undefined &&
      value !== null &&
      (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    ) {
      fail(`is not a timestamp (${JSON.stringify(value)})`, `${at}.${bound}`);
    }
  }
}

function arrayOf(
  json: Record<string, unknown>,
  field: string,
  fail: (message: string, field?: string) => never,
): unknown[] {
  const value = json[field];
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail('is not a list', field);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and checks a trusted root file (offline verification). Problems name the file. */
export async function loadTrustedRootFile(file: string): Promise<LoadedTrustedRoot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new LedgerError('BAD_INPUT', `cannot read the trusted root (${describeError(error)})`, {
      file,
      cause: error,
      fix: errnoCode(error) === 'ENOENT' ? 'check the --trusted-root path' : 'check the file permissions',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LedgerError('BAD_INPUT', `is not JSON (${describeError(error)})`, { file, cause: error });
  }
  return parseTrustedRoot(json, file);
}

export interface TufOptions {
  /** TUF repository; default: the public-good instance's. */
  mirrorUrl?: string;
  /**
   * The repository's initial root.json. Needed for any mirror but the public-good one, whose root
   * ships with @sigstore/tuf.
   */
  rootPath?: string;
  /** Where TUF metadata is cached; default: `tufCacheDir(env)`. */
  cachePath?: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
}

/** model-ledger's TUF cache under the user's cache directory, one subdirectory per mirror. */
export function tufCacheDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'model-ledger', 'Cache', 'tuf');
  const home = env.HOME || homedir();
  const cacheHome =
    env.XDG_CACHE_HOME || (platform === 'darwin' ? join(home, 'Library', 'Caches') : join(home, '.cache'));
  return join(cacheHome, 'model-ledger', 'tuf');
}

/**
 * Fetches the trusted root through TUF (online): the signed, versioned way Sigstore distributes
 * its keys, so a verifier notices key rotation and refuses a tampered or rolled-back root.
 */
export async function fetchTrustedRoot(options: TufOptions, env: Env): Promise<LoadedTrustedRoot> {
  const mirrorURL = options.mirrorUrl ?? PUBLIC_GOOD_TUF_MIRROR;
  const { getTrustedRoot } = await import('@sigstore/tuf');
  let root: TrustedRoot;
  try {
    root = await getTrustedRoot({
      mirrorURL,
      cachePath: options.cachePath ?? tufCacheDir(env),
      ...(options.rootPath === undefined ? {} : { rootPath: options.rootPath }),
      retry: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 4000 },
      timeout: options.timeoutMs ?? 10_000,
    });
  } catch (error) {
    const custom = mirrorURL !== PUBLIC_GOOD_TUF_MIRROR && options.rootPath === undefined;
    throw new LedgerError(
      'NETWORK',
      `cannot fetch the trusted root from the TUF repository ${mirrorURL} (${describeError(error)})`,
      {
        cause: error,
        fix: custom
          ? "pass that repository's initial root.json with --tuf-root FILE, or a trusted root with --trusted-root FILE to verify offline"
          : 'check the network, or pass --trusted-root FILE to verify offline',
      },
    );
  }
  return parseTrustedRoot(TrustedRoot.toJSON(root), `trusted root from ${mirrorURL}`);
}

export interface TrustedRootSource {
  /** A trusted_root.json file (offline); when absent, TUF (online). */
  file?: string;
  tuf?: TufOptions;
}

/** The trusted root from a file when one is given, else through TUF. */
export async function resolveTrustedRoot(source: TrustedRootSource, env: Env): Promise<LoadedTrustedRoot> {
  if (source.file !== undefined) return loadTrustedRootFile(source.file);
  return fetchTrustedRoot(source.tuf ?? {}, env);
}
