/**
 * The HDF5 reader's worker thread: opens files with h5wasm (the HDF5 C library compiled to
 * WebAssembly) and posts back the string attributes of the groups asked for, one file per message.
 *
 * Plain JavaScript, so that the same file runs as is from src/ (under jest) and from lib/ (the
 * library), resolving h5wasm from node_modules, and is bundled with h5wasm by scripts/build.mjs
 * into the single-file CLI and Action (see hdf5-worker-url.ts). hdf5-reader.ts starts it with a
 * heap limit, bounds each file with a deadline, and terminates it after a failure or a number of
 * files.
 *
 * receives: { id, path, groups: string[], maxAttributes, maxTextBytes }
 * posts, for each:
 *   { id, type: 'read', groups: [{ path, state: 'group' | 'missing' | 'link' | 'other',
 *       attributes: [{ name, text } | { name, bytes }], skipped }] }
 *   { id, type: 'not-hdf5', detail }   the HDF5 library finds no HDF5 superblock
 *   { id, type: 'failed', detail }     it found one but could not read on
 */
import { parentPort } from 'node:worker_threads';

// Nothing the library prints reaches the user's terminal or the CI log. The worker's output is
// dropped here rather than piped to the parent: a piped stdio stream keeps the parent's event loop
// alive, so an idle worker would stop the CLI from exiting. h5wasm is imported after this, so
// that its print functions, bound when it loads, write to the silenced streams.
for (const stream of [process.stdout, process.stderr]) {
  stream.write = (_chunk, encoding, callback) => {
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => done());
    return true;
  };
}

const h5wasm = await import('h5wasm/node');

/** Read first, whatever the bound on attributes: what Keras itself loads. */
const KERAS_ATTRIBUTES = ['model_config', 'training_config'];

const Module = await h5wasm.ready;
// HDF5 errors become exceptions carrying the library's error stack instead of lines on stderr.
Module.activate_throwing_error_handler();

parentPort.on('message', (request) => parentPort.postMessage({ id: request.id, ...read(request) }));

function read({ path, groups, maxAttributes, maxTextBytes }) {
  let file;
  try {
    file = new h5wasm.File(path, 'r');
  } catch (error) {
    const stack = describe(error);
    // No signature, or a superblock whose first fields no version of the library decodes: no
    // HDF5 reader (h5py, which Keras uses, included) opens it, so nothing in it can be loaded.
    const type = /file signature not found|H5F__superblock_prefix_decode/.test(stack) ? 'not-hdf5' : 'failed';
    return { type, detail: innermost(stack) };
  }
  try {
    return {
      type: 'read',
      groups: groups.map((group) => readGroup(file, group, maxAttributes, maxTextBytes)),
    };
  } catch (error) {
    return { type: 'failed', detail: innermost(describe(error)) };
  } finally {
    file.close();
  }
}

function readGroup(file, group, maxAttributes, maxTextBytes) {
  const result = { path: group, state: 'group', attributes: [], skipped: 0 };
  if (group !== '/') {
    // Soft and external links are not followed: an external link would have the library open
    // another file of this machine's, which no finding needs. These two look at the link itself
    // (H5Lget_info2), and fail when there is none; get_type follows links, so it comes last.
    let soft;
    try {
      soft = Module.get_symbolic_link(file.file_id, group);
    } catch {
      return { ...result, state: 'missing' };
    }
    if (soft !== null || typeof Module.get_external_link(file.file_id, group)?.filename === 'string')
      return { ...result, state: 'link' };
    if (file.get_type(group) !== Module.H5G_GROUP) return { ...result, state: 'other' };
  }
  const names = Module.get_attribute_names(file.file_id, group);
  const first = KERAS_ATTRIBUTES.filter((name) => names.includes(name));
  const rest = names.filter((name) => !KERAS_ATTRIBUTES.includes(name));
  const chosen = [...first, ...rest.slice(0, Math.max(0, maxAttributes - first.length))];
  result.skipped = names.length - chosen.length;
  for (const name of chosen) {
    const attribute = readAttribute(file, group, name, maxTextBytes);
    if (attribute) result.attributes.push(attribute);
  }
  return result;
}

/**
 * One attribute's text, when it is a single string: Keras decodes the `str` or `bytes` h5py gives
 * it, so an array, a number or a compound is no configuration Keras could load.
 */
function readAttribute(file, group, name, maxTextBytes) {
  const metadata = Module.get_attribute_metadata(file.file_id, group, name);
  if (metadata.type !== Module.H5T_class_t.H5T_STRING.value || metadata.total_size !== 1) return undefined;
  // A fixed-length string's size is known before it is read; a variable-length one's is not, and
  // is bounded by the heap limit and the file's size.
  if (!metadata.vlen && metadata.size > maxTextBytes) return { name, bytes: metadata.size };
  const value = new h5wasm.Attribute(file.file_id, group, name).value;
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string') return undefined;
  if (text.length > maxTextBytes) return { name, bytes: text.length };
  return { name, text };
}

function describe(error) {
  return error instanceof Error ? error.message : String(error);
}

/** The deepest entry of an HDF5 error stack ("… in H5F__super_read(): truncated file: …"), or the message. */
function innermost(stack) {
  const entries = stack
    .split('\n')
    .map((line) => /^\s*#\d+: .* in (\w+\(\)): (.*)$/.exec(line))
    .filter((match) => match !== null);
  const last = entries.at(-1);
  return last ? `${last[2]} (${last[1]})` : stack.split('\n')[0].slice(0, 500);
}
