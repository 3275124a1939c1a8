import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import lz4js from 'lz4js';

import { inspectModelFile } from '../../src/formats/index.js';
import { BufferSource } from '../../src/formats/reader.js';
import { scanContext, scanPart, wholeSource } from '../../src/formats/scan.js';
import { Lz4Stream } from '../../src/formats/lz4.js';
import { XzStream } from '../../src/formats/xz.js';
import { DEFAULT_LIMITS, readAll, ScanBudget } from '../../src/formats/stream.js';
import { debianPython, tempDir, zipBytes, type TempDir } from '../support/ml-files.js';
import { reportMissing } from '../support/prerequisites.js';

/**
 * bzip2, xz and lz4 wrappers (`.pkl.bz2`, `joblib.dump(obj, 'f.pkl.xz')`, ...) are decoded and
 * what they hold is scanned like a gzip wrapper's content. The bz2 and xz files are written by
 * Debian's python3 (its bz2 and lzma modules); LZ4 frames by lz4js, since Debian's python3 has no
 * lz4 module unless python3-lz4 is installed, plus frames built by hand for what lz4js does not
 * write (linked blocks, skippable frames).
 */

const SCRIPT = `
import bz2, lzma, os, pickle, struct, tarfile, io

class Evil:
    def __reduce__(self):
        return (os.system, ('echo pwned',))

pickles = {
    'evil2': pickle.dumps(Evil(), protocol=2),
    'evil4': pickle.dumps(Evil(), protocol=4),
    'benign': pickle.dumps({'weights': [[0.5, 1.5], [2.5, 3.5]], 'labels': ['cat', 'dog']}, protocol=4),
    # About 1.5 MB, so that at compresslevel 1 (100 kB blocks) the import is many blocks in.
    'long': pickle.dumps([list(range(300000)), Evil()], protocol=2),
}
for name, data in pickles.items():
    open(name + '.pkl', 'wb').write(data)
    open(name + '.pkl.bz2', 'wb').write(bz2.compress(data, 1 if name == 'long' else 9))
    open(name + '.pkl.xz', 'wb').write(lzma.compress(data))

# Concatenated streams: a safe pickle, then the exploit (pickle.load called twice reads both).
open('two.pkl.bz2', 'wb').write(bz2.compress(pickles['benign']) + bz2.compress(pickles['evil2']))
open('two.pkl.xz', 'wb').write(lzma.compress(pickles['benign']) + lzma.compress(pickles['evil2']))

# A bomb: a protocol 4 pickle of one 64 MiB bytes object of zeros (BINBYTES8), fed in 1 MiB chunks.
N = 64 << 20
def bomb(compressor):
    out = [compressor.compress(b'\\x80\\x04\\x8e' + struct.pack('<Q', N))]
    zeros = bytes(1 << 20)
    for _ in range(N >> 20):
        out.append(compressor.compress(zeros))
    out.append(compressor.compress(b'.'))
    out.append(compressor.flush())
    return b''.join(out)
open('bomb.pkl.bz2', 'wb').write(bomb(bz2.BZ2Compressor(9)))
open('bomb.pkl.xz', 'wb').write(bomb(lzma.LZMACompressor(preset=0)))

# xz options the decoder does not support, one it does (no check), and LZMA-alone (.lzma).
open('sha256.pkl.xz', 'wb').write(lzma.compress(pickles['evil2'], check=lzma.CHECK_SHA256))
open('bigdict.pkl.xz', 'wb').write(lzma.compress(pickles['evil2'], filters=[{'id': lzma.FILTER_LZMA2, 'dict_size': 128 << 20}]))
open('nocheck.pkl.xz', 'wb').write(lzma.compress(pickles['evil2'], check=lzma.CHECK_NONE))
open('evil.pkl.lzma', 'wb').write(lzma.compress(pickles['evil2'], format=lzma.FORMAT_ALONE))
# A protocol 1 pickle of a list starts with EMPTY_LIST (0x5D), the usual first byte of .lzma.
open('list1.pkl', 'wb').write(pickle.dumps([Evil(), 1, 2], protocol=1))

# A tar.xz whose member is the exploit.
with tarfile.open('model.tar.xz', 'w:xz') as archive:
    info = tarfile.TarInfo('model/evil.pkl')
    info.size = len(pickles['evil4'])
    archive.addfile(info, io.BytesIO(pickles['evil4']))
print('ok')
`;

