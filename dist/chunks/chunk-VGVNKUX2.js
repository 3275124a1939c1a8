import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);

// src/store/read-once.ts
function readOnce(store) {
  const bytes = /* @__PURE__ */ new Map();
  let refs;
  const getAttachment = store.getAttachment?.bind(store);
  const getCheckpoint = store.getCheckpoint?.bind(store);
  const latestCheckpoint = store.latestCheckpoint?.bind(store);
  return {
    location: store.location,
    list: () => refs ??= store.list(),
    get: (ref) => {
      let read = bytes.get(ref.name);
      if (!read) {
        read = store.get(ref);
        bytes.set(ref.name, read);
      }
      return read;
    },
    put: (request) => store.put(request),
    remove: (ref) => store.remove(ref),
    publicKeys: () => store.publicKeys(),
    locate: (ref) => store.locate(ref),
    ...getAttachment ? { getAttachment } : {},
    ...getCheckpoint ? { getCheckpoint } : {},
    ...latestCheckpoint ? { latestCheckpoint } : {}
  };
}
async function prefetch(store, refs, concurrency = 8) {
  let next = 0;
  const worker = async () => {
    while (next < refs.length) {
      const ref = refs[next++];
      await store.get(ref).catch(() => void 0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, refs.length) }, worker));
}

export {
  readOnce,
  prefetch
};
