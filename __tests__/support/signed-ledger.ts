/**
 * Ledgers for tamper tests: a key-signed ledger of N records made with the CLI as a user would,
 * and the means to rewrite its records with the real key — what an insider holding the key could
 * do, so that only the check under test stands between the rewrite and an "ok".
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { TreeState } from '../../src/checkpoint/tree-state.js';
import type { Statement } from '../../src/record/predicate.js';
import { keyHint } from '../../src/sign/keys.js';
import { recordFileName } from '../../src/store/types.js';
import { runCli } from './cli.js';
import { createTempRepo, type TempRepo } from './repo.js';
import type { SigstoreStack } from './sigstore-stack.js';

/** Where `createKeyLedger` keeps the ledger's signing key, relative to the repository. */
export const LEDGER_KEY = 'keys/team.key.pem';
export const LEDGER_PUBLIC_KEY = 'keys/team.pub.pem';

/**
 * A repository (remote github.com/acme/model, so the origin is github.com/acme/model#main) with
 * a ledger of `records` records over a changing model.bin, each signed with keys/team.key.pem.
 */
export async function createKeyLedger(records: number): Promise<TempRepo> {
  const repo = await createTempRepo();
  repo.git('remote', 'add', 'origin', 'https://github.com/acme/model.git');
  const keygen = await runCli(['keygen', '--out', 'keys/team'], repo.dir, repo.env);
  if (keygen.status !== 0) throw new Error(`keygen failed: ${keygen.stderr}`);
  for (let version = 1; version <= records; version++) {
    await repo.write('model.bin', `weights ${version}`);
    repo.commit(`train ${version}`);
    const run = await runCli(['record', '--key', LEDGER_KEY, '--models', 'model.bin'], repo.dir, repo.env);
    if (run.status !== 0) throw new Error(`record ${version - 1} failed: ${run.stderr}`);
  }
  return repo;
}

/** `record` flags that sign keyless through `stack` and verify the head with its trusted root. */
export function keylessFlags(stack: SigstoreStack): string[] {
  const flags = ['--keyless', '--fulcio-url', stack.fulcioUrl, '--tsa-url', stack.tsaUrl];
  const withLog = stack.services.includes('rekor') ? [...flags, '--rekor-url', stack.rekorUrl] : flags;
  return [...withLog, '--trusted-root', stack.trustedRootFile];
}

/** Records model.bin at `version`, signed keyless through `stack` as workflow `subject`. */
export async function keylessRecord(
  repo: TempRepo,
  stack: SigstoreStack,
  subject: string,
  version: string,
): Promise<void> {
  await repo.write('model.bin', `weights ${version}`);
  repo.commit(`train ${version}`);
  const env = { ...repo.env, SIGSTORE_ID_TOKEN: await stack.token({ sub: subject }) };
  const run = await runCli(['record', ...keylessFlags(stack), '--models', 'model.bin'], repo.dir, env);
  if (run.status !== 0) throw new Error(`keyless record failed: ${run.stderr}`);
}

/** As `createKeyLedger`, every record signed keyless through `stack` as workflow `subject`. */
export async function createKeylessLedger(
  stack: SigstoreStack,
  records: number,
  subject: string,
): Promise<TempRepo> {
  const repo = await createTempRepo();
  repo.git('remote', 'add', 'origin', 'https://github.com/acme/model.git');
  for (let version = 1; version <= records; version++) {
    await keylessRecord(repo, stack, subject, String(version));
  }
  return repo;
}

/** The private key of `createKeyLedger`'s ledger. */
export async function ledgerKey(repo: TempRepo): Promise<KeyObject> {
  return createPrivateKey(await readFile(join(repo.dir, LEDGER_KEY), 'utf8'));
}

interface StoredBundle {
  dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string; keyid: string }[] };
  verificationMaterial: { publicKey?: { hint: string } };
}

/** One record file of a ledger directory, as stored. */
export interface StoredRecord {
  name: string;
  path: string;
  bytes: Buffer;
  bundle: StoredBundle;
  payload: Buffer;
  statement: Statement;
  statementSha256: string;
  bundleSha256: string;
}

