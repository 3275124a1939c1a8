import type { PutRequest, RecordRef, Store, StoredCheckpoint } from './types.js';

/**
 * A pull request's view of a ledger: it reads the ledger (to link to its head and to compare with
 * it) and keeps its own record aside, in `scratch`. Only merged changes enter the ledger; a pull
 * request's record is signed and linked, shown on the pull request, and not uploaded.
 */
export class PreviewStore implements Store {
  readonly location: string;
  /** A preview is never raced for: it is the only record in its scratch store. */
  readonly exclusiveIndex = true;
  private readonly own = new Set<string>();

  constructor(
    private readonly ledger: Store,
    private readonly scratch: Store,
  ) {
    this.location = `${ledger.location} (pull request preview in ${scratch.location})`;
  }

  /** The ledger's records: a preview never counts as part of it, so it cannot fork it. */
  list(): Promise<RecordRef[]> {
    return this.ledger.list();
  }

  recent(count: number): Promise<RecordRef[]> {
    return this.ledger.recent ? this.ledger.recent(count) : this.ledger.list();
  }

  async recordsAt(index: number): Promise<RecordRef[]> {
    return this.ledger.recordsAt
      ? this.ledger.recordsAt(index)
      : (await this.ledger.list()).filter((ref) => ref.index === index);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | null> {
    return (await this.ledger.latestCheckpoint?.()) ?? null;
  }

  get(ref: RecordRef): Promise<Buffer> {
    return this.own.has(ref.name) ? this.scratch.get(ref) : this.ledger.get(ref);
  }

  async put(request: PutRequest): Promise<RecordRef> {
    const ref = await this.scratch.put(request);
    this.own.add(ref.name);
    return ref;
  }

  async remove(ref: RecordRef): Promise<void> {
    await this.scratch.remove(ref);
    this.own.delete(ref.name);
  }

  async publicKeys(): Promise<Map<string, string>> {
    return new Map([...(await this.ledger.publicKeys()), ...(await this.scratch.publicKeys())]);
  }

  async getAttachment(name: string): Promise<Buffer | null> {
    return (await this.scratch.getAttachment?.(name)) ?? (await this.ledger.getAttachment?.(name)) ?? null;
  }

  locate(ref: RecordRef): string {
    return this.own.has(ref.name) ? this.scratch.locate(ref) : this.ledger.locate(ref);
  }
}
