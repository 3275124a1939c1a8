import { createHash, hash as digest } from 'node:crypto';

import { LedgerError } from '../errors.js';

/**
 * The RFC 6962 / RFC 9162 Merkle tree with SHA-256, over the ledger's records as leaves:
 * leaf hash `SHA-256(0x00 || data)`, interior node `SHA-256(0x01 || left || right)`, and for n > 1
 * leaves `MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n]))` with k the largest power of two below n.
 * The domain-separation bytes keep a leaf from ever being passed off as an interior node.
 *
 * Builders take leaf hashes (not leaf data) so that a caller hashes each record once and reuses the
 * hashes for the root and every proof. Sizes and indexes are JavaScript numbers: safe integers, far
 * beyond any ledger's length.
 */

/** Bytes of a SHA-256 digest: every leaf hash, node hash, root and proof element. */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). Shared: do not write to it. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** `SHA-256(0x00 || data)`: the hash of one leaf, here a record's DSSE payload bytes. */
export function leafHash(data: Buffer): Buffer {
  return digest('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer');
}

/**
 * One scratch buffer for `0x01 || left || right`: with the one-shot `crypto.hash` this is several
 * times faster than a Hash object per node, which is what a 100k-record root is made of.
 * Safe to share: nothing here is asynchronous.
 */
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;

/** `SHA-256(0x01 || left || right)`: the hash of an interior node. */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
  }
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 1 + HASH_SIZE);
  return digest('sha256', nodeInput, 'buffer');
}

/**
 * Appends leaf hashes one at a time and gives the root of the tree so far, keeping only the roots
 * of the perfect subtrees that make up the tree (one per set bit of the size, so O(log n) memory
 * and one node hash per leaf on average). The way to add record N+1 to a ledger of N.
 */
export class MerkleAccumulator {
  #size = 0;
  /** Roots of the perfect subtrees, largest (leftmost) first; their heights are size's set bits. */
  #stack: Buffer[] = [];

  /** A tree of `leafHashes`, ready to take more. */
  static of(leafHashes: readonly Buffer[]): MerkleAccumulator {
    const accumulator = new MerkleAccumulator();
    for (const hash of leafHashes) accumulator.push(hash);
    return accumulator;
  }