export async function recordFileNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.sigstore.json')).sort();
}

/** The record file whose name carries `index` (the first, when there are several). */
export async function storedRecord(dir: string, index: number): Promise<StoredRecord> {
  const prefix = `${String(index).padStart(6, '0')}-`;
  const name = (await recordFileNames(dir)).find((file) => file.startsWith(prefix));
  if (!name) throw new Error(`no record ${index} in ${dir}`);
  return readStored(dir, name);
}

async function readStored(dir: string, name: string): Promise<StoredRecord> {
  const path = join(dir, name);
  const bytes = await readFile(path);
  const bundle = JSON.parse(bytes.toString('utf8')) as StoredBundle;
  const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
  return {
    name,
    path,
    bytes,
    bundle,
    payload,
    statement: JSON.parse(payload.toString('utf8')) as Statement,
    statementSha256: sha256(payload),
    bundleSha256: sha256(bytes),
  };
}

export interface RewriteOptions {
  /** Sign with this key instead (its hint goes into the bundle). */
  key: KeyObject;
  /** Keep the file's name instead of naming it after the new statement, as `record` would. */
  keepName?: boolean;
  /** Write as a new file beside the old one instead of replacing it (a fork). */
  keepOld?: boolean;
}

/**
 * Changes a stored record's statement and signs it again with `options.key`, as `record` writes
 * bundles (two-space JSON and a newline). Returns the record as now stored.
 */
export async function rewriteRecord(
  dir: string,
  record: StoredRecord,
  edit: (statement: Statement) => void,
  options: RewriteOptions,
): Promise<StoredRecord> {
  const statement = structuredClone(record.statement);
  edit(statement);
  const payload = Buffer.from(JSON.stringify(statement), 'utf8');
  const bundle = structuredClone(record.bundle);
  bundle.dsseEnvelope.payload = payload.toString('base64');
  const signature = bundle.dsseEnvelope.signatures[0];
  if (!signature) throw new Error(`${record.name} has no signature`);
  signature.sig = sign(
    'sha256',
    preAuthEncoding(bundle.dsseEnvelope.payloadType, payload),
    options.key,
  ).toString('base64');
  const hint = keyHint(createPublicKey(options.key));
  if (bundle.verificationMaterial.publicKey) bundle.verificationMaterial.publicKey.hint = hint;
  const name = options.keepName
    ? record.name
    : recordFileName(statement.predicate.chain.index, sha256(payload));
  if (!options.keepOld && name !== record.name) await rm(record.path);
  await writeFile(join(dir, name), `${JSON.stringify(bundle, null, 2)}\n`);
  return readStored(dir, name);
}

/**
 * Re-links every record above `index` to the record below it as now stored (previous digests,
 * tree of the records before it) and signs each again with the ledger's key: the chain checks out
 * again, and only what was changed at `index` itself is wrong.
 */
export async function relinkAbove(dir: string, index: number, key: KeyObject): Promise<void> {
  const names = await recordFileNames(dir);
  const head = Number((names.at(-1) ?? '0').slice(0, 6));
  const payloads: Buffer[] = [];
  for (let at = 0; at <= index; at++) payloads.push((await storedRecord(dir, at)).payload);
  let below = await storedRecord(dir, index);
  for (let at = index + 1; at <= head; at++) {
    const tree = TreeState.ofLeaves(payloads).toRecord();
    const target = below;
    below = await rewriteRecord(
      dir,
      await storedRecord(dir, at),
      (statement) => {
        const { chain } = statement.predicate;
        chain.previous = {
          statementSha256: target.statementSha256,
          bundleSha256: target.bundleSha256,
          uri: target.name,
        };
        if (chain.tree) chain.tree = tree;
      },
      { key },
    );
    payloads.push(below.payload);
  }
}

/** Every file under `dir` with its bytes' digest: equal before and after means nothing was written. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length + 1)] = sha256(await readFile(path));
  }
  return files;
}

function preAuthEncoding(type: string, payload: Buffer): Buffer {
  const head = `DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `;
  return Buffer.concat([Buffer.from(head, 'utf8'), payload]);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
