/**
 * What a file or archive member is, from its first bytes alone: names are never trusted (a pickle
 * named `.sav`, `.dat` or nothing at all is still a pickle).
 */

export type Sniffed =
  | 'zip'
  | 'gzip'
  | 'zlib'
  | 'joblib-zlib'
  | 'bzip2'
  | 'xz'
  | 'lz4'
  | 'zstd'
  | 'lzma'
  | 'tar'
  | 'npy'
  | 'hdf5'
  | 'gguf'
  | 'safetensors'
  | 'onnx'
  | 'pickle'
  | 'unknown';

/** Bytes to read for `sniff`: the tar magic sits at 257. */
export const SNIFF_BYTES = 512;

export const HDF5_MAGIC = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
/**
 * Opcodes a pickle may start with: Python's unpickler needs no PROTO header, so any opcode that
 * pushes onto an empty stack starts a loadable pickle (a protocol 4 one may begin with
 * SHORT_BINUNICODE). A file that starts so but does not parse is recorded as raw bytes.
 */
const PICKLE_FIRST = new Set([
  ...[...'(N)]}FILJKMGSTUVXBCcP'].map((char) => char.charCodeAt(0)),
  0x80,
  0x82,
  0x83,
  0x84,
  0x88,
  0x89,
  0x8a,
  0x8b,
  0x8c,
  0x8d,
  0x8e,
  0x8f,
  0x95,
  0x96,
  0x97,
]);

export function sniff(head: Buffer, size: number): Sniffed {
  const starts = (magic: Buffer | string, at = 0): boolean => {
    const bytes = typeof magic === 'string' ? Buffer.from(magic, 'latin1') : magic;
    return head.length >= at + bytes.length && head.subarray(at, at + bytes.length).equals(bytes);
  };
  if (starts('PK\x03\x04') || starts('PK\x05\x06') || starts('PK\x07\x08')) return 'zip';
  if (starts('\x1f\x8b')) return 'gzip';
  if (starts('BZh') && head[3] !== undefined && head[3] >= 0x31 && head[3] <= 0x39) return 'bzip2';
  if (starts('\xfd7zXZ\x00')) return 'xz';
  if (starts('\x04\x22\x4d\x18')) return 'lz4';
  if (starts('\x28\xb5\x2f\xfd')) return 'zstd';
  const skippable = skippableFrame(head);
  if (skippable) return skippable;
  if (starts('\x93NUMPY')) return 'npy';
  if (starts(HDF5_MAGIC)) return 'hdf5';
  if (starts('GGUF')) return 'gguf';
  if (starts('ustar', 257)) return 'tar';
  // joblib < 0.10 compressed files: "ZF", the length in hex padded to 19 bytes, then zlib.
  if (starts('ZF') && head.length >= 23 && head[21] === 0x78) return 'joblib-zlib';
  if (head.length >= 2 && head[0] === 0x78 && ((head[0] << 8) | (head[1] as number)) % 31 === 0)
    return 'zlib';
  if (looksLikeSafetensors(head, size)) return 'safetensors';
  // Before pickles: 0x5D, the usual LZMA properties byte, is also the pickle opcode EMPTY_LIST.
  if (looksLikeLzmaAlone(head)) return 'lzma';
  if (looksLikePickle(head)) return 'pickle';
  if (looksLikeOnnx(head)) return 'onnx';
  if (looksLikeV7Tar(head)) return 'tar';
  return 'unknown';
}

/**
 * LZ4 and zstd share skippable frames (magic 0x184D2A50-5F, a length, that many bytes), which
 * their decoders pass over, so a file may start with one. The frame after it, when it is in
 * `head`, tells which; otherwise it is taken for LZ4, whose decoder reports a stream that turns
 * out not to be one as incomplete, never clean.
 */
function skippableFrame(head: Buffer): 'lz4' | 'zstd' | undefined {
  if (head.length < 8 || (head.readUInt32LE(0) & 0xfffffff0) >>> 0 !== 0x184d2a50) return undefined;
  const next = 8 + head.readUInt32LE(4);
  if (next + 4 <= head.length && head.readUInt32LE(next) === 0xfd2fb528) return 'zstd';
  return 'lz4';
}

/**
 * An LZMA-alone (`.lzma`) header, which has no magic: joblib writes it for `.lzma` names, through
 * Python's lzma module, with the default properties byte 0x5D, a dictionary of 2^n or 2^n + 2^(n-1)
 * bytes (as liblzma rounds it), and an unknown (all 0xFF) or plausible uncompressed size.
 */
function looksLikeLzmaAlone(head: Buffer): boolean {
  if (head.length < 13 || head[0] !== 0x5d) return false;
  const dictionary = head.readUInt32LE(1);
  if (dictionary < 4096) return false;
  const high = 2 ** Math.floor(Math.log2(dictionary));
  if (dictionary !== high && dictionary !== high + high / 2) return false;
  const unknown = head.subarray(5, 13).every((byte) => byte === 0xff);
  return unknown || head.readBigUInt64LE(5) < 2n ** 40n;
}

/**
 * Where the HDF5 library finds the superblock: at 0, or after a user block of 512, 1024, 2048…
 * bytes, whatever those bytes are (h5py opens such a file as any other, and so does Keras).
 * One 8-byte read per power of two: some 30 for a 100 GiB file.
 */
export async function hdf5SuperblockOffset(
  read: (offset: number, length: number) => Promise<Buffer>,
  size: number,
): Promise<number | undefined> {
  for (let at = 0; at + HDF5_MAGIC.length <= size; at = at === 0 ? 512 : at * 2)
    if ((await read(at, HDF5_MAGIC.length)).equals(HDF5_MAGIC)) return at;
  return undefined;
}

export function looksLikePickle(head: Buffer): boolean {
  const first = head[0];
  if (first === undefined) return false;
  if (first === 0x80) return head[1] !== undefined && head[1] <= 5;
  return PICKLE_FIRST.has(first);
}

/** An unnamed safetensors file: a plausible little-endian header length, then `{`. */
function looksLikeSafetensors(head: Buffer, size: number): boolean {
  if (head.length < 9) return false;
  const length = head.readBigUInt64LE(0);
  return head[8] === 0x7b && length >= 2n && length <= BigInt(Math.min(100_000_000, size - 8));
}

/** ONNX ModelProto: field 1 (ir_version, a small varint) first, then another known field. */
function looksLikeOnnx(head: Buffer): boolean {
  return (
    head.length >= 4 &&
    head[0] === 0x08 &&
    (head[1] as number) > 0 &&
    (head[1] as number) < 0x20 &&
    [0x12, 0x1a, 0x22, 0x2a, 0x32, 0x3a, 0x42, 0x52, 0x72].includes(head[2] as number)
  );
}

/** A pre-POSIX tar header: a name, octal fields, and a checksum that adds up. */
function looksLikeV7Tar(head: Buffer): boolean {
  if (head.length < 512 || head[0] === 0) return false;
  const stored = parseInt(head.toString('latin1', 148, 156).replace(/\0.*$/, '').trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let sum = 0;
  for (let index = 0; index < 512; index++)
    sum += index >= 148 && index < 156 ? 0x20 : (head[index] as number);
  return sum === stored;
}
