/**
 * The ledger's Merkle tree (RFC 6962, leaves = the records' DSSE payload bytes) as the O(log n)
 * roots of its perfect subtrees: enough to add one record and give the new root, so a run that read
 * only the head computes the checkpoint of the whole ledger. Each record carries the state of the
 * tree before it (`chain.tree`), signed with the rest of the record; full verification recomputes it.
 */
import { LedgerError } from '../errors.js';
import { EMPTY_ROOT, leafHash, nodeHash } from './merkle.js';
import type { ChainTree } from '../record/predicate.js';

export class TreeState {
  private constructor(
    readonly size: number,
    /** Subtree roots, largest (leftmost) first: one per set bit of `size`. */
    private readonly hashes: Buffer[],
  ) {}

  static empty(): TreeState {
    return new TreeState(0, []);
  }

  /** The state a record carries; malformed states are a CHAIN error naming the record. */
  static fromRecord(tree: ChainTree, what: string): TreeState {
    const bits = popcount(tree.size);
    if (!Number.isSafeInteger(tree.size) || tree.size < 0 || tree.hashes.length !== bits) {
      throw new LedgerError(
        'CHAIN',
        `${what}: chain.tree holds ${tree.hashes.length} subtree hashes for size ${tree.size}, expected ${bits}`,
        { field: 'chain.tree' },
      );
    }
    return new TreeState(
      tree.size,
      tree.hashes.map((hex) => Buffer.from(hex, 'hex')),
    );
  }

  static ofLeaves(payloads: Iterable<Buffer>): TreeState {
    let state = TreeState.empty();
    for (const payload of payloads) state = state.append(payload);
    return state;
  }

  /** The state with one more record (its DSSE payload bytes) appended. */
  append(payload: Buffer): TreeState {
    return this.appendLeafHash(leafHash(payload));
  }

  appendLeafHash(hash: Buffer): TreeState {
    const hashes = [...this.hashes];
    let carry = hash;
    // Merge equal-height subtrees, as binary addition carries: one per trailing set bit of size.
    for (let size = this.size; size % 2 === 1; size = Math.floor(size / 2)) {
      carry = nodeHash(hashes.pop() as Buffer, carry);
    }
    hashes.push(carry);
    return new TreeState(this.size + 1, hashes);
  }

  /** The RFC 6962 root: subtree roots folded from the right. */
  root(): Buffer {
    if (this.hashes.length === 0) return EMPTY_ROOT;
    let root = this.hashes[this.hashes.length - 1] as Buffer;
    for (let at = this.hashes.length - 2; at >= 0; at--) root = nodeHash(this.hashes[at] as Buffer, root);
    return root;
  }

  toRecord(): ChainTree {
    return { size: this.size, hashes: this.hashes.map((hash) => hash.toString('hex')) };
  }

  equals(other: TreeState): boolean {
    return (
      this.size === other.size &&
      this.hashes.length === other.hashes.length &&
      this.hashes.every((hash, at) => hash.equals(other.hashes[at] as Buffer))
    );
  }
}

function popcount(value: number): number {
  let count = 0;
  for (let rest = value; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}
