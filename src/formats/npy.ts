import type { ByteStream } from './stream.js';

/**
 * NumPy `.npy` (and the members of `.npz`): magic, version, a header that is a Python dict literal
 * (`{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }`), then the data. An array of Python
 * objects (a dtype with `O` in it) is stored as a pickle after the header, which numpy.load runs
 * when allow_pickle=True.
 */

export interface NpyHeader {
  descr: string;
  shape: string;
  /** The dtype holds Python objects: the data is a pickle. */
  objects: boolean;
}

export type NpyProblem = (message: string) => Error;

/** Reads the header from the stream's start, leaving the stream at the data. */
export async function readNpyHeader(stream: ByteStream, problem: NpyProblem): Promise<NpyHeader> {
  const head = await stream.fill(12);
  if (head.length < 10) throw problem('the .npy header is truncated');
  const major = head[6] as number;
  const lengthBytes = major === 1 ? 2 : 4;
  if (major < 1 || major > 3) throw problem(`.npy version ${major} is unknown`);
  const length = lengthBytes === 2 ? head.readUInt16LE(8) : head.readUInt32LE(8);
  if (length > 16 * 1024 * 1024) throw problem(`the .npy header claims ${length} bytes`);
  const start = 8 + lengthBytes;
  const all = await stream.fill(start + length);
  if (all.length < start + length) throw problem('the .npy header is truncated');
  const text = all.toString(major === 3 ? 'utf8' : 'latin1', start, start + length);
  stream.consume(start + length);
  const descr = /['"]descr['"]\s*:\s*(.*?),\s*['"](?:fortran_order|shape)['"]/s.exec(text)?.[1]?.trim() ?? '';
  const shape = /['"]shape['"]\s*:\s*(\([^)]*\))/.exec(text)?.[1] ?? '';
  if (!descr) throw problem('the .npy header has no descr');
  // An object field anywhere in the dtype ('|O', or ('name', 'O') in a structured dtype).
  const objects = /['"][<>|=]?O\d*['"]/.test(descr);
  return { descr: descr.slice(0, 256), shape: shape.slice(0, 256), objects };
}
