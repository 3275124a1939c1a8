/**
 * ONNX ModelProto fields read as protobuf: long texts cut with an ellipsis, 64-bit integers kept
 * exactly, fields model-ledger does not read skipped wherever they are, local functions counted,
 * and the malformed messages refused with the field named.
 */
import { describe, expect, it } from '@jest/globals';

import { BufferSource, readOnnx } from '../../src/formats/index.js';
import { onnxBytes, protoBytes, protoVarint, varint } from '../support/ml-files.js';

const DISPLAY = 'models/m.onnx';
const read = (bytes: Buffer) => readOnnx(new BufferSource(bytes), DISPLAY);

async function refused(bytes: Buffer, field: string, message: string | RegExp): Promise<void> {
  const failure = read(bytes);
  await expect(failure).rejects.toMatchObject({ code: 'FORMAT', file: DISPLAY, field });
  await expect(failure).rejects.toThrow(message);
}

describe('ONNX ModelProto fields', () => {
  it('cuts a long doc string and producer name with an ellipsis, and keeps 64-bit versions exactly', async () => {
    const bytes = Buffer.concat([
      protoVarint(1, 2n ** 60n),
      protoVarint(5, BigInt.asUintN(64, -1n)),
      protoBytes(6, 'd'.repeat(5000)),
      protoBytes(2, 'p'.repeat(70_000)),
    ]);
    const { metadata } = await read(bytes);
    expect(metadata.irVersion).toBe(String(2n ** 60n));
    expect(metadata.modelVersion).toBe(-1);
    expect(metadata.docString).toBe(`${'d'.repeat(4096)}…`);
    expect(metadata.producerName).toBe(`${'p'.repeat(64 * 1024)}…`);
  });

  it('counts local functions, and skips fields it does not read in the model, graph, opsets and metadata', async () => {
    const opset = Buffer.concat([protoBytes(1, 'com.acme'), protoBytes(3, 'ignored'), protoVarint(2, 3)]);
    const entry = Buffer.concat([protoBytes(1, 'author'), protoVarint(3, 9), protoBytes(2, 'acme')]);
    const graph = Buffer.concat([protoBytes(10, 'graph doc'), protoBytes(1, protoBytes(4, 'Relu'))]);
    const bytes = Buffer.concat([
      protoVarint(1, 9),
      protoBytes(7, graph),
      protoBytes(8, opset),
      protoBytes(14, entry),
      protoBytes(25, 'function one'),
      protoBytes(25, 'function two'),
      // Wire types the reader skips: fixed64 and fixed32 fields it does not know.
      Buffer.concat([varint((40 << 3) | 1), Buffer.alloc(8)]),
      Buffer.concat([varint((41 << 3) | 5), Buffer.alloc(4)]),
    ]);
    const { metadata } = await read(bytes);
    expect(metadata).toMatchObject({
      irVersion: 9,
      functions: 2,
      opsets: { 'com.acme': 3 },
      metadataProps: { author: 'acme' },
      graph: { nodes: 1, initializers: 0, inputs: 0, outputs: 0 },
    });
    expect(metadata.graph).not.toHaveProperty('name');
  });

  it('refuses field number 0, fields past their message, unknown wire types and wrong wire types', async () => {
    await refused(
      Buffer.concat([protoVarint(1, 9), Buffer.from([0x00, 0x01])]),
      'ModelProto',
      /field number 0 at byte \d+/,
    );
    // A graph of 3 bytes whose only field is a fixed64: it runs past the graph's end.
    const runsPast = Buffer.concat([
      protoVarint(1, 9),
      varint((7 << 3) | 2),
      varint(3),
      varint((3 << 3) | 1),
      Buffer.alloc(10),
    ]);
    await refused(runsPast, 'graph', 'a field runs past the end of its message');
    await refused(
      Buffer.concat([protoVarint(1, 9), varint((40 << 3) | 3)]),
      'ModelProto field 40',
      'unsupported protobuf wire type 3',
    );
    await refused(
      Buffer.concat([protoVarint(1, 9), protoVarint(25, 1)]),
      'functions',
      'has protobuf wire type 0, expected 2',
    );
    await refused(
      Buffer.concat([protoVarint(1, 9), protoBytes(8, protoBytes(2, 'x'))]),
      'opset_import.version',
      'has protobuf wire type 2, expected 0',
    );
  });

  it('refuses more than 10,000 metadata entries', async () => {
    const entry = protoBytes(14, Buffer.concat([protoBytes(1, 'k'), protoBytes(2, 'v')]));
    const bytes = Buffer.concat([onnxBytes({ irVersion: 9 }), ...Array<Buffer>(10_001).fill(entry)]);
    await refused(bytes, 'metadata_props', 'more than 10000 entries');
  });
});