const run = promisify(execFile);
const WRAPPERS = ['bz2', 'xz', 'lz4'] as const;
type Wrapper = (typeof WRAPPERS)[number];

let temp: TempDir;
/** Null when Debian's python3 is missing (the tests then skip, saying so). */
let made: string | null = null;

beforeAll(async () => {
  temp = await tempDir('model-ledger-wrappers-');
  made = await debianPython(['bz2', 'lzma', 'pickle'], SCRIPT, temp.dir);
  if (made === null) return;
  // LZ4 frames of the same pickles, written by an independent encoder.
  for (const name of ['evil2', 'evil4', 'benign', 'long']) {
    const raw = await readFile(join(temp.dir, `${name}.pkl`));
    await temp.write(`${name}.pkl.lz4`, Buffer.from(lz4js.compress(raw)));
  }
}, 60_000);
afterAll(() => temp.cleanup());

const skipped = (): boolean => {
  if (made !== null) return false;
  reportMissing('compressed-wrappers: skipped, Debian python3 with bz2 and lzma is not installed');
  return true;
};
const bytesOf = (name: string) => readFile(join(temp.dir, name));
const inspect = async (name: string, bytes?: Buffer) => {
  const path = bytes ? await temp.write(`made/${name}`, bytes) : join(temp.dir, name);
  return inspectModelFile(path, `models/${name}`);
};

describe.each(WRAPPERS)('a %s wrapper', (wrapper: Wrapper) => {
  it.each(['evil2', 'evil4'])('around the os.system pickle (%s) is unsafe', async (name) => {
    if (skipped()) return;
    const info = await inspect(`${name}.pkl.${wrapper}`);
    expect(info.format).toBe(wrapper === 'bz2' ? 'bzip2' : wrapper);
    expect(info.safety).toEqual({
      verdict: 'unsafe',
      pickles: 1,
      findings: [{ verdict: 'unsafe', names: ['posix.system'], reason: expect.any(String) }],
    });
  });

  it('around a dict of lists is clean', async () => {
    if (skipped()) return;
    expect((await inspect(`benign.pkl.${wrapper}`)).safety).toEqual({ verdict: 'clean', pickles: 1 });
  });

  it('is read past its first block: the import at the end of a 1.5 MB pickle is found', async () => {
    if (skipped()) return;
    const info = await inspect(`long.pkl.${wrapper}`);
    expect(info.safety).toMatchObject({ verdict: 'unsafe', findings: [{ names: ['posix.system'] }] });
  });

  it('that is truncated is an incomplete finding naming the file, not an error', async () => {
    if (skipped()) return;
    const whole = await bytesOf(`long.pkl.${wrapper}`);
    const info = await inspect(`cut.pkl.${wrapper}`, whole.subarray(0, Math.floor(whole.length / 2)));
    expect(info.safety?.verdict).toBe('incomplete');
    expect(info.safety?.findings).toContainEqual({
      verdict: 'incomplete',
      reason: expect.stringMatching(
        new RegExp(`models/cut\\.pkl\\.${wrapper}: (bzip2|xz|lz4) data is corrupt or truncated`),
      ),
    });
  });

  it('in a gzip, and as a zip member, is opened too', async () => {
    if (skipped()) return;
    const wrapped = await bytesOf(`evil4.pkl.${wrapper}`);
    const gz = await inspect(`evil.pkl.${wrapper}.gz`, gzipSync(wrapped));
    expect(gz.safety).toMatchObject({ verdict: 'unsafe', findings: [{ names: ['posix.system'] }] });
    const archive = zipBytes([
      { name: 'model/weights.bin', data: Buffer.alloc(64) },
      { name: `model/evil.pkl.${wrapper}`, data: wrapped },
    ]);
    const zip = await inspect(`evil-${wrapper}.zip`, archive);
    expect(zip.safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ member: `model/evil.pkl.${wrapper}`, names: ['posix.system'] }],
    });
  });
});

