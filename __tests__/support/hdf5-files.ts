import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What writeHdf5 puts in a file; every value is a (variable-length) string attribute. */
export interface Hdf5Spec {
  libver?: 'latest';
  attributes?: Record<string, string>;
  groups?: Record<string, Record<string, string>>;
  softLinks?: Record<string, string>;
  externalLinks?: Record<string, [file: string, target: string]>;
}

/**
 * Writes a real HDF5 file with h5wasm itself, in a node process of its own: the HDF5 C library
 * writes it, as h5py would, with no python needed.
 */
export async function writeHdf5(path: string, spec: Hdf5Spec): Promise<string> {
  const script = `
import * as h5wasm from 'h5wasm/node';
import { readFileSync } from 'node:fs';
const path = process.env.H5_PATH;
const spec = JSON.parse(readFileSync(path + '.json', 'utf8'));
await h5wasm.ready;
const file = new h5wasm.File(path, 'w', spec.libver ? { libver: spec.libver } : false);
for (const [name, value] of Object.entries(spec.attributes ?? {})) file.create_attribute(name, value);
for (const [group, attributes] of Object.entries(spec.groups ?? {})) {
  const created = file.create_group(group);
  for (const [name, value] of Object.entries(attributes)) created.create_attribute(name, value);
}
for (const [name, target] of Object.entries(spec.softLinks ?? {})) file.create_soft_link(target, name);
for (const [name, [other, target]] of Object.entries(spec.externalLinks ?? {})) file.create_external_link(other, target, name);
file.create_dataset({ name: 'weights', data: new Float32Array([1, 2, 3, 4]) });
file.close();
`;
  // The spec goes by file: a configuration of 100 KiB is more than an environment variable holds.
  await writeFile(`${path}.json`, JSON.stringify(spec));
  await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repository,
    env: { ...process.env, H5_PATH: path },
  });
  return path;
}

/** Keras configurations, as Keras writes them into `model_config`. */
export function sequential(layers: unknown[]): string {
  return JSON.stringify({ class_name: 'Sequential', config: { name: 's', layers } });
}
export const lambda = (name: string) => ({
  class_name: 'Lambda',
  config: { name, function: ['YWJj', null, null], function_type: 'lambda' },
});
export const dense = { class_name: 'Dense', config: { name: 'd', units: 1 } };
export const LAMBDA_MODEL = sequential([lambda('evil')]);
export const DENSE_MODEL = sequential([dense]);
/** Valid JSON with every `{` followed by more whitespace than the byte scan looks ahead. */
export const padded = (json: string) => json.replaceAll('{', '{' + ' '.repeat(1100));
