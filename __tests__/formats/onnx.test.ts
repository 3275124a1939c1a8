import { describe, expect, it } from '@jest/globals';

import {
  onnxBytes,
  protoBytes,
  protoVarint,
  varint,
  type OnnxSpec,
  useFormatInspector,
} from '../support/ml-files.js';

const MODEL: OnnxSpec = {
  irVersion: 9,
  producerName: 'pytorch',
  producerVersion: '2.3.0',
  modelVersion: 4,
  opsets: [
    { domain: '', version: 17 },
    { domain: 'com.microsoft', version: 1 },
  ],
  metadataProps: { author: 'ml-team', license: 'MIT' },
  graph: { name: 'main_graph', nodes: 3, initializerBytes: 3 * 1024 * 1024, inputs: 1, outputs: 2 },
};

describe('ONNX', () => {
  const { inspect, rejects } = useFormatInspector();

  it('reads ir_version, producer, opsets, metadata_props and graph counts, skipping the weights', async () => {
    expect(await inspect('model.onnx', onnxBytes(MODEL))).toEqual({
      format: 'onnx',
      metadata: {
        irVersion: 9,
        producerName: 'pytorch',
        producerVersion: '2.3.0',
        modelVersion: 4,
        opsets: { 'ai.onnx': 17, 'com.microsoft': 1 },
        metadataProps: { author: 'ml-team', license: 'MIT' },
        graph: { name: 'main_graph', nodes: 3, initializers: 1, inputs: 1, outputs: 2 },
      },
      safety: { verdict: 'clean', pickles: 0 },
      warnings: [],
    });
  });

  it('skips unknown fields of every wire type', async () => {
    const fixed64 = Buffer.concat([varint((30 << 3) | 1), Buffer.alloc(8)]);
    const fixed32 = Buffer.concat([varint((31 << 3) | 5), Buffer.alloc(4)]);
    const bytes = Buffer.concat([
      protoVarint(1, 8),
      fixed64,
      protoBytes(99, 'future'),
      fixed32,
      protoVarint(40, 123456789),
    ]);
    expect((await inspect('future.onnx', bytes))?.metadata).toEqual({ irVersion: 8, opsets: {} });
  });

  it('a truncated model is a FORMAT error', async () => {
    const whole = onnxBytes(MODEL);
    await rejects(
      'cut.onnx',
      whole.subarray(0, 200),
      /graph: length \d+ runs past the end of its message \(truncated or corrupt\)/,
    );
  });

  it('a length beyond the file is a FORMAT error, not an allocation', async () => {
    const bytes = Buffer.concat([
      protoVarint(1, 9),
      varint((2 << 3) | 2),
      varint(2n ** 60n),
      Buffer.from('pytorch'),
    ]);
    await rejects(
      'length.onnx',
      bytes,
      /producerName: length 1152921504606846976 runs past the end of its message/,
    );
  });

  it('a file without ir_version, or with garbage, is not ONNX', async () => {
    await rejects('empty.onnx', Buffer.alloc(0), /the file is empty/);
    await rejects('noir.onnx', protoBytes(2, 'pytorch'), /has no ir_version/);
    await rejects(
      'text.onnx',
      Buffer.from('this is not a protobuf at all, just text\n'),
      /metadata_props: has protobuf wire type 4, expected 2/,
    );
    await rejects(
      'varint.onnx',
      Buffer.concat([protoVarint(1, 9), Buffer.from([0x08]), Buffer.alloc(11, 0xff)]),
      /a varint longer than 10 bytes/,
    );
    await rejects(
      'group.onnx',
      Buffer.concat([protoVarint(1, 9), varint((50 << 3) | 3)]),
      /unsupported protobuf wire type 3/,
    );
    await rejects(
      'wire.onnx',
      Buffer.concat([protoBytes(1, 'nine')]),
      /ir_version: has protobuf wire type 2, expected 0/,
    );
  });
});
