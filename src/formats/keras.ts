import type { SafetyFinding } from '../record/predicate.js';
import { classifyImport } from './pickle-safety.js';
import type { ByteSource } from './reader.js';

/**
 * Keras model configurations: `config.json` in a Keras 3 `.keras` zip, and the `model_config`
 * attribute of a Keras 2 HDF5 `.h5` file. A `Lambda` layer carries marshalled Python bytecode that
 * runs when the model is loaded (safe_mode off) or called; a layer or function from a module
 * outside Keras is imported by name when the model loads.
 */

const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
const MAX_NODES = 1_000_000;
/** JSON nested deeper than this is no model configuration; walking it is refused, not attempted. */
export const MAX_JSON_DEPTH = 512;
const KERAS_MODULES = /^(?:keras|tf_keras|tensorflow|keras_nlp|keras_cv|keras_hub)(?:\.|$)/;
/**
 * Callables of Keras and TensorFlow themselves that a configuration must not reach even in safe
 * mode: they fetch or write files, load further models, or run arbitrary Python.
 */
const KERAS_DANGEROUS =
  /(?:^|\.)(?:get_file|py_function|numpy_function|py_func|write_file|load_model|load_weights)$|\.(?:io|gfile)\.gfile\.|(?:^|\.)gfile\./;

export interface KerasFindings {
  findings: SafetyFinding[];
  /** Set when the config could not be read (not JSON, too deep, too large). */
  problem?: string;
}

