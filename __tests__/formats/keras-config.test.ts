/**
 * Keras configurations that import from outside Keras: a custom layer is unknown, a function of
 * `os` or `builtins` is unsafe, in a `.keras` zip as in the bare config; configurations that
 * cannot be read say why.
 */
import { describe, expect, it } from '@jest/globals';

import { kerasConfigFindings } from '../../src/formats/keras.js';
import { useFormatInspector, zipBytes } from '../support/ml-files.js';

const layer = (module: string, className: string, config: unknown = { name: 'x' }) => ({
  module,
  class_name: className,
  config,
});

const model = (...layers: unknown[]) =>
  JSON.stringify({
    module: 'keras',
    class_name: 'Sequential',
    config: { name: 'sequential', layers },
  });

describe('Keras configurations that import from outside Keras', () => {
  const { inspect } = useFormatInspector();

  it('a custom layer is unknown; a function of os or builtins is unsafe; Keras and TensorFlow are fine', () => {
    const found = kerasConfigFindings(
      model(
        layer('keras.layers', 'Dense'),
        layer('tensorflow.keras.layers', 'Conv2D'),
        layer('acme_models.layers', 'FancyAttention'),
        layer('keras.layers', 'Activation', { activation: layer('os', 'function', 'system') }),
        layer('builtins', 'function', 'eval'),
      ),
      'config.json',
    );
    expect(found).toEqual({
      findings: [
        {
          verdict: 'unsafe',
          member: 'config.json',
          names: ['builtins.eval', 'os.system'],
          reason: 'the configuration imports callables that can run code',
        },
        {
          verdict: 'unknown',
          member: 'config.json',
          names: ['acme_models.layers.FancyAttention'],
          reason: 'the configuration imports custom objects from outside Keras',
        },
      ],
    });
  });

  it('in a .keras zip, a custom layer makes the model unknown, not clean', async () => {
    const bytes = zipBytes([
      { name: 'metadata.json', data: Buffer.from('{"keras_version": "3.3.3"}') },
      { name: 'config.json', data: Buffer.from(model(layer('acme_models.layers', 'FancyAttention'))) },
      { name: 'model.weights.h5', data: Buffer.alloc(16) },
    ]);
    const info = await inspect('custom.keras', bytes);
    expect(info.format).toBe('keras');
    expect(info.safety).toMatchObject({
      verdict: 'unknown',
      findings: [{ member: 'config.json', names: ['acme_models.layers.FancyAttention'] }],
    });
  });

  it('a layer holding a vocabulary of 300,000 tokens is scanned, not a stack overflow', async () => {
    const vocabulary = Array.from({ length: 300_000 }, (_, index) => `token${index}`);
    const config = model(layer('keras.layers', 'TextVectorization', { name: 'text', vocabulary }));
    expect(kerasConfigFindings(config, 'config.json')).toEqual({ findings: [] });
    const bytes = zipBytes([
      { name: 'metadata.json', data: Buffer.from('{"keras_version": "3.3.3"}') },
      { name: 'config.json', data: Buffer.from(config), deflate: true },
    ]);
    const info = await inspect('vocabulary.keras', bytes);
    expect(info.format).toBe('keras');
    expect(info.safety?.verdict).toBe('clean');
  });

  it('a configuration that is not JSON, too large or holds too many values is a problem named, with no findings', () => {
    expect(kerasConfigFindings('{"layers": [', undefined)).toEqual({
      findings: [],
      problem: expect.stringMatching(/^is not JSON \(/),
    });
    expect(kerasConfigFindings(' '.repeat(16 * 1024 * 1024 + 1), undefined)).toEqual({
      findings: [],
      problem: `is over ${16 * 1024 * 1024} bytes`,
    });
    expect(kerasConfigFindings(JSON.stringify(new Array(1_000_001).fill(0)), undefined)).toEqual({
      findings: [],
      problem: 'holds more than 1000000 values',
    });
  });
});
