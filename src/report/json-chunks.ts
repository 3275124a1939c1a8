/**
 * `JSON.stringify(value, null, 2)`, in pieces: large arrays and objects are written element by
 * element, so a document of tens of MiB (the SPDX export of a long ledger) never exists as one
 * string. Joined, the pieces are exactly JSON.stringify's text. Values are plain JSON data (no
 * toJSON, no cycles): what the exchange documents and the index are made of.
 */

/** Containers with fewer entries than this are written in one piece. */
const WHOLE_BELOW = 32;

export function* prettyJsonChunks(value: unknown, indent = ''): Generator<string> {
  if (Array.isArray(value) && value.length >= WHOLE_BELOW) {
    const inner = `${indent}  `;
    yield '[';
    for (const [position, element] of value.entries()) {
      yield `${position === 0 ? '' : ','}\n${inner}`;
      // JSON.stringify writes null for what it cannot write inside an array.
      if (writable(element)) yield* prettyJsonChunks(element, inner);
      else yield 'null';
    }
    yield `\n${indent}]`;
    return;
  }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, entry]) => writable(entry));
    if (entries.length >= WHOLE_BELOW || entries.some(([, entry]) => large(entry))) {
      const inner = `${indent}  `;
      yield '{';
      for (const [position, [key, entry]] of entries.entries()) {
        yield `${position === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `;
        yield* prettyJsonChunks(entry, inner);
      }
      yield entries.length === 0 ? '}' : `\n${indent}}`;
      return;
    }
  }
  const text = JSON.stringify(value, null, 2);
  yield indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

/** What JSON.stringify writes (it leaves out undefined, functions and symbols). */
function writable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function large(value: unknown): boolean {
  if (Array.isArray(value)) return value.length >= WHOLE_BELOW;
  return isObject(value) && Object.keys(value).length >= WHOLE_BELOW;
}
