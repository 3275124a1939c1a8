import { createPublicKey } from 'node:crypto';
import { basename } from 'node:path';

import { formatCheckpointBody, parseCheckpoint } from '../checkpoint/note.js';
import { readVerifiedRecord, type VerifiedRecord } from '../verify/read.js';
import { checkpointKeyName } from '../checkpoint/checkpoint-name.js';
import { TreeState } from '../checkpoint/tree-state.js';
import { assertAppendable, verifyBelowHead } from '../chain/recent.js';
import { ledgerTrust } from '../verify/trust.js';
import type { DependenciesMode } from '../collect/dependencies.js';
import type { DatasetSpec } from '../collect/datasets.js';
import type { LockfileSearch } from '../lockfiles/find.js';
import { collectSections } from '../collect/registry.js';
import { redactDeep, scanForSecrets } from '../collect/secrets.js';
import { LedgerError, describeError } from '../errors.js';
import { sha256Hex } from '../hash/file.js';
import { silentLogger, type Logger } from '../log.js';
import { checkPolicyBeforeSigning, policyForRecord } from '../policy/record.js';
import type { InstanceOptions } from '../sign/instance.js';
import { keyHint } from '../sign/keys.js';
import { resolveSigner, type SigningChoice } from '../sign/resolve.js';
import { resolveTrustedRoot } from '../sign/trusted-root.js';
import type { SignedCheckpoint, Signer } from '../sign/types.js';
import { signModels } from './model-signatures.js';
import { compareBytewise } from '../fs/glob.js';
import { DEFAULT_LEDGER_DIR, LocalStore } from '../store/local.js';
import { RecordConflict, headOf, type RecordRef, type Store } from '../store/types.js';
import type { BundleTrust } from '../verify/bundle.js';
import { VerificationFailure } from '../verify/problems.js';
import type {
  ChainLink,
  ChainPrevious,
  ChainStart,
  RecordPredicate,
  Statement,
} from '../record/predicate.js';
import { assertValidStatement } from '../record/schema.js';
import { buildStatement, serializeStatement } from '../record/statement.js';
import { TOOL_VERSION } from '../record/version.js';

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
  /**
   * Sign every model the record covers as OpenSSF Model Signing v1.0 (`model.sig`), stored
   * beside the record and named in it by digest (default true).
   */
  modelSignatures?: boolean;
  /** Progress of hashing (files done of total, bytes read), at most a few times a second. */
  onProgress?: (progress: { files: number; total: number; bytes: number }) => void;
  reason?: string;
  /** Lockfiles to record (repository-relative); default: found by searching the repository. */
  lockfiles?: string[];
  /** `best-effort` skips a malformed lockfile with a warning instead of failing the run. */
  dependencies?: DependenciesMode;
  /** Folders the lockfile search skips besides, or searches despite, the defaults (model-ledger.yml). */
  lockfileSearch?: LockfileSearch;
  /**
   * Files besides model-ledger.yml and model-ledger.policy.yml that shape the record (a config or
   * policy named by a flag), repository-relative: an uncommitted change to one makes it dirty.
   */
  configFiles?: string[];
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
  /**
   * Looks outside the ledger for records of it (the attestations mirror, a configured head): a run
   * refuses to link when they show records the store no longer holds (a deleted head, deleted
   * releases), and to start again at record 0 unless `newLedger` says to.
   */
  knownRecords?: (draft: Statement) => Promise<KnownRecord[]>;
  /** Start a new ledger on purpose, with the reason recorded in the new record 0. */
  newLedger?: { reason: string };
}