  /**
   * Resumes from a saved `state()`: `subtreeRoots` must be exactly what `state()` gave for `size`.
   * Nothing here can check that they match any leaves; verify the resulting root against a
   * trusted checkpoint before relying on it.
   */
  static fromState(state: { size: number; subtreeRoots: readonly Buffer[] }): MerkleAccumulator {
    const { size, subtreeRoots } = state;
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new LedgerError('CHECKPOINT', `tree size ${String(size)} is not a non-negative integer`);
    }
    if (subtreeRoots.length !== popCount(size)) {
      throw new LedgerError(
        'CHECKPOINT',
        `a tree of ${size} leaves has ${popCount(size)} subtree roots, not ${subtreeRoots.length}`,
      );
    }
    subtreeRoots.forEach((hash, index) => checkHash(hash, `subtree root ${index}`));
    const accumulator = new MerkleAccumulator();
    accumulator.#size = size;
    accumulator.#stack = subtreeRoots.map((hash) => Buffer.from(hash));
    return accumulator;
  }

  /** Leaves pushed so far. */
  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash (see `leafHash`). */
  push(hash: Buffer): void {
    checkHash(hash, `leaf hash ${this.#size}`);
    let node = hash;
    // Each trailing set bit of the old size is a perfect subtree the new leaf completes.
    for (let size = this.#size; size % 2 === 1; size = Math.floor(size / 2)) {
      node = nodeHash(this.#stack.pop() as Buffer, node);
    }
    this.#stack.push(node);
    this.#size++;
  }

  /** The RFC 6962 root of the leaves pushed so far; `EMPTY_ROOT` when none. */
  root(): Buffer {
    let node = this.#stack[this.#stack.length - 1];
    if (node === undefined) return Buffer.from(EMPTY_ROOT);
    for (let index = this.#stack.length - 2; index >= 0; index--) {
      node = nodeHash(this.#stack[index] as Buffer, node);
    }
    return node;
  }

  /** What `fromState` resumes from: the size and the perfect subtrees' roots, largest first. */
  state(): { size: number; subtreeRoots: Buffer[] } {
    return { size: this.#size, subtreeRoots: this.#stack.map((hash) => Buffer.from(hash)) };
  }

  /** An independent copy, to compute a root with extra leaves without changing this one. */
  clone(): MerkleAccumulator {
    return MerkleAccumulator.fromState(this.state());
  }
}

/** The RFC 6962 root over leaf hashes, in O(n) time and O(log n) extra memory. */
export function merkleRoot(leafHashes: readonly Buffer[]): Buffer {
  return subtreeRoot(leafHashes, 0, leafHashes.length);
}

/**
 * The inclusion proof (audit path) of leaf `index` in the tree of all `leafHashes`, RFC 9162
 * §2.1.3.1: sibling subtree roots from the leaf up to the root. O(n) per proof; for many proofs
 * of one tree, build a `MerkleTree` once.
 */
export function inclusionProof(leafHashes: readonly Buffer[], index: number): Buffer[] {
  return auditPath(leafHashes.length, index, (low, high) => subtreeRoot(leafHashes, low, high));
}

/**
 * The consistency proof that the tree of the first `oldSize` leaves is a prefix of the tree of all
 * `leafHashes`, RFC 9162 §2.1.4.1. Empty when `oldSize` is 0 or the whole tree: those need no proof
 * (and `verifyConsistency` refuses oldSize 0, see there).
 */
export function consistencyProof(leafHashes: readonly Buffer[], oldSize: number): Buffer[] {
  return prefixProof(leafHashes.length, oldSize, (low, high) => subtreeRoot(leafHashes, low, high));
}

/**
 * A whole tree kept in memory (about 2n hashes), for many proofs of one tree: built in O(n), then
 * each proof in O(log n) — an evidence pack proving each of its records, say.
 *
 * Level 0 holds the leaf hashes; each level above pairs neighbours and carries a last unpaired
 * node up unchanged. Node j of level k is then the RFC 6962 root of leaves
 * [j·2^k, min((j+1)·2^k, n)), which is every range the proof recursions ask for.
 */
export class MerkleTree {
  readonly #levels: Buffer[][];

  private constructor(levels: Buffer[][]) {
    this.#levels = levels;
  }

  static of(leafHashes: readonly Buffer[]): MerkleTree {
    leafHashes.forEach((hash, index) => checkHash(hash, `leaf hash ${index}`));
    const levels: Buffer[][] = [leafHashes.map((hash) => Buffer.from(hash))];
    for (let below = levels[0] as Buffer[]; below.length > 1;) {
      const level: Buffer[] = [];
      for (let index = 0; index + 1 < below.length; index += 2) {
        level.push(nodeHash(below[index] as Buffer, below[index + 1] as Buffer));
      }
      if (below.length % 2 === 1) level.push(below[below.length - 1] as Buffer);
      levels.push(level);
      below = level;
    }
    return new MerkleTree(levels);
  }

  /** Leaves in the tree. */
  get size(): number {
    return (this.#levels[0] as Buffer[]).length;
  }

  root(): Buffer {
    const top = this.#levels[this.#levels.length - 1] as Buffer[];
    return Buffer.from(top.length === 0 ? EMPTY_ROOT : (top[0] as Buffer));
  }

  /** As `inclusionProof` over the same leaves. */
  inclusionProof(index: number): Buffer[] {
    return auditPath(this.size, index, (low, high) => this.#range(low, high));
  }

  /** As `consistencyProof` over the same leaves. */
  consistencyProof(oldSize: number): Buffer[] {
    return prefixProof(this.size, oldSize, (low, high) => this.#range(low, high));
  }

  /** The node for [low, high): `low` is a multiple of 2^k and high - low ≤ 2^k, k the least such. */
  #range(low: number, high: number): Buffer {
    let level = 0;
    while (2 ** level < high - low) level++;
    return Buffer.from(this.#levels[level]?.[low / 2 ** level] as Buffer);
  }
}

/** MTH of a range of leaves, by whichever means the caller has. */
type RangeRoot = (low: number, high: number) => Buffer;

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1, unrolled. */
function auditPath(size: number, index: number, rangeRoot: RangeRoot): Buffer[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new LedgerError(
      'CHECKPOINT',
      `no leaf ${String(index)} in a tree of ${size} leaves for an inclusion proof`,
    );
  }
  // Walks down from the root; siblings come out top first, the proof lists them bottom first.
  const path: Buffer[] = [];
  let low = 0;
  let high = size;
  let offset = index;
  while (high - low > 1) {
    const split = largestPowerOfTwoBelow(high - low);
    if (offset < split) {
      path.push(rangeRoot(low + split, high));
      high = low + split;
    } else {
      path.push(rangeRoot(low, low + split));
      low += split;
      offset -= split;
    }
  }
  return path.reverse();
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1, unrolled. */
function prefixProof(size: number, oldSize: number, rangeRoot: RangeRoot): Buffer[] {
  if (!Number.isSafeInteger(oldSize) || oldSize < 0 || oldSize > size) {
    throw new LedgerError(
      'CHECKPOINT',
      `no consistency proof from size ${String(oldSize)} to a tree of ${size} leaves`,
    );
  }
  if (oldSize === 0 || oldSize === size) return [];
  // SUBPROOF(m, D[low:high], whole) unrolled: nodes come out top first, the proof lists them
  // bottom first. `whole` stays true while the old tree is a left edge of the current subtree,
  // whose root the verifier already holds, so it is left out.
  const proof: Buffer[] = [];
  let low = 0;
  let high = size;
  let m = oldSize;
  let whole = true;
  while (m !== high - low) {
    const split = largestPowerOfTwoBelow(high - low);
    if (m <= split) {
      proof.push(rangeRoot(low + split, high));
      high = low + split;
    } else {
      proof.push(rangeRoot(low, low + split));
      low += split;
      m -= split;
      whole = false;
    }
  }
  if (!whole) proof.push(rangeRoot(low, high));
  return proof.reverse();
}

export interface InclusionCheck {
  /** Zero-based position of the leaf. */
  index: number;
  /** Leaves in the tree the root is of. */
  size: number;
  leafHash: Buffer;
  proof: readonly Buffer[];
  root: Buffer;
}

/**
 * Whether `proof` shows `leafHash` at `index` in the tree of `size` leaves with `root`
 * (RFC 9162 §2.1.3.2). Malformed input (a hash that is not 32 bytes, an index outside the tree, a
 * proof of the wrong length) is simply false. A root does not commit to its size by itself: a proof
 * for size n also passes for another size whose tree has the same shape along the path. Take size
 * and root together from one verified checkpoint, never from separate sources.
 */
export function verifyInclusion(check: InclusionCheck): boolean {
  const { index, size, leafHash: hash, proof, root } = check;
  if (!isIndex(index) || !isIndex(size) || index >= size) return false;
  if (!isHash(hash) || !isHash(root) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let node = hash;
  for (const sibling of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      node = nodeHash(sibling, node);
      // Past the right edge of a smaller last subtree: climb until this node is a right child.
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      node = nodeHash(node, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && node.equals(root);
}

export interface ConsistencyCheck {
  oldSize: number;
  newSize: number;
  oldRoot: Buffer;
  newRoot: Buffer;
  proof: readonly Buffer[];
}

/**
 * Whether `proof` shows the tree of `oldSize` leaves with `oldRoot` to be a prefix of the tree of
 * `newSize` leaves with `newRoot` (RFC 9162 §2.1.4.2).
 * - equal sizes: true exactly when the roots are equal and the proof is empty;
 * - oldSize 0: false. RFC 9162 defines proofs for 0 < oldSize only, and an empty tree anchors
 *   nothing (every tree extends it), so a caller holding a size-0 checkpoint has nothing to check;
 *   this matches the published transparency-dev/merkle vectors;
 * - oldSize > newSize, malformed hashes, a proof of the wrong length: false.
 * As for inclusion, each size must come from the verified checkpoint its root comes from.
 */
export function verifyConsistency(check: ConsistencyCheck): boolean {
  const { oldSize, newSize, oldRoot, newRoot, proof } = check;
  if (!isIndex(oldSize) || !isIndex(newSize) || oldSize === 0 || oldSize > newSize) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !proof.every(isHash)) return false;
  if (oldSize === newSize) return proof.length === 0 && oldRoot.equals(newRoot);
  if (proof.length === 0) return false;
  // An old tree that is a perfect left subtree is not in the proof: the verifier holds its root.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Buffer;
  let sr = fr;
  for (const node of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(node, fr);
      sr = nodeHash(node, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, node);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

/** MTH(D[low:high]) without copying the range; EMPTY_ROOT when it is empty. */
function subtreeRoot(leafHashes: readonly Buffer[], low: number, high: number): Buffer {
  const accumulator = new MerkleAccumulator();
  for (let index = low; index < high; index++) accumulator.push(leafHashes[index] as Buffer);
  return accumulator.root();
}

/** The largest power of two strictly below n (n ≥ 2): the split point k of RFC 9162 §2.1.1. */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return largestPowerOfTwoBelow(n + 1) === n;
}

function popCount(n: number): number {
  let count = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

function isIndex(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function isHash(value: unknown): value is Buffer {
  return Buffer.isBuffer(value) && value.length === HASH_SIZE;
}

function checkHash(hash: Buffer, what: string): void {
  if (!isHash(hash)) {
    throw new LedgerError('CHECKPOINT', `${what} is not a ${HASH_SIZE}-byte SHA-256 digest`);
  }
}
