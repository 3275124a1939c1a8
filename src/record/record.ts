import { createPublicKey } from 'node:crypto';
import { basename } from 'node:path';

import { readVerifiedRecord, type VerifiedRecord } from '../chain/read.js';
import { verifyBelowHead } from '../chain/recent.js';
import { ledgerTrust } from '../chain/trust.js';
import type { DependenciesMode } from '../collect/dependencies.js';
import type { DatasetSpec } from '../collect/datasets.js';
import { collectSections } from '../collect/registry.js';
import { redactDeep, scanForSecrets } from '../collect/secrets.js';
import { LedgerError } from '../errors.js';
import { sha256Hex } from '../hash/file.js';
import { silentLogger, type Logger } from '../log.js';
import { checkPolicyBeforeSigning, policyForRecord } from '../policy/record.js';
import type { InstanceOptions } from '../sign/instance.js';
import { keyHint } from '../sign/keys.js';
import { resolveSigner, type SigningChoice } from '../sign/resolve.js';
import { resolveTrustedRoot } from '../sign/trusted-root.js';
import type { Signer } from '../sign/types.js';
import { compareBytewise } from '../fs/glob.js';
import { DEFAULT_LEDGER_DIR, LocalStore } from '../store/local.js';
import { RecordConflict, headOf, type RecordRef, type Store } from '../store/types.js';
import { VerificationFailure } from '../verify/problems.js';
import type { ChainLink, ChainPrevious, RecordPredicate, Statement } from './predicate.js';
import { assertValidStatement } from './schema.js';
import { buildStatement, serializeStatement } from './statement.js';
import { TOOL_VERSION } from './version.js';

export interface RecordOptions {
  /** Repository root the record describes. */
  cwd: string;
  /** Environment of the run; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The ledger directory (local store), when `store` is not given. */
  ledgerDir?: string;
  /** Where the ledger lives; default: a local store at `ledgerDir`. */
  store?: Store;
  /**
   * How many records, the head included, are verified before a new record links to the head
   * (default 1: the head; Infinity: the whole chain back to record 0, as on release builds).
   */
  headVerificationDepth?: number;
  /** Sign with this signer instead of choosing one from `signing` (e.g. a throw-away key). */
  signer?: Signer;
  /** Which ledger of the repository (the `#LEDGER` part of the chain origin). */
  ledgerName?: string;
  /** How to sign: see SigningChoice (default auto). */
  signing?: SigningChoice;
  /** PKCS#8 PEM ECDSA P-256 private key file. */
  keyFile?: string;
  /** The same key as PEM text (e.g. from a CI secret); never written to disk. */
  keyPem?: string;
  /** Which Sigstore instance keyless signing uses. */
  sigstore?: InstanceOptions;
  /**
   * Trusted root that verifies the ledger's keyless head before linking to it; default: fetched
   * through Sigstore's TUF repository (public-good).
   */
  trustedRootFile?: string;
  /** Model files, directories or globs, repository-relative. */
  models?: string[];
  /** Datasets: files, directories, globs, DVC files or URIs (see DatasetSpec). */
  datasets?: DatasetSpec[];
  /** Training-run description: JSON or YAML file, MLflow model or run folder. */
  training?: string;
  /** Hash every file again instead of reusing cached digests of unchanged files. */
  noCache?: boolean;
  /** Progress of hashing (files done of total, bytes read), at most a few times a second. */
  onProgress?: (progress: { files: number; total: number; bytes: number }) => void;
  reason?: string;
  /** Lockfiles to record (repository-relative); default: found by searching the repository. */
  lockfiles?: string[];
  /** `best-effort` skips a malformed lockfile with a warning instead of failing the run. */
  dependencies?: DependenciesMode;
  /** Token for the GitHub API (pull request, approvals, commit verification); never recorded. */
  githubToken?: string;
  /** GitHub API base URL; default GITHUB_API_URL, else https://api.github.com. */
  githubApiUrl?: string;
  /** Environment variable names (or PREFIX_*) to record besides the default allow-list. */
  environmentVariables?: string[];
  /** Values that must never appear in a record: redacted where found, and the record refused if one survives. */
  knownSecrets?: string[];
  log?: Logger;
  /** The time written into the record; defaults to now. */
  now?: Date;
  /**
   * Policy file checked before signing (relative to `cwd`); default: model-ledger.policy.yml in
   * `cwd` when it exists; `false`: no policy. An enforced rule that fails stops the run.
   */
  policy?: string | false;
}