/** A record of a ledger known from outside the store (an attestation, a configured head). */
export interface KnownRecord {
  origin: string;
  index: number;
  /** Where it is known from, for messages. */
  where: string;
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
  /** The signed checkpoint (C2SP note) of the ledger with this record, for signers that sign notes. */
  checkpoint?: string;
  /** Keyless: the Sigstore bundle that binds the checkpoint's signature key to the signer. */
  checkpointBundle?: Buffer;
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
  let head = await readHead(store, signer, loadTrustedRoot, options.headVerificationDepth);
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
      ...(options.lockfileSearch === undefined ? {} : { search: options.lockfileSearch }),
    },
    ...(options.configFiles === undefined ? {} : { configFiles: options.configFiles }),
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
    buildStatement(
      redactDeep<RecordPredicate>(
        {
          ...base,
          chain: linkTo(head, TreeState.empty(), collected.sections.commit?.repositoryUrl ?? '', options),
        },
        knownSecrets,
      ),
    ),
  );
  assertValidStatement(JSON.parse(draft.toString('utf8')));
  assertNoSecrets(draft, knownSecrets);
  const draftStatement = JSON.parse(draft.toString('utf8')) as Statement;

  // A re-run of this workflow run attempt finds its own record at the head and adds nothing.
  const own = findRecordOfThisRun(head, draftStatement);
  if (own) return recordOfThisRun(own, store, notices, log);

  let attachments = collected.attachments;
  if (options.modelSignatures !== false && base.models.length > 0) {
    const signed = await signModels({
      root: options.cwd,
      models: base.models,
      attachments,
      signer,
      ...(options.noCache ? { hash: { noCache: true } } : {}),
    });
    base.models = signed.models;
    attachments = signed.attachments;
  }
  const start = await startOfLedger(store, head, draftStatement, options);

  const unlock = await store.lock?.();
  try {
    // Read again under the lock: the head may have moved while the sections were collected.
    let current = unlock ? await readHead(store, signer, loadTrustedRoot) : head;
    for (let attempt = 1; ; attempt++) {
      const tree = await treeBefore(store, current, signer, loadTrustedRoot);
      const chain = linkTo(current, tree, collected.sections.commit?.repositoryUrl ?? '', options);
      if (chain.index === 0 && start) chain.start = start;
      const statement = buildStatement(redactDeep<RecordPredicate>({ ...base, chain }, knownSecrets));
      assertValidStatement(statement);
      const payload = serializeStatement(statement);
      assertNoSecrets(payload, knownSecrets);
      const statementSha256 = sha256Hex(payload);
      const bundle = Buffer.from(`${JSON.stringify(await signer.signStatement(payload), null, 2)}\n`, 'utf8');
      const signed = await checkpointAfter(signer, chain.origin, tree.append(payload));
      const checkpoint = signed?.note;
      const checkpointBundle = signed?.bundle
        ? Buffer.from(`${JSON.stringify(signed.bundle, null, 2)}\n`, 'utf8')
        : undefined;
      const ref = await store
        .put({
          index: chain.index,
          statementSha256,
          bundle,
          attachments,
          ...(publicKey ? { publicKey } : {}),
          ...(checkpoint ? { checkpoint } : {}),
          ...(checkpointBundle ? { checkpointBundle } : {}),
        })
        .catch((error: unknown) => {
          // The store refused the name: another run stored this index first (remote stores).
          if (error instanceof RecordConflict) return null;
          throw error;
        });
      // A store that keeps indexes exclusive has refused the name already (RecordConflict above).
      const rival = ref && !store.exclusiveIndex ? await losingTo(store, ref) : undefined;
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
        head = current;
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
        ...(checkpoint ? { checkpoint } : {}),
        ...(checkpointBundle ? { checkpointBundle } : {}),
      };
    }
  } finally {
    await unlock?.();
  }
}

/** How many times a record is linked again after losing a race to another run. */
export const MAX_LINK_ATTEMPTS = 5;

function linkTo(
  head: VerifiedRecord | null,
  tree: TreeState,
  repositoryUrl: string,
  options: RecordOptions,
): ChainLink {
  return {
    origin: head?.statement.predicate.chain.origin ?? ledgerOrigin(repositoryUrl, options),
    index: head ? head.statement.predicate.chain.index + 1 : 0,
    previous: head
      ? { statementSha256: head.statementSha256, bundleSha256: head.bundleSha256, uri: head.ref.uri }
      : null,
    tree: tree.toRecord(),
  };
}

