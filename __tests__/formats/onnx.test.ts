import { describe, expect, it } from '@jest/globals';

import {
  debianPython,
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
  const { inspect, rejects, directory } = useFormatInspector();

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
        parameters: (3 * 1024 * 1024) / 4,
      },
      safety: { verdict: 'clean', pickles: 0 },
      warnings: [],
    });
  });

  it('counts the elements of every initializer: unpacked or packed dims, external data, sparse by dense shape', async () => {
    const model = onnxBytes({
      irVersion: 9,
      graph: {
        name: 'g',
        nodes: 1,
        initializerBytes: 4 * 10,
        inputs: 1,
        outputs: 1,
        initializers: [
          { name: 'w', dims: [3, 5] },
          { name: 'packed', dims: [2, 300, 7], packed: true },
          { name: 'scalar', dims: [] },
          { name: 'empty', dims: [0, 9] },
          { name: 'big', dims: [4096, 4096], external: true },
          { name: 'huge', dims: [1n << 20n, 1n << 20n], external: true },
          { name: 'sparse', dims: [100, 50], sparse: { nonzero: 12 } },
        ],
      },
    });
    // The external tensors hold no bytes here: the count comes from dims alone.
    expect(model.length).toBeLessThan(20_000);
    const info = await inspect('counted.onnx', model);
    expect(info.metadata['graph']).toEqual({
      name: 'g',
      nodes: 1,
      initializers: 7,
      inputs: 1,
      outputs: 1,
      sparseInitializers: 1,
      externalInitializers: 2,
    });
    expect(info.metadata['parameters']).toBe(
      10 + 15 + 2 * 300 * 7 + 1 + 0 + 4096 * 4096 + 2 ** 40 + 100 * 50,
    );
    // Past 2^53 the count is exact, as a decimal string.
    const beyond = await inspect(
      'beyond.onnx',
      onnxBytes({
        irVersion: 9,
        graph: {
          name: 'g',
          nodes: 0,
          initializerBytes: 0,
          inputs: 0,
          outputs: 0,
          initializers: [{ name: 'x', dims: [1n << 40n, 1n << 30n], external: true }],
        },
      }),
    );
    expect(beyond.metadata['parameters']).toBe((2n ** 70n).toString());
  });

  it('a negative initializer dimension or a broken packed one is a FORMAT error', async () => {
    const graph = { name: 'g', nodes: 0, initializerBytes: 0, inputs: 0, outputs: 0 };
    await rejects(
      'negative.onnx',
      onnxBytes({
        irVersion: 9,
        graph: { ...graph, initializers: [{ name: 'x', dims: [4, -1], external: true }] },
      }),
      /graph\.initializer\[1\]\.dims: has a negative dimension -1/,
    );
    // A packed dims field whose last varint runs on into the next field.
    const tensor = Buffer.concat([varint((1 << 3) | 2), varint(1), Buffer.from([0x80]), protoVarint(2, 1)]);
    await rejects(
      'packed.onnx',
      Buffer.concat([protoVarint(1, 9), protoBytes(7, protoBytes(5, tensor))]),
      /graph\.initializer\[0\]\.dims: a packed varint runs past its field/,
    );
  });

  it("a model torch.onnx.export wrote counts what torch's parameters() counts", async () => {
    const script = [
      'import torch',
      'torch.manual_seed(0)',
      'm = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(4 * 6 * 6, 5))',
      "torch.onnx.export(m, torch.zeros(1, 3, 8, 8), 'exported.onnx', do_constant_folding=False)",
      'print(sum(p.numel() for p in m.parameters()))',
    ].join('\n');
    const stdout = await debianPython(['torch'], script, directory());
    if (stdout === null) return;
    const { readFile } = await import('node:fs/promises');
    const info = await inspect('exported.onnx', await readFile(`${directory()}/exported.onnx`));
    expect(info.format).toBe('onnx');
    expect(info.metadata['parameters']).toBe(Number(stdout.trim()));
    expect(info.metadata['parameters']).toBe(3 * 4 * 9 + 4 + 144 * 5 + 5);
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
