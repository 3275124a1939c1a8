/**
 * A witness: a second party (a compliance team's repository, an auditor) that, on a schedule,
 * verifies a ledger, checks that it extends the last checkpoint it cosigned, and only then cosigns
 * the new one — keeping its cosigned checkpoints in its own directory. A ledger that was truncated,
 * rolled back or rewritten since is refused loudly, and what was seen is kept as evidence.
 *
 * State: `<state>/<origin as a file name>/NNNNNN.checkpoint` (one per cosigned size) and
 * `latest.checkpoint`; refusals as `refused-<time>.txt`.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  addCosignature,
  addSignature,
  cosignatureLine,
  formatCheckpointBody,
  parseCheckpoint,
  signNote,
} from '../checkpoint/note.js';
import { LedgerError, describeError, errnoCode } from '../errors.js';
import { readBoundedText } from '../fs/bounded.js';
import { defaultWitnessName } from '../verify/anchors.js';
import { verifyLedger, type VerifyLedgerOptions } from '../verify/ledger.js';

export interface WitnessOptions extends Omit<VerifyLedgerOptions, 'anchors' | 'partial'> {
  /** The witness's own private key (Ed25519 for c2sp cosignatures, or ECDSA P-256). */
  witnessKey: KeyObject;
  /** Name the witness signs under (default `witness-<key digest>`). */
  name?: string;
  /** The witness's own directory of cosigned checkpoints. */
  stateDir: string;
  now?: Date;
}

export interface WitnessResult {
  ok: boolean;
  origin: string | null;
  /** Records the ledger holds now, and the size last cosigned before this run. */
  size: number;
  previousSize: number | null;
  /** The cosigned note, when the witness cosigned. */
  cosigned?: string;
  file?: string;
  /** Why the witness refused, one line each. */
  refused: string[];
  name: string;
}

/** Keys a witness may hold: Ed25519 (cosignature/v1 with a timestamp) or ECDSA P-256 (plain note signature). */
export async function loadWitnessKey(file: string): Promise<KeyObject> {
  const pem = await readBoundedText(file, 64 * 1024, file);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new LedgerError('KEY', `not a PEM private key (${describeError(error)})`, {
      file,
      cause: error,
      fix: 'create one with `model-ledger keygen --ed25519 --out witness`',
    });
  }
  if (key.asymmetricKeyType !== 'ed25519' && key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new LedgerError(
      'KEY',
      `a witness key must be Ed25519 or ECDSA P-256, not ${key.asymmetricKeyType ?? 'unknown'}`,
      {
        file,
        fix: 'create one with `model-ledger keygen --ed25519 --out witness`',
      },
    );
  }
  return key;
}

export async function witnessLedger(options: WitnessOptions): Promise<WitnessResult> {
  const publicKey = createPublicKey(options.witnessKey);
  const name = options.name ?? defaultWitnessName(publicKey);
  const verification = await verifyLedger({ ...options });
  const origin = verification.checkpoint?.origin ?? null;
  const result: WitnessResult = {
    ok: false,
    origin,
    size: verification.checkpoint?.size ?? verification.records.length,
    previousSize: null,
    refused: [],
    name,
  };
  if (!verification.ok || !verification.checkpoint || origin === null) {
    result.refused.push(
      ...(verification.problems.length > 0
        ? verification.problems.map((problem) => `${problem.code}: ${problem.message}`)
        : [`the ledger in ${verification.location} holds no verifiable records`]),
    );
    await keepRefusal(options, origin, result);
    return result;
  }

  const dir = join(options.stateDir, stateName(origin));
  const latestFile = join(dir, 'latest.checkpoint');
  const previous = await readIfPresent(latestFile);
  if (previous !== null) {
    result.previousSize = parseCheckpoint(previous, latestFile).size;
    // The ledger must extend what this witness cosigned before: the same records under the root.
    const again = await verifyLedger({
      ...options,
      anchors: { checkpoints: [{ source: latestFile, text: previous }] },
    });
    const broken = again.problems.filter((problem) =>
      ['TRUNCATED', 'INCONSISTENT', 'ORIGIN'].includes(problem.code),
    );
    if (broken.length > 0 || !again.ok) {
      result.refused.push(
        ...(broken.length > 0 ? broken : again.problems).map(
          (problem) => `${problem.code}: ${problem.message}`,
        ),
      );
      await keepRefusal(options, origin, result);
      return result;
    }
  }

  const body = formatCheckpointBody({
    origin,
    size: verification.checkpoint.size,
    rootHash: Buffer.from(verification.checkpoint.rootHash, 'base64'),
  });
  // Cosign the ledger's own signed checkpoint when it is of this size, so one note carries both.
  const stored = (await options.store.latestCheckpoint?.()) ?? null;
  const base =
    stored && stored.size === verification.checkpoint.size && stored.text.startsWith(body)
      ? stored.text
      : null;
  const signer = { name, privateKey: options.witnessKey };
  const time = options.now ?? new Date();
  const cosigned =
    publicKey.asymmetricKeyType === 'ed25519'
      ? base
        ? addCosignature(base, signer, time)
        : `${body}\n${cosignatureLine(body, signer, time)}`
      : base
        ? addSignature(base, signer)
        : signNote(body, signer);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${String(verification.checkpoint.size).padStart(6, '0')}.checkpoint`);
  await writeAtomically(file, cosigned);
  await writeAtomically(latestFile, cosigned);
  return { ...result, ok: true, cosigned, file };
}

/** An origin as one directory name: `github.com/acme/model#main` → `github.com_acme_model_main`. */
function stateName(origin: string): string {
  return origin.replace(/[^A-Za-z0-9._-]+/g, '_');
}

async function readIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw new LedgerError('IO', `cannot read the witness state (${describeError(error)})`, {
      file,
      cause: error,
    });
  }
}

/** What the witness saw when it refused, kept beside its checkpoints as evidence. */
async function keepRefusal(
  options: WitnessOptions,
  origin: string | null,
  result: WitnessResult,
): Promise<void> {
  const dir = join(options.stateDir, stateName(origin ?? 'unknown-ledger'));
  await mkdir(dir, { recursive: true });
  const time = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `refused-${time}.txt`);
  await writeAtomically(
    file,
    [
      `witness ${result.name} refused to cosign ${origin ?? 'the ledger'} at ${time}:`,
      ...result.refused,
      '',
    ].join('\n'),
  );
  result.file = file;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}