describe('corrupt wrappers', () => {
  it('a bzip2 stream with a damaged block is an incomplete finding naming the file', async () => {
    if (skipped()) return;
    const bytes = Buffer.from(await bytesOf('benign.pkl.bz2'));
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0x55;
    const info = await inspect('damaged.pkl.bz2', bytes);
    expect(info.safety).toEqual({
      verdict: 'incomplete',
      pickles: 0,
      findings: [
        {
          verdict: 'incomplete',
          reason: expect.stringMatching(/^scan stopped: models\/damaged\.pkl\.bz2: bzip2 data is corrupt/),
        },
      ],
    });
  });

  it('an xz stream with a damaged block is an incomplete finding naming the file', async () => {
    if (skipped()) return;
    const bytes = Buffer.from(await bytesOf('benign.pkl.xz'));
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0x55;
    const info = await inspect('damaged.pkl.xz', bytes);
    expect(info.safety?.verdict).toBe('incomplete');
    expect(info.safety?.findings?.[0]?.reason).toMatch(/models\/damaged\.pkl\.xz: xz data is corrupt/);
  });

  it('an LZ4 frame with an impossible block is an incomplete finding naming the file', async () => {
    if (skipped()) return;
    const frame = Buffer.from(await bytesOf('benign.pkl.lz4'));
    // lz4js writes magic, flags, block descriptor and header checksum: the first block size is at 7.
    frame.writeUInt32LE(0x00ffffff, 7);
    const info = await inspect('damaged.pkl.lz4', frame);
    expect(info.safety?.verdict).toBe('incomplete');
    expect(info.safety?.findings?.[0]?.reason).toMatch(
      /models\/damaged\.pkl\.lz4: lz4 data is corrupt or truncated \(a block of 16777215 bytes/,
    );
  });

  it.each([
    ['bz2', Buffer.concat([Buffer.from('BZh9', 'latin1'), Buffer.alloc(64)])],
    ['xz', Buffer.concat([Buffer.from('\xfd7zXZ\x00', 'latin1'), Buffer.alloc(64)])],
    ['lz4', Buffer.concat([Buffer.from('\x04\x22\x4d\x18', 'latin1'), Buffer.alloc(64)])],
  ])('a %s magic followed by zeros is incomplete, never clean', async (wrapper, bytes) => {
    const info = await inspect(`zeros.${wrapper}`, bytes);
    expect(info.safety?.verdict).toBe('incomplete');
    expect(info.safety?.findings?.[0]?.reason).toMatch(/data is corrupt or truncated/);
  });
});

describe('damaged wrappers never throw', () => {
  it.each(WRAPPERS)(
    '%s: 24 seeded damages (flipped bytes, cuts) are findings, never errors',
    async (wrapper) => {
      if (skipped()) return;
      const whole = await bytesOf(`long.pkl.${wrapper}`);
      let state = 0x9e3779b9;
      const random = (below: number): number => {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return (state >>> 0) % below;
      };
      const started = Date.now();
      for (let round = 0; round < 24; round++) {
        const bytes = Buffer.from(
          whole.subarray(0, round % 3 === 0 ? 6 + random(whole.length - 6) : whole.length),
        );
        // Flips past the magic, so that each damaged file is still taken for the wrapper.
        for (let flip = 0; flip < 1 + (round % 4); flip++) {
          const at = 6 + random(Math.max(1, bytes.length - 6));
          if (at < bytes.length) bytes[at] = (bytes[at] as number) ^ (1 + random(255));
        }
        const info = await inspect(`damaged-${round}.pkl.${wrapper}`, bytes);
        expect(['unsafe', 'incomplete', 'unknown', 'clean']).toContain(info.safety?.verdict);
      }
      expect(Date.now() - started).toBeLessThan(45_000);
    },
  );
});

describe('concatenated streams and frames', () => {
  it.each(['bz2', 'xz'])('a second %s stream after a safe one is read and judged', async (wrapper) => {
    if (skipped()) return;
    const info = await inspect(`two.pkl.${wrapper}`);
    expect(info.safety).toMatchObject({
      verdict: 'unsafe',
      pickles: 2,
      findings: [{ names: ['posix.system'] }],
    });
  });

  it('LZ4: a linked block copies from the block before it; an independent one may not', async () => {
    if (skipped()) return;
    const benign = await bytesOf('benign.pkl');
    // Block 1 stores the pickle as is; block 2 is one match (offset and length: the pickle's
    // size) that repeats it from block 1's bytes, then the empty literal run that ends a block.
    const matchLength = benign.length - 4 - 15;
    const extra: number[] = [];
    for (let left = matchLength; ; left -= 255) {
      extra.push(Math.min(left, 255));
      if (left < 255) break;
    }
    const block2 = Buffer.concat([
      Buffer.from([0x0f]),
      u16(benign.length),
      Buffer.from(extra),
      Buffer.from([0x00]),
    ]);
    const frame = (flags: number) =>
      Buffer.concat([
        lz4Header(flags),
        u32(0x80000000 | benign.length),
        benign,
        u32(block2.length),
        block2,
        u32(0),
      ]);
    const decode = async (bytes: Buffer) => {
      const stream = new Lz4Stream(new BufferSource(bytes), 0, bytes.length, new ScanBudget('linked.lz4'));
      try {
        return await readAll(stream, 1 << 20);
      } finally {
        stream.close();
      }
    };
    expect(await decode(frame(0x40))).toEqual(Buffer.concat([benign, benign]));
    await expect(decode(frame(0x60))).rejects.toMatchObject({
      code: 'FORMAT',
      message: expect.stringContaining(
        `linked.lz4: lz4 data is corrupt or truncated (a match offset of ${benign.length} before the data)`,
      ),
    });
  });

  it('LZ4: a skippable frame is skipped and every frame after it is scanned', async () => {
    if (skipped()) return;
    const skippable = Buffer.concat([u32(0x184d2a53), u32(5), Buffer.from('junk!')]);
    const bytes = Buffer.concat([
      skippable,
      await bytesOf('benign.pkl.lz4'),
      skippable,
      await bytesOf('evil2.pkl.lz4'),
    ]);
    const info = await inspect('frames.pkl.lz4', bytes);
    expect(info.safety).toMatchObject({
      verdict: 'unsafe',
      pickles: 2,
      findings: [{ names: ['posix.system'] }],
    });
  });

  it('LZ4: frames from the reference lz4 tool (linked 64 KiB blocks, checksums, content size) decode', async () => {
    if (skipped()) return;
    const tool = '/usr/bin/lz4';
    if (!existsSync(tool)) {
      process.stderr.write(
        `compressed-wrappers: reference-encoder check skipped, ${tool} is not installed\n`,
      );
      return;
    }
    const source = join(temp.dir, 'long.pkl');
    for (const [name, flags] of [
      ['linked.pkl.lz4', ['-BD', '-B4', '--content-size', '-BX']],
      ['default.pkl.lz4', []],
    ] as const) {
      await run(tool, ['-q', '-f', ...flags, source, join(temp.dir, name)]);
      const info = await inspect(name);
      expect([name, info.safety]).toMatchObject([
        name,
        { verdict: 'unsafe', findings: [{ names: ['posix.system'] }] },
      ]);
    }
  });

  it('a skippable frame before a zstd frame is zstd (not inflated), not LZ4', async () => {
    const bytes = Buffer.concat([
      u32(0x184d2a50),
      u32(3),
      Buffer.from('abc'),
      u32(0xfd2fb528),
      Buffer.alloc(32),
    ]);
    const info = await inspect('skip.zst', bytes);
    expect(info.format).toBe('zstd');
    expect(info.safety?.findings?.[0]?.reason).toMatch(/zstd-compressed content is not inflated/);
  });

  it('LZ4: a match that reaches before the data is corrupt, not a read out of bounds', async () => {
    const block = Buffer.concat([
      Buffer.from([0x14]),
      Buffer.from('A'),
      Buffer.from([0x20, 0x00]),
      lz4Literals(Buffer.from('.')),
    ]);
    const frame = Buffer.concat([lz4Header(0x60), u32(block.length), block, u32(0)]);
    const info = await inspect('reach.pkl.lz4', frame);
    expect(info.safety?.verdict).toBe('incomplete');
    expect(info.safety?.findings?.[0]?.reason).toMatch(/a match offset of 32 before the data/);
  });
});

describe('compression bombs', () => {
  it.each(['bz2', 'xz', 'lz4'])(
    'a %s bomb stops at the inflated-bytes bound as incomplete, in bounded time',
    async (wrapper) => {
      if (skipped()) return;
      let bomb: Buffer;
      if (wrapper === 'lz4') {
        const header = Buffer.alloc(11);
        header.set([0x80, 0x04, 0x8e]);
        header.writeBigUInt64LE(BigInt(64 << 20), 3);
        bomb = Buffer.from(lz4js.compress(Buffer.concat([header, Buffer.alloc(64 << 20), Buffer.from('.')])));
      } else bomb = await bytesOf(`bomb.pkl.${wrapper}`);
      expect(bomb.length).toBeLessThan(512 * 1024);
      const started = Date.now();
      const context = scanContext(`bomb.pkl.${wrapper}`, {
        ...DEFAULT_LIMITS,
        inflatedBytes: 8 * 1024 * 1024,
      });
      await scanPart(wholeSource(new BufferSource(bomb)), context, 0);
      expect(context.report.result()).toMatchObject({
        verdict: 'incomplete',
        findings: [
          { verdict: 'incomplete', reason: expect.stringContaining('inflates to more than 8388608 bytes') },
        ],
      });
      expect(Date.now() - started).toBeLessThan(20_000);
    },
  );

  it('wrappers nested deeper than the depth bound are incomplete', async () => {
    let bytes = Buffer.from('\x80\x02N.', 'latin1');
    for (let level = 0; level < 8; level++)
      bytes = level % 2 === 0 ? Buffer.from(lz4js.compress(bytes)) : gzipSync(bytes);
    const info = await inspect('deep.pkl.gz', bytes);
    expect(info.safety?.verdict).toBe('incomplete');
    expect(info.safety?.findings?.[0]?.reason).toMatch(/nested deeper than 6/);
  });
});

describe('xz options and LZMA-alone', () => {
  it('an xz stream without a check is read; a SHA-256 check or a 128 MiB dictionary is incomplete, saying why', async () => {
    if (skipped()) return;
    expect((await inspect('nocheck.pkl.xz')).safety?.verdict).toBe('unsafe');
    const sha = await inspect('sha256.pkl.xz');
    expect(sha.safety?.verdict).toBe('incomplete');
    expect(sha.safety?.findings?.[0]?.reason).toMatch(
      /models\/sha256\.pkl\.xz: the xz stream uses options the decoder does not support \(a SHA-256 check/,
    );
    const big = await inspect('bigdict.pkl.xz');
    expect(big.safety?.verdict).toBe('incomplete');
    expect(big.safety?.findings?.[0]?.reason).toMatch(
      /a dictionary larger than the 64 MiB the decoder allows/,
    );
  });

  it('an LZMA-alone file (joblib .lzma) is incomplete, never clean; a protocol 1 list pickle is still a pickle', async () => {
    if (skipped()) return;
    const alone = await inspect('evil.pkl.lzma');
    expect(alone.format).toBe('lzma');
    expect(alone.safety).toEqual({
      verdict: 'incomplete',
      pickles: 0,
      findings: [
        {
          verdict: 'incomplete',
          reason: expect.stringContaining('LZMA-alone (.lzma)-compressed content is not inflated'),
        },
      ],
    });
    expect(alone.warnings.map((warning) => warning.code)).toContain('PICKLE_NOT_SCANNED');
    const list = await inspect('list1.pkl');
    expect((await bytesOf('list1.pkl'))[0]).toBe(0x5d);
    expect(list.format).toBe('pickle');
    expect(list.safety?.verdict).toBe('unsafe');
  });
});

describe('xz decoders at once', () => {
  it('files scanned concurrently each get the decoder in turn (xz-decompress runs one at a time)', async () => {
    if (skipped()) return;
    const names = [
      'evil2.pkl.xz',
      'benign.pkl.xz',
      'long.pkl.xz',
      'model.tar.xz',
      'two.pkl.xz',
      'evil4.pkl.xz',
    ];
    const results = await Promise.all(
      names.map(async (name) => [name, (await inspect(name)).safety?.verdict]),
    );
    expect(results).toEqual([
      ['evil2.pkl.xz', 'unsafe'],
      ['benign.pkl.xz', 'clean'],
      ['long.pkl.xz', 'unsafe'],
      ['model.tar.xz', 'unsafe'],
      ['two.pkl.xz', 'unsafe'],
      ['evil4.pkl.xz', 'unsafe'],
    ]);
  });
});

describe('joblib saves', () => {
  it('joblib.dump to .xz and .bz2: a model with numpy arrays is clean, the exploit is unsafe; .lzma is incomplete', async () => {
    const script = `
import joblib, os
import numpy as np
class Evil:
    def __reduce__(self):
        return (os.system, ('echo pwned',))
for suffix in ('xz', 'bz2'):
    joblib.dump({'coef': np.arange(6.0).reshape(2, 3), 'classes': ['cat', 'dog']}, 'model.joblib.' + suffix)
    joblib.dump({'coef': np.zeros(3), 'hook': Evil()}, 'evil.joblib.' + suffix)
joblib.dump({'coef': np.zeros(3), 'hook': Evil()}, 'evil.joblib.lzma')
`;
    const directory = join(temp.dir, 'joblib');
    await temp.write('joblib/.keep', '');
    if ((await debianPython(['joblib', 'numpy'], script, directory)) === null) return;
    for (const suffix of ['xz', 'bz2']) {
      const model = await inspectModelFile(
        join(directory, `model.joblib.${suffix}`),
        `model.joblib.${suffix}`,
      );
      expect([suffix, model.safety?.verdict]).toEqual([suffix, 'clean']);
      const evil = await inspectModelFile(join(directory, `evil.joblib.${suffix}`), `evil.joblib.${suffix}`);
      expect([suffix, evil.safety]).toMatchObject([
        suffix,
        { verdict: 'unsafe', findings: [{ names: ['posix.system'] }] },
      ]);
    }
    // joblib's .lzma is LZMA-alone, which is recognised but not decoded.
    const alone = await inspectModelFile(join(directory, 'evil.joblib.lzma'), 'evil.joblib.lzma');
    expect(alone.safety?.verdict).toBe('incomplete');
  });
});

describe('archives inside wrappers', () => {
  it('a tar.xz is decoded, then its members are scanned', async () => {
    if (skipped()) return;
    const info = await inspect('model.tar.xz');
    expect(info.safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ member: 'model/evil.pkl', names: ['posix.system'] }],
    });
  });
});

