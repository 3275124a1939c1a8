#!/usr/bin/env python3
"""Recompute a model-ledger's checkpoint root with nothing but Python 3's standard library.

Usage: ledger-root.py LEDGER_DIR [CHECKPOINT_FILE]

The leaves are the records' DSSE payload bytes: the base64-decoded .dsseEnvelope.payload of each
NNNNNN-*.sigstore.json (or model-ledger-NNNNNN.sigstore.json, as release assets are named), in
index order, which must run 0, 1, 2, ... without a gap. RFC 6962: leaf hash SHA-256(0x00 ||
payload), node hash SHA-256(0x01 || left || right), the empty tree's root SHA-256(""). Prints the
tree size and the base64 root. Given a checkpoint (its second and third lines are size and root),
possibly an older one, exits 1 unless the ledger's first SIZE records have that root: the ledger
extends it. Checking the checkpoint's signature is a separate step (see VERIFY.md).
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
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(*sys.argv[1:])