/** Nesting depth of JSON text (brackets outside strings), stopping once past `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return deepest;
}

/** Lambda layers and non-Keras modules named in a Keras configuration's JSON text. */
export function kerasConfigFindings(text: string, member: string | undefined): KerasFindings {
  if (text.length > MAX_CONFIG_BYTES) return { findings: [], problem: `is over ${MAX_CONFIG_BYTES} bytes` };
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    return { findings: [], problem: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      findings: [],
      problem: `is not JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const lambdas: string[] = [];
  const unsafe = new Set<string>();
  const unknown = new Set<string>();
  const pending: unknown[] = [parsed];
  let nodes = 0;
  while (pending.length > 0) {
    const node = pending.pop();
    if (++nodes > MAX_NODES) return { findings: [], problem: `holds more than ${MAX_NODES} values` };
    if (Array.isArray(node)) {
      // One at a time: spread into push, an array of a few hundred thousand values (a vocabulary)
      // overflows the call stack.
      for (const item of node as unknown[]) pending.push(item);
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    const object = node as Record<string, unknown>;
    const className = typeof object['class_name'] === 'string' ? object['class_name'] : undefined;
    const module = typeof object['module'] === 'string' ? object['module'] : undefined;
    const config = object['config'];
    if (className === 'Lambda' || className === '__lambda__') {
      const name = isRecord(config) && typeof config['name'] === 'string' ? config['name'] : className;
      lambdas.push(name);
    }
    if (module !== undefined && className !== undefined) {
      // A function is serialised as {module, class_name: "function", config: "<name>"}.
      const name = className === 'function' && typeof config === 'string' ? config : className;
      if (KERAS_DANGEROUS.test(`${module}.${name}`)) unsafe.add(`${module}.${name}`);
      else if (!KERAS_MODULES.test(module)) {
        const verdict = classifyImport(module, name);
        (verdict === 'unsafe' ? unsafe : unknown).add(`${module}.${name}`);
      }
    }
    for (const value of Object.values(object))
      if (typeof value === 'object' && value !== null) pending.push(value);
  }
  const where = member ? { member } : {};
  const findings: SafetyFinding[] = [];
  if (lambdas.length > 0)
    findings.push({
      verdict: 'unsafe',
      ...where,
      names: lambdas.map((name) => `Lambda:${name}`),
      reason: 'Keras Lambda layers hold Python bytecode that runs when the model is loaded or called',
    });
  if (unsafe.size > 0)
    findings.push({
      verdict: 'unsafe',
      ...where,
      names: [...unsafe],
      reason: 'the configuration imports callables that can run code',
    });
  if (unknown.size > 0)
    findings.push({
      verdict: 'unknown',
      ...where,
      names: [...unknown],
      reason: 'the configuration imports custom objects from outside Keras',
    });
  return { findings };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const HDF5_SCAN_BYTES = 1024 * 1024 * 1024;
const CHUNK = 4 * 1024 * 1024;
/** What a candidate's first key needs past its `{`: whitespace, a quoted key, whitespace, `:`. */
const LOOKAHEAD = 1024;
/** JSON-looking objects tried before the scan gives up (and says so): random bytes hold few. */
const MAX_CANDIDATES = 100_000;
const ATTRIBUTE = Buffer.from('model_config');

export interface Hdf5Config {
  /** JSON texts that look like Keras configurations. */
  configs: string[];
  /** Whether the attribute name `model_config` occurs. */
  named: boolean;
  /** Bytes past the scanned prefix, when the file is larger than the scan's bound. */
  unscanned: number;
  /** The scan tried more JSON-looking objects than its bound: the rest of the file was not read. */
  gaveUp?: boolean;
}

/**
 * The Keras configurations of an HDF5 file, found by a bounded scan of its bytes rather than by an
 * HDF5 reader: h5py stores the `model_config` string attribute uncompressed and contiguous (in the
 * object header or the global heap). Every JSON object in the first GiB is a candidate — an object
 * whose first key is a quoted string — and is read by matching its braces, then parsed: keys are
 * compared after JSON decoding (`\u0063lass_name` is `class_name`), and every configuration found
 * is inspected, so a harmless decoy before the real one hides nothing. The caller also has the
 * HDF5 library read the attributes (hdf5-configs.ts) and inspects what either finds; where the
 * library cannot be asked, a file that names the attribute but yields no configuration here is
 * `incomplete`.
 */
export async function findHdf5Configs(source: ByteSource): Promise<Hdf5Config> {
  const limit = Math.min(source.size, HDF5_SCAN_BYTES);
  const result: Hdf5Config = { configs: [], named: false, unscanned: source.size - limit };
  let candidates = 0;
  let taken = 0; // the end of the last configuration found: braces inside it are not candidates
  for (let at = 0; at < limit;) {
    const chunk = await source.read(at, Math.min(CHUNK + LOOKAHEAD, limit - at));
    if (!result.named && chunk.indexOf(ATTRIBUTE) !== -1) result.named = true;
    let next = at + CHUNK;
    for (
      let found = chunk.indexOf(0x7b);
      found !== -1 && found < CHUNK;
      found = chunk.indexOf(0x7b, found + 1)
    ) {
      const start = at + found;
      if (start < taken || !startsJsonObject(chunk, found)) continue;
      if (++candidates > MAX_CANDIDATES) {
        result.gaveUp = true;
        return result;
      }
      const text = await jsonObjectAt(source, start);
      if (text === null || !looksLikeKerasConfig(text)) continue;
      result.configs.push(text);
      taken = start + Buffer.byteLength(text, 'utf8');
      if (taken > next) next = taken;
    }
    at = next;
  }
  return result;
}

/** Whether `{` at `at` opens a JSON object: whitespace, a quoted printable key, whitespace, `:`. */
function startsJsonObject(bytes: Buffer, at: number): boolean {
  let index = at + 1;
  const end = Math.min(bytes.length, at + LOOKAHEAD);
  const isSpace = (byte: number | undefined) =>
    byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
  while (index < end && isSpace(bytes[index])) index++;
  if (bytes[index] !== 0x22) return false;
  for (index++; index < end; index++) {
    const byte = bytes[index] as number;
    if (byte === 0x5c) index++;
    else if (byte === 0x22) break;
    else if (byte < 0x20 || byte > 0x7e) return false;
  }
  if (index >= end) return false;
  for (index++; index < end && isSpace(bytes[index]); index++);
  return bytes[index] === 0x3a;
}

/**
 * A JSON object with a Keras configuration's keys (after decoding): what Keras would load. Text too
 * large or too deep to check counts as one, so that kerasConfigFindings says why it was not read.
 */
export function looksLikeKerasConfig(text: string): boolean {
  if (text.length > MAX_CONFIG_BYTES || jsonDepth(text) > MAX_JSON_DEPTH) return true; // the caller says why it cannot be read
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) && ('class_name' in value || 'config' in value);
  } catch {
    return false; // brace-matched bytes that are not JSON: not a configuration Keras could load
  }
}

/** The JSON object starting at `start`, by brace matching outside strings; null when it does not end. */
async function jsonObjectAt(source: ByteSource, start: number): Promise<string | null> {
  const length = Math.min(MAX_CONFIG_BYTES, source.size - start);
  const bytes = await source.read(start, length);
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index] as number;
    if (inString) {
      if (byte === 0x5c) index++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) depth++;
    else if (byte === 0x7d || byte === 0x5d) {
      depth--;
      if (depth === 0) return bytes.toString('utf8', 0, index + 1);
    }
  }
  return null;
}