/**
 * The tree of the ledger up to and including the head: from the state the head carries, or, for a
 * head made before records carried it, from every record (once; later records carry it).
 */
async function treeBefore(
  store: Store,
  head: VerifiedRecord | null,
  signer: Signer,
  loadTrustedRoot: () => Promise<unknown>,
): Promise<TreeState> {
  if (!head) return TreeState.empty();
  const { chain } = head.statement.predicate;
  if (chain.tree) return TreeState.fromRecord(chain.tree, `record ${chain.index}`).append(head.payload);
  const refs = await store.list();
  const { trust } = await ledgerTrust(
    store,
    refs,
    { loadTrustedRoot },
    signer.publicKeyPem ? [signer.publicKeyPem] : [],
  );
  let tree = TreeState.empty();
  for (const ref of refs) {
    if (ref.index > chain.index) break;
    tree = tree.append((await readVerifiedRecord(store, ref, trust)).payload);
  }
  return tree;
}

/** The signed checkpoint after a record (key signers: a note; keyless: a note and its bundle). */
async function checkpointAfter(
  signer: Signer,
  origin: string,
  tree: TreeState,
): Promise<SignedCheckpoint | undefined> {
  if (!signer.signCheckpoint) return undefined;
  const body = formatCheckpointBody({ origin, size: tree.size, rootHash: tree.root() });
  return signer.signCheckpoint(body, checkpointKeyName(origin));
}

/**
 * What record 0 says about starting a ledger: nothing for a first ledger; a refusal when signs of
 * an earlier one exist (deleted releases, a checkpoint without records) and no `newLedger` was asked;
 * the reason when it was. A ledger that exists cannot be restarted under the same origin.
 */
