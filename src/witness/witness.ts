/**
 * A witness: a second party (a compliance team's repository, an auditor) that, on a schedule,
 * verifies a ledger, checks that it extends the last checkpoint it cosigned, and only then cosigns
 * the new one — keeping its cosigned checkpoints in its own directory. A ledger that was truncated,
 * rolled back or rewritten since is refused loudly, and what was seen is kept as evidence.
 *
 * State lives where the witness keeps it (src/witness/state.ts): a directory, or release assets of
 * the witness's own repository. Either way, one cosigned note per size and the refusals.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import {
  addCosignature,
  addSignature,
  cosignatureLine,
  formatCheckpointBody,
  parseCheckpoint,
  signNote,
} from '../checkpoint/note.js';
import { LedgerError, describeError } from '../errors.js';
import { readBoundedText } from '../fs/bounded.js';
import { defaultWitnessName } from '../verify/anchors.js';
import { verifyLedger, type VerifyLedgerOptions } from '../verify/ledger.js';
import { DirectoryWitnessState, type WitnessState } from './state.js';

export interface WitnessOptions extends Omit<VerifyLedgerOptions, 'anchors' | 'partial'> {
  /** The witness's own private key (Ed25519 for c2sp cosignatures, or ECDSA P-256). */
  witnessKey: KeyObject;
  /** Name the witness signs under (default `witness-<key digest>`). */
  name?: string;
  /** Where the witness keeps its cosigned checkpoints: a directory, or `state`. */
  stateDir?: string;
  state?: WitnessState;
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
  const state = stateOf(options);
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
  const refuse = async (): Promise<WitnessResult> => {
    const time = options.now ?? new Date();
    const text = [
      `witness ${result.name} refused to cosign ${origin ?? 'the ledger'} at ${time.toISOString()}:`,
      ...result.refused,
      '',
    ].join('\n');
    result.file = await state.keepRefusal(origin ?? 'unknown-ledger', time, text);
    return result;
  };
  if (!verification.ok || !verification.checkpoint || origin === null) {
    result.refused.push(
      ...(verification.problems.length > 0
        ? verification.problems.map((problem) => `${problem.code}: ${problem.message}`)
        : [`the ledger in ${verification.location} holds no verifiable records`]),
    );
    return refuse();
  }

  const previous = await state.latest(origin);
  if (previous !== null) {
    result.previousSize = parseCheckpoint(previous.text, previous.source).size;
    // The ledger must extend what this witness cosigned before: the same records under the root.
    const again = await verifyLedger({
      ...options,
      anchors: { checkpoints: [{ source: previous.source, text: previous.text }] },
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
      return refuse();
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
  const file = await state.keepCosigned(origin, verification.checkpoint.size, cosigned);
  return { ...result, ok: true, cosigned, file };
}

function stateOf(options: WitnessOptions): WitnessState {
  if (options.state) return options.state;
  if (options.stateDir !== undefined) return new DirectoryWitnessState(options.stateDir);
  throw new LedgerError('USAGE', 'a witness needs somewhere to keep its cosigned checkpoints', {
    field: 'witness',
    fix: 'pass --state DIR, or --state-github OWNER/REPO',
  });
}
