import { describe, expect, it } from '@jest/globals';

import { safetensorsBytes, useFormatInspector } from '../support/ml-files.js';

describe('safetensors', () => {
  const { inspect, rejects } = useFormatInspector();

  it('reads tensor count, dtypes, parameter count and __metadata__ from the header', async () => {
    const info = await inspect(
      'model.safetensors',
      safetensorsBytes(
        [
          { name: 'embed.weight', dtype: 'F16', shape: [10, 4] },
          { name: 'lm_head.weight', dtype: 'F16', shape: [4, 10] },
          { name: 'norm.bias', dtype: 'F32', shape: [4] },
          { name: 'step', dtype: 'I64', shape: [] },
        ],
        { format: 'pt', license: 'apache-2.0' },
      ),
    );
    expect(info).toEqual({
      format: 'safetensors',
      metadata: {
        headerBytes: expect.any(Number),
        tensors: 4,
        parameters: 85,
        dtypes: { F16: 2, F32: 1, I64: 1 },
        metadata: { format: 'pt', license: 'apache-2.0' },
      },
      warnings: [],
      safety: { verdict: 'clean', pickles: 0 },
    });
  });

  it('a header claiming 10^18 bytes is a FORMAT error, not an allocation', async () => {
    await rejects(
      'huge.safetensors',
      safetensorsBytes([{ name: 'w', dtype: 'F32', shape: [2] }], undefined, { declaredLength: 10n ** 18n }),
      /header claims 1000000000000000000 bytes, over the 100000000-byte limit/,
    );
  });

  it('a header over 100 MB is refused even when the file could hold it', async () => {
    await rejects(
      'big.safetensors',
      safetensorsBytes([], undefined, { declaredLength: 100_000_001n }),
      /over the 100000000-byte limit/,
    );
  });

  it('truncated files are FORMAT errors', async () => {
    await rejects('short.safetensors', Buffer.from([1, 2, 3]), /shorter than the 8-byte header length/);
    const whole = safetensorsBytes([{ name: 'w', dtype: 'F32', shape: [2] }]);
    await rejects(
      'cut-header.safetensors',
      whole.subarray(0, 20),
      /header claims \d+ bytes but only 12 follow/,
    );
    await rejects(
      'cut-data.safetensors',
      whole.subarray(0, whole.length - 1),
      /lies outside the 7 data bytes/,
    );
  });

  it('bad offsets are FORMAT errors naming the tensor', async () => {
    const header = (tensors: Record<string, unknown>) => JSON.stringify(tensors);
    await rejects(
      'overlap.safetensors',
      safetensorsBytes([], undefined, {
        headerJson: header({
          a: { dtype: 'U8', shape: [4], data_offsets: [0, 4] },
          b: { dtype: 'U8', shape: [4], data_offsets: [2, 6] },
        }),
        dataBytes: 6,
      }),
      /tensors\.b\.data_offsets: starts at 2 and overlaps the tensor before it/,
    );
    await rejects(
      'gap.safetensors',
      safetensorsBytes([], undefined, {
        headerJson: header({
          a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] },
          b: { dtype: 'U8', shape: [2], data_offsets: [4, 6] },
        }),
        dataBytes: 6,
      }),
      /tensors\.b\.data_offsets: starts at 4 and leaves a gap/,
    );
    await rejects(
      'shape.safetensors',
      safetensorsBytes([], undefined, {
        headerJson: header({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }),
        dataBytes: 8,
      }),
      /tensors\.a\.data_offsets: holds 8 bytes but shape \[3\] of F32 needs 12/,
    );
    await rejects(
      'tail.safetensors',
      safetensorsBytes([], undefined, {
        headerJson: header({ a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] } }),
        dataBytes: 5,
      }),
      /tensors end at data byte 2 but the file holds 5 data bytes/,
    );
    await rejects(
      'negative.safetensors',
      safetensorsBytes([], undefined, {
        headerJson: header({ a: { dtype: 'U8', shape: [2], data_offsets: [-1, 1] } }),
        dataBytes: 2,
      }),
      /tensors\.a\.data_offsets: is not a pair of non-negative integers/,
    );
  });

  it('a header that is not a JSON object is a FORMAT error', async () => {
    await rejects(
      'text.safetensors',
      safetensorsBytes([], undefined, { headerJson: '{"a": ' }),
      /header is not UTF-8 JSON/,
    );
    await rejects(
      'array.safetensors',
      safetensorsBytes([], undefined, { headerJson: '[1,2]' }),
      /header is not a JSON object/,
    );
    await rejects(
      'meta.safetensors',
      safetensorsBytes([], undefined, { headerJson: '{"__metadata__":{"n":1}}' }),
      /__metadata__\.n: is not a string/,
    );
  });

  it('keys such as __proto__ stay data, and unknown dtypes are warnings', async () => {
    const info = await inspect(
      'odd.safetensors',
      safetensorsBytes([], undefined, {
        headerJson:
          '{"__proto__":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},' +
          '"q":{"dtype":"Q4_FANCY","shape":[2],"data_offsets":[2,3]},' +
          '"p":{"dtype":"__proto__","shape":[1],"data_offsets":[3,4]}}',
        dataBytes: 4,
      }),
    );
    expect(info?.metadata['tensors']).toBe(3);
    expect(info?.warnings.map((warning) => warning.code)).toEqual([
      'SAFETENSORS_UNKNOWN_DTYPE',
      'SAFETENSORS_UNKNOWN_DTYPE',
    ]);
    expect(info?.warnings[0]?.message).toContain('models/odd.safetensors: tensor q has dtype Q4_FANCY');
    const dtypes = info?.metadata['dtypes'] as Record<string, number>;
    expect(Object.getPrototypeOf(dtypes)).toBe(Object.prototype);
    expect(Object.hasOwn(dtypes, '__proto__')).toBe(true);
    expect(dtypes['U8']).toBe(1);
  });
});