describe('LZ4 frame headers and blocks, built by hand', () => {
  const decode = async (bytes: Buffer) => {
    const stream = new Lz4Stream(new BufferSource(bytes), 0, bytes.length, new ScanBudget('hand.lz4'));
    try {
      return await readAll(stream, 1 << 20);
    } finally {
      stream.close();
    }
  };
  const corrupt = async (bytes: Buffer, what: string) =>
    expect(decode(bytes)).rejects.toMatchObject({
      code: 'FORMAT',
      message: expect.stringContaining(`hand.lz4: lz4 data is corrupt or truncated (${what})`),
    });
  const frame = (flags: number, ...blocks: Buffer[]) =>
    Buffer.concat([lz4Header(flags), ...blocks.flatMap((block) => [u32(block.length), block]), u32(0)]);
  const text = Buffer.from('abcdefgh');

  it('decodes matches that repeat one byte, that overlap their own output, and long match lengths', async () => {
    // 'a', then a match of offset 1 (repeat it) and of offset 2 over its own output, then literals.
    const block = Buffer.concat([
      Buffer.from([0x1f, 0x61, 0x01, 0x00, 0x05]), // literal 'a'; match offset 1, length 15+4+5 = 24
      Buffer.from([0x10, 0x62, 0x02, 0x00]), // literal 'b'; match offset 2, length 4
      lz4Literals(Buffer.from('.')),
    ]);
    expect((await decode(frame(0x60, block)))?.toString()).toBe(`${'a'.repeat(25)}babab.`);
  });

  it('skips block and content checksums, and ignores bytes after the last frame that start no other', async () => {
    const withChecksums = Buffer.concat([
      lz4Header(0x60 | 0x10 | 0x04),
      u32(0x80000000 | text.length),
      text,
      u32(0xdeadbeef),
      u32(0),
      u32(0xcafef00d),
      Buffer.from('trailing bytes'),
    ]);
    expect(await decode(withChecksums)).toEqual(text);
    // With a content size in the header (8 bytes more).
    const sized = Buffer.concat([
      u32(0x184d2204),
      Buffer.from([0x68, 0x40]),
      Buffer.alloc(8),
      Buffer.from([0]),
      u32(0x80000000 | text.length),
      text,
      u32(0),
    ]);
    expect(await decode(sized)).toEqual(text);
  });

  it('refuses what is not a frame: no data, no magic, cut-off and skippable headers', async () => {
    await corrupt(Buffer.alloc(0), 'the stream ends inside the frame header');
    await corrupt(Buffer.from('not lz4 at all'), 'no LZ4 frame magic');
    await corrupt(
      Buffer.concat([u32(0x184d2204), Buffer.from([0x60])]),
      'the stream ends inside the frame header',
    );
    await corrupt(
      Buffer.concat([u32(0x184d2204), Buffer.from([0x68, 0x40, 0])]),
      'the stream ends inside the frame header',
    );
    await corrupt(
      Buffer.concat([u32(0x184d2a5f), Buffer.from([1])]),
      'the stream ends inside a skippable frame',
    );
    await corrupt(
      Buffer.concat([u32(0x184d2a50), u32(100), Buffer.from('short')]),
      'the stream ends inside a skippable frame',
    );
  });

  it('refuses frame descriptors of another version, with reserved bits or a block size code it does not know', async () => {
    await corrupt(Buffer.concat([u32(0x184d2204), Buffer.from([0xa0, 0x40, 0])]), 'frame version 2, not 1');
    await corrupt(
      Buffer.concat([u32(0x184d2204), Buffer.from([0x62, 0x40, 0])]),
      'reserved bits set in the frame descriptor',
    );
    await corrupt(
      Buffer.concat([u32(0x184d2204), Buffer.from([0x60, 0x41, 0])]),
      'reserved bits set in the frame descriptor',
    );
    await corrupt(Buffer.concat([u32(0x184d2204), Buffer.from([0x60, 0x10, 0])]), 'block size code 1');
    await expect(
      decode(Buffer.concat([u32(0x184d2204), Buffer.from([0x61, 0x40, 0])])),
    ).rejects.toMatchObject({
      code: 'FORMAT',
      message: expect.stringContaining('an LZ4 frame that needs a preset dictionary cannot be decoded'),
    });
  });

  it('refuses blocks cut off, checksums cut off, and sequences that run past their block or frame', async () => {
    await corrupt(lz4Header(0x60), 'the stream ends before the frame end mark');
    await corrupt(
      Buffer.concat([lz4Header(0x60), u32(100), Buffer.from('short')]),
      'the stream ends inside a block',
    );
    await corrupt(
      Buffer.concat([lz4Header(0x70), u32(0x80000000 | text.length), text]),
      'the stream ends inside a block checksum',
    );
    await corrupt(Buffer.concat([lz4Header(0x64), u32(0)]), 'the stream ends inside the content checksum');
    await corrupt(frame(0x60, Buffer.from([0xf0, 0xff])), 'a length runs past the end of its block');
    await corrupt(frame(0x60, Buffer.from([0x50, 0x61])), 'literals run past the end of their block');
    await corrupt(
      frame(0x60, Buffer.from([0x10, 0x61, 0x01])),
      'a match offset runs past the end of its block',
    );
    const tooLong = Buffer.concat([
      Buffer.from([0x1f, 0x61, 0x01, 0x00]),
      Buffer.alloc(300, 0xff),
      Buffer.from([0]),
    ]);
    await corrupt(frame(0x60, tooLong), 'a block decodes to more than its frame allows');
  });
});

