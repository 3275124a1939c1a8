import type { PutRequest, RecordRef, Store } from './types.js';

/**
 * The same store, reading each record and the listing once: verification reads every bundle for
 * the trust set-up and again to verify it, and a remote store would download it twice.
 * Only for reading a ledger; a writer must list again after it appends.
 */
export function readOnce(store: Store): Store {
  const bytes = new Map<string, Promise<Buffer>>();
  // A local file is read again at the cost of a system call: keeping every bundle of a long
  // ledger in memory would cost more. Readers check the digest of what they read again.
  const keep = store.localReads !== true;
  let refs: Promise<RecordRef[]> | undefined;
  const getAttachment = store.getAttachment?.bind(store);
  const getCheckpoint = store.getCheckpoint?.bind(store);
  const latestCheckpoint = store.latestCheckpoint?.bind(store);
  const getSync = store.getSync?.bind(store);
  const stamp = store.stamp?.bind(store);
  return {
    location: store.location,
    ...(store.localReads === undefined ? {} : { localReads: store.localReads }),
    list: () => (refs ??= store.list()),
    get: (ref: RecordRef) => {
      let read = bytes.get(ref.name);
      if (!read) {
        read = store.get(ref);
        if (keep) bytes.set(ref.name, read);
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
    ...(getSync ? { getSync } : {}),
    ...(stamp ? { stamp } : {}),
  };
}
