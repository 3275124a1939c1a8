import type { PutRequest, RecordRef, Store } from './types.js';

/**
 * The same store, reading each record and the listing once: verification reads every bundle for
 * the trust set-up and again to verify it, and a remote store would download it twice.
 * Only for reading a ledger; a writer must list again after it appends.
 */
export function readOnce(store: Store): Store {
  const bytes = new Map<string, Promise<Buffer>>();
  let refs: Promise<RecordRef[]> | undefined;
  const getAttachment = store.getAttachment?.bind(store);
  const getCheckpoint = store.getCheckpoint?.bind(store);
  const latestCheckpoint = store.latestCheckpoint?.bind(store);
  return {
    location: store.location,
    list: () => (refs ??= store.list()),
    get: (ref: RecordRef) => {
      let read = bytes.get(ref.name);
      if (!read) {
        read = store.get(ref);
        bytes.set(ref.name, read);
      }
      return read;
    },
    put: (request: PutRequest) => store.put(request),
    remove: (ref: RecordRef) => store.remove(ref),
    publicKeys: () => store.publicKeys(),
    locate: (ref: RecordRef) => store.locate(ref),
    ...(getAttachment ? { getAttachment } : {}),
    ...(getCheckpoint ? { getCheckpoint } : {}),
    ...(latestCheckpoint ? { latestCheckpoint } : {}),
  };
}

/**
 * Reads every record of `refs` ahead, `concurrency` at a time, into a `readOnce` store's cache:
 * verification then walks the records in order without waiting on one read after another (for a
 * local ledger each read is a round trip through libuv's thread pool; for a remote one, a request).
 */
export async function prefetch(store: Store, refs: readonly RecordRef[], concurrency = 8): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < refs.length) {
      const ref = refs[next++] as RecordRef;
      // A failed read is the verifier's to report, when it asks for the record in order.
      await store.get(ref).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, refs.length) }, worker));
}