async function startOfLedger(
  store: Store,
  head: VerifiedRecord | null,
  draft: Statement,
  options: RecordOptions,
): Promise<ChainStart | undefined> {
  if (head) {
    const { origin, index } = head.statement.predicate.chain;
    const ahead = ((await options.knownRecords?.(draft)) ?? [])
      .filter((record) => record.origin === origin && record.index > index)
      .sort((a, b) => b.index - a.index)[0];
    if (ahead) {
      throw new LedgerError(
        'CHAIN',
        `the ledger's newest record in ${store.location} is ${index}, but ${ahead.where} holds record ${ahead.index} of it: records ${index + 1}–${ahead.index} were deleted`,
        {
          file: store.location,
          fix: 'restore the deleted records; nothing is linked to a truncated ledger',
        },
      );
    }
    if (options.newLedger) {
      throw new LedgerError(
        'USAGE',
        `a new ledger was asked for, but ${store.location} already holds one (${head.statement.predicate.chain.origin}, ${head.statement.predicate.chain.index + 1} records)`,
        {
          field: 'new-ledger',
          fix: 'drop `new-ledger`, or start the new ledger under another name (`ledger-name`) so both histories stay',
        },
      );
    }
    return undefined;
  }
  const signs: string[] = [];
  const checkpoint = await store.latestCheckpoint?.();
  if (checkpoint) {
    signs.push(
      `the store holds a checkpoint of ${checkpoint.size} record(s) (${checkpoint.uri}) but no record`,
    );
  }
  const known = (await options.knownRecords?.(draft)) ?? [];
  const newest = known
    .filter((record) => record.origin === draft.predicate.chain.origin)
    .sort((a, b) => b.index - a.index)[0];
  if (newest) signs.push(`${newest.where} holds record ${newest.index} of ${newest.origin}`);
  if (signs.length === 0) return options.newLedger ? { reason: options.newLedger.reason } : undefined;
  if (!options.newLedger) {
    throw new LedgerError(
      'CHAIN',
      `no ledger was found in ${store.location}, but one existed: ${signs.join('; ')}. Starting again at record 0 would silently replace its history`,
      {
        file: store.location,
        fix: 'restore the deleted records (or releases), or start a new ledger on purpose with `new-ledger: true` (CLI `--new-ledger`) and a `reason`: both are recorded in the new record 0',
      },
    );
  }
  return { reason: options.newLedger.reason, replaces: signs.join('; ') };
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
  // Only the newest records are read where the store can find them (constant cost per run).
  const refs =
    store.recent && Number.isFinite(depth) ? await store.recent(Math.max(depth, 1)) : await store.list();
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
  const firsts = refs.some((ref) => ref.index === 0)
    ? refs.filter((ref) => ref.index === 0)
    : ((await store.recordsAt?.(0)) ?? (await store.list()).filter((ref) => ref.index === 0));
  const { trust } = await ledgerTrust(
    store,
    [head, ...firsts.filter((ref) => ref.name !== head.name)],
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
  assertAppendable(store, refs, verified, !(store.recent && Number.isFinite(depth)));
  if (depth > 1) await verifyBelowHead(store, refs, verified, trust, depth);
  await assertAgreesWithCheckpoint(store, verified, trust);
  return verified;
}

/**
 * The store's newest checkpoint must agree with the records: not ahead of the newest (records
 * were deleted from the end), and — when the record at its size carries the tree before it —
 * with the same root (the history it covers was rewritten, even with the real key, while the
 * checkpoint was left behind). The record at the checkpoint's size is read and verified once.
 */
async function assertAgreesWithCheckpoint(
  store: Store,
  head: VerifiedRecord,
  trust: BundleTrust,
): Promise<void> {
  const checkpoint = await store.latestCheckpoint?.();
  const records = head.statement.predicate.chain.index + 1;
  if (!checkpoint) return;
  if (checkpoint.size > records) {
    throw new LedgerError(
      'CHAIN',
      `the ledger's checkpoint ${checkpoint.uri} covers ${checkpoint.size} records, but the newest record is ${head.statement.predicate.chain.index}: records ${records}–${checkpoint.size - 1} were deleted`,
      {
        file: store.location,
        fix: 'restore the deleted records; run `model-ledger verify` to see the whole state. Nothing is linked to a truncated ledger',
      },
    );
  }
  if (checkpoint.size === 0) return;
  let root: Buffer;
  try {
    root = parseCheckpoint(checkpoint.text, checkpoint.uri).rootHash;
  } catch (error) {
    // Linking would write a new checkpoint over it, and hide whatever it said.
    throw new LedgerError(
      'CHAIN',
      `the ledger's checkpoint ${checkpoint.uri} is not a checkpoint: ${describeError(error)}`,
      {
        file: checkpoint.uri,
        cause: error,
        fix: 'restore the checkpoint from a copy; run `model-ledger verify` to see the whole state',
      },
    );
  }
  const last = checkpoint.size === records ? head : await recordAtIndex(store, checkpoint.size - 1, trust);
  const tree = last?.statement.predicate.chain.tree;
  if (!last || !tree) return; // records from before trees: verify recomputes the root from all of them
  const ours = TreeState.fromRecord(tree, `record ${checkpoint.size - 1}`)
    .append(last.payload)
    .root();
  if (ours.equals(root)) return;
  throw new LedgerError(
    'CHAIN',
    `INCONSISTENT: the ledger's first ${checkpoint.size} records are not those its checkpoint ${checkpoint.uri} covered (root ${ours.toString('base64')}, checkpoint ${root.toString('base64')}): its history was rewritten`,
    {
      file: store.location,
      fix: 'restore the records the checkpoint covers; run `model-ledger verify` to see the whole state. Nothing is linked to a rewritten ledger',
    },
  );
}

/** The verified record at `index`, or undefined when the store has none (or several) there. */
async function recordAtIndex(
  store: Store,
  index: number,
  trust: BundleTrust,
): Promise<VerifiedRecord | undefined> {
  const refs = (await store.recordsAt?.(index)) ?? (await store.list()).filter((ref) => ref.index === index);
  if (refs.length !== 1) return undefined; // a gap or fork: the chain checks report it
  try {
    return await readVerifiedRecord(store, refs[0] as RecordRef, trust);
  } catch (error) {
    if (error instanceof VerificationFailure) return undefined; // verify reports it; no root to compare
    throw error;
  }
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
