import type { ByteSource } from './reader.js';

/**
 * tar archives (POSIX ustar, pax and GNU long names, and pre-POSIX v7), as written by Python's
 * tarfile: PyTorch's oldest torch.save format is a tar of `sys_info`, `pickle`, `tensors` and
 * `storages`. Only regular files are listed; their data is read by the caller.
 */

export interface TarMember {
  name: string;
  dataStart: number;
  size: number;
}

const BLOCK = 512;

export type TarProblem = (message: string) => Error;

/** The regular files of a tar archive, at most `limit` of them (a further one throws via `tooMany`). */
export async function readTarMembers(
  source: ByteSource,
  problem: TarProblem,
  onMember: () => void,
): Promise<TarMember[]> {
  const members: TarMember[] = [];
  let at = 0;
  let longName: string | undefined;
  let paxName: string | undefined;
  while (at + BLOCK <= source.size) {
    const header = await source.read(at, BLOCK);
    if (header.every((byte) => byte === 0)) break;
    if (!checksumMatches(header)) throw problem(`tar header at byte ${at} has a bad checksum`);
    const size = octal(header, 124, 12);
    if (size === null) throw problem(`tar header at byte ${at} has a bad size field`);
    const type = String.fromCharCode(header[156] as number);
    const dataStart = at + BLOCK;
    if (dataStart + size > source.size)
      throw problem(`tar member at byte ${at} runs past the end (truncated)`);
    const next = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L' || type === 'x') {
      if (size > 1024 * 1024) throw problem(`tar extended header at byte ${at} is over 1 MiB`);
      const text = (await source.read(dataStart, size)).toString('utf8');
      if (type === 'L') longName = text.replace(/\0.*$/s, '');
      else paxName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1] ?? paxName;
    } else {
      if (type === '0' || type === '\0' || type === '7') {
        onMember();
        const prefix = field(header, 345, 155);
        const short = field(header, 0, 100);
        const name =
          paxName ??
          longName ??
          (header.toString('latin1', 257, 262) === 'ustar' && prefix ? `${prefix}/${short}` : short);
        members.push({ name, dataStart, size });
      }
      longName = undefined;
      paxName = undefined;
    }
    at = next;
  }
  return members;
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

/** An octal number field, or GNU base-256 when the top bit is set. */
function octal(header: Buffer, start: number, length: number): number | null {
  const raw = header.subarray(start, start + length);
  if (((raw[0] as number) & 0x80) !== 0) {
    let value = 0;
    for (let index = 1; index < raw.length; index++) value = value * 256 + (raw[index] as number);
    return Number.isSafeInteger(value) ? value : null;
  }
  const text = raw.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return null;
  return parseInt(text, 8);
}

function checksumMatches(header: Buffer): boolean {
  const stored = octal(header, 148, 8);
  let sum = 0;
  for (let index = 0; index < BLOCK; index++)
    sum += index >= 148 && index < 156 ? 0x20 : (header[index] as number);
  return stored === sum;
}
