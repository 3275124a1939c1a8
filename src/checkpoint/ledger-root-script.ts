/**
 * The standard-library Python script an evidence pack ships as `ledger-root.py`: it recomputes the
 * RFC 6962 root over a ledger directory's records and compares it with a checkpoint, so an auditor
 * checks the checkpoint without model-ledger. Kept as text here so that the bundled CLI carries it.
 */
export const LEDGER_ROOT_SCRIPT = String.raw`#!/usr/bin/env python3
"""Recompute a model-ledger's checkpoint root with nothing but Python 3's standard library.

Usage: ledger-root.py LEDGER_DIR [CHECKPOINT_FILE]
       ledger-root.py --inclusion PROOFS_JSON CHECKPOINT_FILE

The leaves are the records' DSSE payload bytes: the base64-decoded .dsseEnvelope.payload of each
NNNNNN-*.sigstore.json (or model-ledger-NNNNNN.sigstore.json, as release assets are named), in
index order, which must run 0, 1, 2, ... without a gap. RFC 6962: leaf hash SHA-256(0x00 ||
payload), node hash SHA-256(0x01 || left || right), the empty tree's root SHA-256(""). Prints the
tree size and the base64 root. Given a checkpoint (its second and third lines are size and root),
possibly an older one, exits 1 unless the ledger's first SIZE records have that root: the ledger
extends it. Checking the checkpoint's signature is a separate step (see VERIFY.md).

With --inclusion, checks each record a pack's proofs/inclusion.json lists against the checkpoint
alone, with its RFC 9162 inclusion proof: the record's file, read from the path the proof names,
is leaf INDEX of the checkpoint's tree. The records outside the range are not needed.
"""
import base64, hashlib, json, pathlib, re, sys


RECORD = re.compile(r"(?:model-ledger-)?(\d{6})(?:-.+)?\.sigstore\.json")


def sha256(data):
    return hashlib.sha256(data).digest()


def tree_root(hashes):  # RFC 6962 section 2.1: split at the largest power of two below n
    if len(hashes) == 0:
        return sha256(b"")
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return sha256(b"\x01" + tree_root(hashes[:k]) + tree_root(hashes[k:]))


def root_from_inclusion(index, size, leaf, path):  # RFC 9162 section 2.1.3.2
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = sha256(b"\x01" + p + r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = sha256(b"\x01" + r + p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def inclusion(proofs_file, checkpoint):
    size, root = (pathlib.Path(checkpoint).read_text(encoding="utf-8").split("\n") + ["", "", ""])[1:3]
    proofs = json.loads(pathlib.Path(proofs_file).read_text(encoding="utf-8"))
    if not size.isdigit() or proofs.get("treeSize") != int(size):
        sys.exit(f"INCONSISTENT: {proofs_file} proves inclusion in a tree of {proofs.get('treeSize')} records, {checkpoint} covers {size}")
    for proof in proofs["proofs"]:
        index, name = proof["index"], proof["file"]
        payload = base64.b64decode(json.loads(pathlib.Path(name).read_text(encoding="utf-8"))["dsseEnvelope"]["payload"], validate=True)
        if json.loads(payload)["predicate"]["chain"]["index"] != index:
            sys.exit(f"{name}: holds another record than number {index}")
        path = [bytes.fromhex(h) for h in proof["proof"]]
        computed = root_from_inclusion(index, int(size), sha256(b"\x00" + payload), path)
        if computed is None or base64.b64encode(computed).decode() != root:
            sys.exit(f"NOT INCLUDED: {name} is not record {index} of the tree of {checkpoint}")
        print(f"{name}: record {index} of {checkpoint}")


def main(ledger, checkpoint=None):
    folder = pathlib.Path(ledger)
    records = sorted((int(m.group(1)), p.name) for p in folder.iterdir() if (m := RECORD.fullmatch(p.name)))
    for expected, (index, name) in enumerate(records):
        if index != expected:
            sys.exit(f"{name}: expected record {expected:06d} here: a record is missing or duplicated")
    bundles = [json.loads((folder / name).read_text(encoding="utf-8")) for _, name in records]
    payloads = [base64.b64decode(b["dsseEnvelope"]["payload"], validate=True) for b in bundles]
    leaves = [sha256(b"\x00" + p) for p in payloads]
    print(f"size {len(leaves)}\nroot {base64.b64encode(tree_root(leaves)).decode()}")
    if checkpoint is not None:
        size, root = (pathlib.Path(checkpoint).read_text(encoding="utf-8").split("\n") + ["", "", ""])[1:3]
        if not size.isdigit() or int(size) > len(leaves):
            sys.exit(f"TRUNCATED: {checkpoint} covers {size} records, the ledger holds {len(leaves)}")
        if base64.b64encode(tree_root(leaves[: int(size)])).decode() != root:
            sys.exit(f"INCONSISTENT: the first {size} records do not have the root of {checkpoint}")
        print(f"{checkpoint}: the first {size} records have its root: the ledger extends it")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--inclusion":
        inclusion(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (2, 3) and not sys.argv[1].startswith("-"):
        main(*sys.argv[1:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
`;