export interface RecordResult {
  index: number;
  statementSha256: string;
  bundleSha256: string;
  /** Where the bundle was stored (a path for the local store, a URL for remote ones). */
  location: string;
  ref: RecordRef;
  previous: ChainPrevious | null;
  statement: Statement;
  signingMode: Signer['mode'];
  notices: string[];
  /** True when this workflow run attempt had already recorded it (a re-run): nothing was added. */
  reused?: boolean;
}

/**
 * One run: collect → link to the previous record → build the statement → check it against the
 * schema → sign → store. Everything that can fail on bad input fails before the store is touched.
 */
export async function record(options: RecordOptions): Promise<RecordResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? silentLogger;
  const notices: string[] = [];
  const store: Store = options.store ?? new LocalStore(options.ledgerDir ?? DEFAULT_LEDGER_DIR);
  const policy = await policyForRecord(options.cwd, options.policy);

  const knownSecrets = [
    ...(options.knownSecrets ?? []),
    options.githubToken ?? '',
    options.keyPem ?? '',
  ].filter((secret) => secret !== '');
  const { signer, notices: signerNotices } = options.signer
    ? { signer: options.signer, notices: [] }
    : await resolveSigner(options, env);
  notices.push(...signerNotices);
  const loadTrustedRoot = async (): Promise<unknown> =>
    (
      await resolveTrustedRoot(
        options.trustedRootFile === undefined ? {} : { file: options.trustedRootFile },
        env,
      )
    ).json;
  const head = await readHead(store, signer, loadTrustedRoot, options.headVerificationDepth);
  const collected = await collectSections({
    cwd: options.cwd,
    env,
    previous: head?.statement.predicate ?? null,
    log,
    models: options.models ?? [],
    datasets: options.datasets ?? [],
    training: options.training,
    hashing: {
      ...(options.noCache ? { noCache: true } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
    ...(options.reason === undefined ? {} : { reason: options.reason }),
    github: {
      ...(options.githubToken ? { token: options.githubToken } : {}),
      ...(options.githubApiUrl ? { baseUrl: options.githubApiUrl } : {}),
    },
    environmentVariables: options.environmentVariables ?? [],
    knownSecrets,
    dependencies: {
      ...(options.lockfiles === undefined ? {} : { paths: options.lockfiles }),
      ...(options.dependencies === undefined ? {} : { mode: options.dependencies }),
    },
  });

  const base: Omit<RecordPredicate, 'chain'> = {
    recordedAt: (options.now ?? new Date()).toISOString(),
    tool: { name: 'model-ledger', version: TOOL_VERSION },
    signing: { mode: signer.mode },
    ...collected.sections,
    policy: null,
    notes: collected.notes,
  };
  if (policy) base.policy = checkPolicyBeforeSigning(policy, base, signer, log);
  const publicKey = signer.publicKeyPem
    ? { hint: keyHint(createPublicKey(signer.publicKeyPem)), pem: signer.publicKeyPem }
    : undefined;

  // Everything that can be wrong with the record is found before the store is touched.
  const draft = serializeStatement(
    buildStatement(redactDeep<RecordPredicate>({ ...base, chain: linkTo(head, '', options) }, knownSecrets)),
  );
  assertValidStatement(JSON.parse(draft.toString('utf8')));
  assertNoSecrets(draft, knownSecrets);

  // A re-run of this workflow run attempt finds its own record at the head and adds nothing.
  const own = findRecordOfThisRun(head, JSON.parse(draft.toString('utf8')) as Statement);
  if (own) return recordOfThisRun(own, store, notices, log);

  const unlock = await store.lock?.();
  try {
    // Read again under the lock: the head may have moved while the sections were collected.
    let current = unlock ? await readHead(store, signer, loadTrustedRoot) : head;
    for (let attempt = 1; ; attempt++) {
      const chain = linkTo(current, collected.sections.commit?.repositoryUrl ?? '', options);
      const statement = buildStatement(redactDeep<RecordPredicate>({ ...base, chain }, knownSecrets));
      assertValidStatement(statement);
      const payload = serializeStatement(statement);
      assertNoSecrets(payload, knownSecrets);
      const statementSha256 = sha256Hex(payload);
      const bundle = Buffer.from(`${JSON.stringify(await signer.signStatement(payload), null, 2)}\n`, 'utf8');
      const ref = await store
        .put({
          index: chain.index,
          statementSha256,
          bundle,
          attachments: collected.attachments,
          ...(publicKey ? { publicKey } : {}),
        })
        .catch((error: unknown) => {
          // The store refused the name: another run stored this index first (remote stores).
          if (error instanceof RecordConflict) return null;
          throw error;
        });
      const rival = ref ? await losingTo(store, ref) : undefined;
      if (!ref || rival) {
        // Another run appended after the same head at the same time: the fork is undone by the
        // loser, which both runs agree on, and the losing record is linked again on the winner.
        if (ref) await store.remove(ref);
        if (attempt >= MAX_LINK_ATTEMPTS) {
          throw new LedgerError(
            'CHAIN',
            `other runs keep appending to the ledger at the same time (${attempt} attempts)`,
            {
              file: store.location,
              fix: 'serialise the runs that record into one ledger, e.g. with a workflow `concurrency:` group',
            },
          );
        }
        log.warn(
          `record ${chain.index}: ${rival?.name ?? "another run's record"} was appended concurrently; linking again on top of it`,
        );
        current = await readHead(store, signer, loadTrustedRoot);
        continue;
      }
      log.info(`record ${chain.index} written to ${store.locate(ref)}`);
      return {
        index: chain.index,
        statementSha256,
        bundleSha256: sha256Hex(bundle),
        location: store.locate(ref),
        ref,
        previous: chain.previous,
        statement,
        signingMode: signer.mode,
        notices,
      };
    }
  } finally {
    await unlock?.();
  }
}

/** How many times a record is linked again after losing a race to another run. */
export const MAX_LINK_ATTEMPTS = 5;

function linkTo(head: VerifiedRecord | null, repositoryUrl: string, options: RecordOptions): ChainLink {
  return {
    origin: head?.statement.predicate.chain.origin ?? ledgerOrigin(repositoryUrl, options),
    index: head ? head.statement.predicate.chain.index + 1 : 0,
    previous: head
      ? { statementSha256: head.statementSha256, bundleSha256: head.bundleSha256, uri: head.ref.uri }
      : null,
  };
}

/**
 * After appending, the ledger is listed again: when another record claims the same index, the
 * one the store accepted first wins (by `sequence`; by name for stores that do not know the
 * order). Racing runs see the same order and so agree, without talking to each other, on which
 * of them re-links.
 */
async function losingTo(store: Store, ours: RecordRef): Promise<RecordRef | undefined> {
  const rivals = (await store.list()).filter((ref) => ref.index === ours.index && ref.name !== ours.name);
  return rivals.find((ref) =>
    ref.sequence !== undefined && ours.sequence !== undefined
      ? ref.sequence < ours.sequence
      : compareBytewise(ref.name, ours.name) < 0,
  );
}

/**
 * The ledger's head, verified before anything links to it: a record must never point at
 * something that does not check out. The head must be signed by a key the ledger keeps, or by
 * the key signing now.
 */
async function readHead(
  store: Store,
  signer: Signer,
  loadTrustedRoot: () => Promise<unknown>,
  depth = 1,
): Promise<VerifiedRecord | null> {
  const refs = await store.list();
  const head = headOf(refs);
  if (!head) return null;
  const tied = refs.filter((ref) => ref.index === head.index);
  if (tied.length > 1) {
    throw new LedgerError(
      'CHAIN',
      `the ledger has a fork at record ${head.index}: ${tied.map((ref) => ref.name).join(', ')}`,
      {
        file: store.location,
        fix: 'run `model-ledger verify` and remove the record that should not be there before recording again',
      },
    );
  }
  const { trust } = await ledgerTrust(
    store,
    [head, ...refs.filter((ref) => ref.index === 0 && ref !== head)],
    { loadTrustedRoot },
    signer.publicKeyPem ? [signer.publicKeyPem] : [],
  );
  let verified: VerifiedRecord;
  try {
    verified = await readVerifiedRecord(store, head, trust);
  } catch (error) {
    if (error instanceof VerificationFailure) {
      throw new LedgerError(
        'CHAIN',
        `the ledger head does not verify, so nothing can be linked to it: ${error.message}`,
        {
          file: `${store.location}/${head.name}`,
          cause: error,
          fix: 'run `model-ledger verify` to see what is wrong with the ledger',
        },
      );
    }
    throw error;
  }
  if (depth > 1) await verifyBelowHead(store, refs, verified, trust, depth);
  return verified;
}

/**
 * The head, when this same workflow run attempt (repository, run id, attempt, job) recorded it
 * for the same subjects: a re-run of a step or job whose record is already stored.
 */
export function findRecordOfThisRun(head: VerifiedRecord | null, draft: Statement): VerifiedRecord | null {
  const ours = draft.predicate.environment.ci;
  if (!head || ours.provider !== 'github-actions' || !ours.runId || !ours.runAttempt) return null;
  const theirs = head.statement.predicate.environment.ci;
  const same =
    theirs.provider === 'github-actions' &&
    theirs.repository === ours.repository &&
    theirs.runId === ours.runId &&
    theirs.runAttempt === ours.runAttempt &&
    theirs.job === ours.job &&
    JSON.stringify(head.statement.subject) === JSON.stringify(draft.subject);
  return same ? head : null;
}

function recordOfThisRun(own: VerifiedRecord, store: Store, notices: string[], log: Logger): RecordResult {
  const { chain, environment, signing } = own.statement.predicate;
  const message = `run ${environment.ci.runId} attempt ${environment.ci.runAttempt} already recorded record ${chain.index} (${store.locate(own.ref)}); nothing was added`;
  log.info(message);
  return {
    index: chain.index,
    statementSha256: own.statementSha256,
    bundleSha256: own.bundleSha256,
    location: store.locate(own.ref),
    ref: own.ref,
    previous: chain.previous,
    statement: own.statement,
    signingMode: signing.mode,
    notices: [...notices, message],
    reused: true,
  };
}

/** The last line of defence: a record that still holds a secret is refused before it is signed. */
function assertNoSecrets(payload: Buffer, knownSecrets: string[]): void {
  const findings = scanForSecrets(payload.toString('utf8'), knownSecrets);
  if (findings.length === 0) return;
  throw new LedgerError(
    'SECRET',
    `the record would contain a secret: ${findings.map((finding) => `${finding.field} (${finding.kind})`).join(', ')}`,
    {
      field: findings[0]?.field,
      fix: 'remove the secret from that source (file, variable, message) or stop recording it; nothing was signed or written',
    },
  );
}

/** `github.com/OWNER/REPO#LEDGER` from the repository URL; `local:<dir>#LEDGER` without one. */
export function ledgerOrigin(
  repositoryUrl: string,
  options: Pick<RecordOptions, 'cwd' | 'ledgerName'>,
): string {
  const ledger = options.ledgerName ?? 'main';
  try {
    const url = new URL(repositoryUrl);
    return `${url.host}${url.pathname.replace(/\/+$/, '')}#${ledger}`;
  } catch {
    return `local:${basename(options.cwd)}#${ledger}`;
  }
}
