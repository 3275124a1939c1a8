/**
 * The ledger's Merkle tree (RFC 6962, leaves = the records' DSSE payload bytes) as the O(log n)
 * roots of its perfect subtrees: enough to add one record and give the new root, so a run that read
 * only the head computes the checkpoint of the whole ledger. Each record carries the state of the
 * tree before it (`chain.tree`), signed with the rest of the record; full verification recomputes it.
 */
import { LedgerError } from '../errors.js';
import { leafHash, MerkleAccumulator } from './merkle.js';
import type { ChainTree } from '../record/predicate.js';

/** An immutable view of the tree: each append gives a new state, as records do. */
export class TreeState {
  private constructor(private readonly tree: MerkleAccumulator) {}

  static empty(): TreeState {
    return new TreeState(new MerkleAccumulator());
  }

  /** The state a record carries; malformed states are a CHAIN error naming the record. */
  static fromRecord(tree: ChainTree, what: string): TreeState {
    try {
      return new TreeState(
        MerkleAccumulator.fromState({
          size: tree.size,
          subtreeRoots: tree.hashes.map((hex) => Buffer.from(hex, 'hex')),
        }),
      );
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      throw new LedgerError('CHAIN', `${what}: chain.tree is not a tree state (${error.message})`, {
        field: 'chain.tree',
        cause: error,
      });
    }
  }

  static ofLeaves(payloads: Iterable<Buffer>): TreeState {
    const tree = new MerkleAccumulator();
    for (const payload of payloads) tree.push(leafHash(payload));
    return new TreeState(tree);
  }

  get size(): number {
    return this.tree.size;
  }

  /** The state with one more record (its DSSE payload bytes) appended. */
  append(payload: Buffer): TreeState {
    return this.appendLeafHash(leafHash(payload));
  }

  appendLeafHash(hash: Buffer): TreeState {
    const next = this.tree.clone();
    next.push(hash);
    return new TreeState(next);
  }

  /** The RFC 6962 root. */
  root(): Buffer {
    return this.tree.root();
  }

  toRecord(): ChainTree {
    const { size, subtreeRoots } = this.tree.state();
    return { size, hashes: subtreeRoots.map((hash) => hash.toString('hex')) };
  }

  equals(other: TreeState): boolean {
    const a = this.tree.state();
    const b = other.tree.state();
    return (
      a.size === b.size &&
      a.subtreeRoots.length === b.subtreeRoots.length &&
      a.subtreeRoots.every((hash, at) => hash.equals(b.subtreeRoots[at] as Buffer))
    );
  }
}