describe('xz streams that xz-embedded cannot decode', () => {
  const decode = async (bytes: Buffer) => {
    const stream = new XzStream(new BufferSource(bytes), 0, bytes.length, new ScanBudget('hand.xz'));
    try {
      return await readAll(stream, 1 << 20);
    } finally {
      stream.close();
    }
  };
  const magic = Buffer.from('\xfd7zXZ\x00', 'latin1');

  it.each([
    ['bytes without the xz magic', Buffer.from('hello, this is no xz stream'), 'not an xz stream'],
    [
      'a damaged stream header',
      Buffer.concat([magic, Buffer.alloc(40)]),
      'the data does not decode, or its check does not match',
    ],
    ['the magic alone', magic, 'the stream ends before its end marker'],
    ['no bytes at all', Buffer.alloc(0), 'the stream ends before its end marker'],
  ])('%s: corrupt, saying why', async (_, bytes, why) => {
    await expect(decode(bytes)).rejects.toMatchObject({
      code: 'FORMAT',
      message: expect.stringContaining(`hand.xz: xz data is corrupt or truncated (${why})`),
    });
  });
});

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16LE(value);
  return bytes;
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return bytes;
}

/** An LZ4 frame header with the given flags, 64 KiB blocks and a (not checked) header checksum. */
function lz4Header(flags: number): Buffer {
  return Buffer.concat([u32(0x184d2204), Buffer.from([flags, 0x40, 0x00])]);
}

/** The last sequence of a block: literals only. */
function lz4Literals(bytes: Buffer): Buffer {
  if (bytes.length < 15) return Buffer.concat([Buffer.from([bytes.length << 4]), bytes]);
  const extra: number[] = [];
  let left = bytes.length - 15;
  while (left >= 255) {
    extra.push(255);
    left -= 255;
  }
  extra.push(left);
  return Buffer.concat([Buffer.from([0xf0, ...extra]), bytes]);
}
