import { describe, expect, it } from '@jest/globals';

import { ggufBytes, type GgufSpec, useFormatInspector } from '../support/ml-files.js';

const LLAMA: GgufSpec = {
  kv: [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: 'Tiny Llama' }],
    ['general.file_type', { type: 'u32', value: 15 }],
    ['general.quantized', { type: 'bool', value: true }],
    ['general.tags', { type: 'array', of: 'string', value: ['text-generation', 'tiny'] }],
    ['general.score', { type: 'f32', value: 0.5 }],
    ['llama.context_length', { type: 'u32', value: 2048 }],
    [
      'tokenizer.ggml.tokens',
      { type: 'array', of: 'string', value: Array.from({ length: 500 }, (_, index) => `tok${index}`) },
    ],
    ['tokenizer.ggml.scores', { type: 'array', of: 'f32', value: Array.from({ length: 500 }, () => 0.25) }],
  ],
  tensors: [
    { name: 'token_embd.weight', dims: [16, 500], type: 1, offset: 0n },
    { name: 'output_norm.weight', dims: [16], type: 0, offset: 16032n },
  ],
  dataBytes: 16_128,
};

describe('GGUF', () => {
  const { inspect, rejects } = useFormatInspector();

  it('reads version, tensor count, parameters and general.* keys, skipping the vocabulary', async () => {
    const info = await inspect('tiny.gguf', ggufBytes(LLAMA));
    expect(info).toEqual({
      format: 'gguf',
      metadata: {
        version: 3,
        tensors: 2,
        parameters: 16 * 500 + 16,
        tensorTypes: { F16: 1, F32: 1 },
        metadataKeys: 9,
        general: {
          architecture: 'llama',
          name: 'Tiny Llama',
          file_type: 15,
          quantized: true,
          tags: ['text-generation', 'tiny'],
          score: 0.5,
        },
        keys: LLAMA.kv?.map(([key]) => key),
      },
      safety: { verdict: 'clean', pickles: 0 },
      warnings: [],
    });
  });

  it('is recognised by its magic whatever the file is called', async () => {
    expect((await inspect('weights.bin', ggufBytes(LLAMA)))?.format).toBe('gguf');
  });

  it('a key count of 2^60 is a FORMAT error at once, not a loop', async () => {
    await rejects(
      'keys.gguf',
      ggufBytes({ ...LLAMA, kvCount: 2n ** 60n }),
      /claims 1152921504606846976 metadata keys, impossible in \d+ bytes/,
    );
  });

  it('an impossible tensor count is a FORMAT error', async () => {
    await rejects(
      'tensors.gguf',
      ggufBytes({ ...LLAMA, tensorCount: 2n ** 40n }),
      /claims 1099511627776 tensors/,
    );
  });

  it('truncated headers are FORMAT errors', async () => {
    await rejects('short.gguf', Buffer.from('GGUF\x03\x00'), /too short for a GGUF header/);
    const whole = ggufBytes(LLAMA);
    await rejects('cut.gguf', whole.subarray(0, 200), /needs \d+ bytes at byte \d+ but only \d+ remain/);
  });

  it('a string claiming more bytes than the file holds is a FORMAT error', async () => {
    const bytes = ggufBytes({ kv: [['general.name', { type: 'string', value: 'x' }]] });
    // The key's length field sits right after the 24-byte preamble.
    bytes.writeBigUInt64LE(2n ** 62n, 24);
    await rejects('string.gguf', bytes, /metadata key 0 needs 4611686018427387904 bytes/);
  });

  it('a tensor offset beyond the data is a FORMAT error naming the tensor', async () => {
    const spec: GgufSpec = { ...LLAMA, tensors: [{ name: 'w', dims: [4], type: 0, offset: 1_000_000n }] };
    await rejects(
      'offset.gguf',
      ggufBytes(spec),
      /tensor w: offset 1000000 lies beyond the 16128 data bytes/,
    );
    const misaligned: GgufSpec = { ...LLAMA, tensors: [{ name: 'w', dims: [4], type: 0, offset: 3n }] };
    await rejects(
      'align.gguf',
      ggufBytes(misaligned),
      /tensor w: offset 3 is not a multiple of the alignment 32/,
    );
  });

  it('bad magic, version and value types are FORMAT errors', async () => {
    await rejects(
      'magic.gguf',
      Buffer.from('GGML\x03\x00\x00\x00'.padEnd(32, '\x00'), 'latin1'),
      /does not start with "GGUF"/,
    );
    await rejects(
      'version.gguf',
      ggufBytes({ ...LLAMA, version: 9 }),
      /GGUF version 9 is not one model-ledger reads/,
    );
    const bytes = ggufBytes({ kv: [['general.name', { type: 'u32', value: 1 }]] });
    bytes.writeUInt32LE(77, 24 + 8 + 'general.name'.length);
    await rejects('type.gguf', bytes, /general\.name: unknown value type 77/);
  });
});
