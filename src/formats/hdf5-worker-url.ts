/**
 * Where the HDF5 reader's worker code is. Run from src/ (jest) or lib/ (the library), it is
 * hdf5-worker.mjs next to this file, which imports h5wasm from node_modules. The CLI and the Action
 * are single files: scripts/build.mjs replaces this module in their bundles with one that returns
 * the worker, bundled with h5wasm, from inside the bundle itself.
 */
export function hdf5WorkerUrl(): URL {
  return new URL('./hdf5-worker.mjs', import.meta.url);
}
