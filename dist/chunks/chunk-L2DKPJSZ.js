import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";

// src/checkpoint/note.ts
import {
  createHash as createHash2,
  createPublicKey,
  sign as signBytes,
  verify as verifyBytes
} from "node:crypto";

// src/checkpoint/merkle.ts
import { createHash, hash as digest } from "node:crypto";
var HASH_SIZE = 32;
var LEAF_PREFIX = Buffer.from([0]);
var NODE_PREFIX = Buffer.from([1]);
var EMPTY_ROOT = createHash("sha256").digest();
function leafHash(data) {
  return digest("sha256", Buffer.concat([LEAF_PREFIX, data]), "buffer");
}
var nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = 1;
function nodeHash(left, right) {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    return createHash("sha256").update(NODE_PREFIX).update(left).update(right).digest();
  }
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 1 + HASH_SIZE);
  return digest("sha256", nodeInput, "buffer");
}
var MerkleAccumulator = class _MerkleAccumulator {
  #size = 0;
  /** Roots of the perfect subtrees, largest (leftmost) first; their heights are size's set bits. */
  #stack = [];
  /** A tree of `leafHashes`, ready to take more. */
  static of(leafHashes) {
    const accumulator = new _MerkleAccumulator();
    for (const hash of leafHashes) accumulator.push(hash);
    return accumulator;
  }
  /**
   * Resumes from a saved `state()`: `subtreeRoots` must be exactly what `state()` gave for `size`.
   * Nothing here can check that they match any leaves; verify the resulting root against a
   * trusted checkpoint before relying on it.
   */
  static fromState(state) {
    const { size, subtreeRoots } = state;
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new LedgerError("CHECKPOINT", `tree size ${String(size)} is not a non-negative integer`);
    }
    if (subtreeRoots.length !== popCount(size)) {
      throw new LedgerError(
        "CHECKPOINT",
        `a tree of ${size} leaves has ${popCount(size)} subtree roots, not ${subtreeRoots.length}`
      );
    }
    subtreeRoots.forEach((hash, index) => checkHash(hash, `subtree root ${index}`));
    const accumulator = new _MerkleAccumulator();
    accumulator.#size = size;
    accumulator.#stack = subtreeRoots.map((hash) => Buffer.from(hash));
    return accumulator;
  }
  /** Leaves pushed so far. */
  get size() {
    return this.#size;
  }
  /** Appends one leaf hash (see `leafHash`). */
  push(hash) {
    checkHash(hash, `leaf hash ${this.#size}`);
    let node = hash;
    for (let size = this.#size; size % 2 === 1; size = Math.floor(size / 2)) {
      node = nodeHash(this.#stack.pop(), node);
    }
    this.#stack.push(node);
    this.#size++;
  }
  /** The RFC 6962 root of the leaves pushed so far; `EMPTY_ROOT` when none. */
  root() {
    let node = this.#stack[this.#stack.length - 1];
    if (node === void 0) return Buffer.from(EMPTY_ROOT);
    for (let index = this.#stack.length - 2; index >= 0; index--) {
      node = nodeHash(this.#stack[index], node);
    }
    return node;
  }
  /** What `fromState` resumes from: the size and the perfect subtrees' roots, largest first. */
  state() {
    return { size: this.#size, subtreeRoots: this.#stack.map((hash) => Buffer.from(hash)) };
  }
  /** An independent copy, to compute a root with extra leaves without changing this one. */
  clone() {
    return _MerkleAccumulator.fromState(this.state());
  }
};
var MerkleTree = class _MerkleTree {
  #levels;
  constructor(levels) {
    this.#levels = levels;
  }
  static of(leafHashes) {
    leafHashes.forEach((hash, index) => checkHash(hash, `leaf hash ${index}`));
    const levels = [leafHashes.map((hash) => Buffer.from(hash))];
    for (let below = levels[0]; below.length > 1; ) {
      const level = [];
      for (let index = 0; index + 1 < below.length; index += 2) {
        level.push(nodeHash(below[index], below[index + 1]));
      }
      if (below.length % 2 === 1) level.push(below[below.length - 1]);
      levels.push(level);
      below = level;
    }
    return new _MerkleTree(levels);
  }
  /** Leaves in the tree. */
  get size() {
    return this.#levels[0].length;
  }
  root() {
    const top = this.#levels[this.#levels.length - 1];
    return Buffer.from(top.length === 0 ? EMPTY_ROOT : top[0]);
  }
  /** As `inclusionProof` over the same leaves. */
  inclusionProof(index) {
    return auditPath(this.size, index, (low, high) => this.#range(low, high));
  }
  /** As `consistencyProof` over the same leaves. */
  consistencyProof(oldSize) {
    return prefixProof(this.size, oldSize, (low, high) => this.#range(low, high));
  }
  /** The node for [low, high): `low` is a multiple of 2^k and high - low ≤ 2^k, k the least such. */
  #range(low, high) {
    let level = 0;
    while (2 ** level < high - low) level++;
    return Buffer.from(this.#levels[level]?.[low / 2 ** level]);
  }
};
function auditPath(size, index, rangeRoot) {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new LedgerError(
      "CHECKPOINT",
      `no leaf ${String(index)} in a tree of ${size} leaves for an inclusion proof`
    );
  }
  const path = [];
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
function prefixProof(size, oldSize, rangeRoot) {
  if (!Number.isSafeInteger(oldSize) || oldSize < 0 || oldSize > size) {
    throw new LedgerError(
      "CHECKPOINT",
      `no consistency proof from size ${String(oldSize)} to a tree of ${size} leaves`
    );
  }
  if (oldSize === 0 || oldSize === size) return [];
  const proof = [];
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
function largestPowerOfTwoBelow(n) {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function popCount(n) {
  let count = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}
function isHash(value) {
  return Buffer.isBuffer(value) && value.length === HASH_SIZE;
}
function checkHash(hash, what) {
  if (!isHash(hash)) {
    throw new LedgerError("CHECKPOINT", `${what} is not a ${HASH_SIZE}-byte SHA-256 digest`);
  }
}

// src/checkpoint/note.ts
var MAX_SIGNATURES = 100;
var SIGNATURE_PREFIX = "\u2014 ";
var COSIGNATURE_HEADER = "cosignature/v1\n";
var MAX_TIMESTAMP = 2n ** 63n - 1n;
var TYPE_ED25519 = 1;
var TYPE_ECDSA = 2;
var TYPE_COSIGNATURE_V1 = 4;
var ECDSA_CURVES = /* @__PURE__ */ new Set(["prime256v1", "secp384r1", "secp521r1"]);
function formatCheckpointBody(fields) {
  const { origin, size, rootHash, extensions = [] } = fields;
  if (origin === "" || hasForbiddenCharacter(origin)) {
    throw new LedgerError(
      "CHECKPOINT",
      `origin ${JSON.stringify(origin)} is empty or holds a control character`
    );
  }
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new LedgerError("CHECKPOINT", `tree size ${String(size)} is not a non-negative integer`);
  }
  if (!Buffer.isBuffer(rootHash) || rootHash.length !== HASH_SIZE) {
    throw new LedgerError("CHECKPOINT", `root hash is not ${HASH_SIZE} bytes`);
  }
  for (const line of extensions) {
    if (line === "" || hasForbiddenCharacter(line)) {
      throw new LedgerError(
        "CHECKPOINT",
        `extension line ${JSON.stringify(line)} is empty or holds a control character`
      );
    }
  }
  return [origin, String(size), rootHash.toString("base64"), ...extensions].map((line) => `${line}
`).join("");
}
function parseNote(note, source) {
  const text = decodeNote(note, source);
  const fail = (message, line, fix) => {
    throw new LedgerError("CHECKPOINT", message, {
      ...source === void 0 ? {} : { file: source },
      ...line === void 0 ? {} : { field: `line ${line}` },
      ...fix === void 0 ? {} : { fix }
    });
  };
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    const bad = firstForbiddenCharacter(line);
    if (bad !== void 0) {
      fail(
        `holds the control character ${codePoint(bad)}`,
        index + 1,
        bad === 13 ? "write the note with Unix line endings (\\n), not \\r\\n" : void 0
      );
    }
  });
  if (!text.endsWith("\n")) fail("does not end with a newline", lines.length);
  lines.pop();
  const blank = lines.lastIndexOf("");
  if (blank === -1) fail("has no blank line between the text and the signatures", lines.length);
  if (blank === 0) fail("has an empty text before the signatures", 1);
  const signatureLines = lines.slice(blank + 1);
  if (signatureLines.length === 0) fail("has no signature line after the blank line", blank + 1);
  if (signatureLines.length > MAX_SIGNATURES) {
    fail(`has ${signatureLines.length} signature lines; at most ${MAX_SIGNATURES} are accepted`, blank + 2);
  }
  const signatures = signatureLines.map((line, offset) => {
    const parsed = parseSignatureLine(line);
    if (typeof parsed === "string") fail(parsed, blank + 2 + offset);
    return parsed;
  });
  return { text: `${lines.slice(0, blank).join("\n")}
`, signatures };
}
function parseCheckpointBody(body, source) {
  const fail = (message, line) => {
    throw new LedgerError("CHECKPOINT", message, {
      ...source === void 0 ? {} : { file: source },
      field: `line ${line}`
    });
  };
  if (!body.endsWith("\n")) fail("checkpoint text does not end with a newline", body.split("\n").length);
  const lines = body.slice(0, -1).split("\n");
  lines.forEach((line, index) => {
    const bad = firstForbiddenCharacter(line);
    if (bad !== void 0) fail(`holds the control character ${codePoint(bad)}`, index + 1);
  });
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === void 0 || origin === "") fail("the origin line is empty", 1);
  if (sizeLine === void 0) fail("the tree size line is missing", 2);
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) {
    fail(`tree size ${JSON.stringify(sizeLine)} is not a decimal number without leading zeros`, 2);
  }
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) fail(`tree size ${sizeLine} is too large`, 2);
  if (rootLine === void 0) fail("the root hash line is missing", 3);
  const rootHash = strictBase64(rootLine);
  if (rootHash === void 0 || rootHash.length !== HASH_SIZE) {
    fail(`root hash ${JSON.stringify(rootLine)} is not the base64 of ${HASH_SIZE} bytes`, 3);
  }
  extensions.forEach((line, index) => {
    if (line === "") fail("extension lines must not be empty", 4 + index);
  });
  return { origin, size, rootHash, extensions };
}
function parseCheckpoint(text, source) {
  const note = parseNote(text, source);
  const fields = parseCheckpointBody(note.text, source);
  return { ...fields, signatures: note.signatures, body: note.text };
}
function noteKeyId(name, publicKey) {
  return describeKey(name, publicKey).keyId;
}
function cosignatureKeyId(name, publicKey) {
  checkName(name);
  return typedKeyId(name, TYPE_COSIGNATURE_V1, ed25519Raw(toPublicKey(publicKey), name));
}
function noteSignatureLine(name, keyId, signature) {
  checkName(name);
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > 4294967295) {
    throw new LedgerError("CHECKPOINT", `key ID ${String(keyId)} is not a uint32`);
  }
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId);
  return `${SIGNATURE_PREFIX}${name} ${Buffer.concat([id, signature]).toString("base64")}
`;
}
function signNote(body, signer) {
  checkNoteText(body);
  const signers = isSignerList(signer) ? signer : [signer];
  if (signers.length === 0) throw new LedgerError("CHECKPOINT", "a note needs at least one signer");
  return `${body}
${signers.map((one) => signatureLine(body, one)).join("")}`;
}
function addSignature(note, signer) {
  const parsed = parseNote(note);
  const line = signatureLine(parsed.text, signer);
  return appendLine(parsed, signer.name, describeKey(signer.name, signer.privateKey).keyId, line);
}
function cosignatureLine(checkpointBody, witness, time) {
  parseCheckpointBody(checkpointBody);
  const publicKey = toPublicKey(witness.privateKey);
  const raw = ed25519Raw(publicKey, witness.name);
  checkName(witness.name);
  const timestamp = posixSeconds(time);
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(timestamp);
  const signature = signWith(null, cosignedMessage(checkpointBody, timestamp), witness);
  return noteSignatureLine(
    witness.name,
    typedKeyId(witness.name, TYPE_COSIGNATURE_V1, raw),
    Buffer.concat([stamp, signature])
  );
}
function addCosignature(note, witness, time) {
  const parsed = parseNote(note);
  const line = cosignatureLine(parsed.text, witness, time);
  return appendLine(parsed, witness.name, cosignatureKeyId(witness.name, witness.privateKey), line);
}
function verifyNote(note, verifiers, source) {
  const parsed = parseNote(note, source);
  const known = knownKeys(verifiers);
  const verified = [];
  const signatures = [];
  const seen = /* @__PURE__ */ new Set();
  const unknown = /* @__PURE__ */ new Set();
  for (const signature of parsed.signatures) {
    const key = known.get(keyLabel(signature.name, signature.keyId));
    if (key === void 0) {
      unknown.add(signature.line);
      continue;
    }
    const timestamp = checkSignature(parsed.text, signature, key, source);
    const label = keyLabel(signature.name, signature.keyId);
    if (seen.has(label)) continue;
    seen.add(label);
    if (!verified.includes(signature.name)) verified.push(signature.name);
    signatures.push({
      name: signature.name,
      keyId: signature.keyId,
      type: key.type,
      ...timestamp === void 0 ? {} : { timestamp }
    });
  }
  return { verified, unknown: unknown.size, verifiedSignatures: signatures };
}
function describeKey(name, key) {
  checkName(name);
  const publicKey = toPublicKey(key);
  if (publicKey.asymmetricKeyType === "ed25519") {
    const material = ed25519Raw(publicKey, name);
    return {
      type: "ed25519",
      typeByte: TYPE_ED25519,
      keyId: typedKeyId(name, TYPE_ED25519, material),
      material,
      publicKey
    };
  }
  if (publicKey.asymmetricKeyType === "ec") {
    const curve = publicKey.asymmetricKeyDetails?.namedCurve ?? "unknown";
    if (!ECDSA_CURVES.has(curve)) {
      throw new LedgerError("KEY", `the ECDSA key for ${name} is on curve ${curve}`, {
        fix: "use a P-256 key (P-384 and P-521 are also accepted by signed notes)"
      });
    }
    const material = publicKey.export({ type: "spki", format: "der" });
    const keyId = createHash2("sha256").update(material).digest().readUInt32BE(0);
    return { type: "ecdsa", typeByte: TYPE_ECDSA, keyId, material, publicKey };
  }
  throw new LedgerError(
    "KEY",
    `the ${publicKey.asymmetricKeyType ?? "unknown"} key for ${name} cannot sign notes`,
    {
      fix: "use an ECDSA P-256 or an Ed25519 key"
    }
  );
}
function knownKeys(verifiers) {
  const known = /* @__PURE__ */ new Map();
  const add = (name, description) => {
    const label = keyLabel(name, description.keyId);
    if (!known.has(label)) known.set(label, description);
  };
  for (const verifier of verifiers) {
    const description = describeKey(verifier.name, verifier.publicKey);
    add(verifier.name, description);
    if (description.type === "ed25519") {
      add(verifier.name, {
        ...description,
        type: "cosignature/v1",
        typeByte: TYPE_COSIGNATURE_V1,
        keyId: typedKeyId(verifier.name, TYPE_COSIGNATURE_V1, description.material)
      });
    }
  }
  return known;
}
function checkSignature(text, signature, key, source) {
  const reject = (why) => {
    throw new LedgerError(
      "VERIFICATION_FAILED",
      `the signature by ${keyLabel(signature.name, signature.keyId)} ${why}`,
      {
        ...source === void 0 ? {} : { file: source },
        fix: "the note was changed after it was signed, or the signature line is corrupt"
      }
    );
  };
  const data = Buffer.from(text, "utf8");
  if (key.type === "cosignature/v1") {
    if (signature.signature.length !== 8 + 64)
      reject("is not a cosignature/v1 (8-byte time and 64-byte Ed25519)");
    const timestamp = signature.signature.readBigUInt64BE(0);
    if (timestamp > MAX_TIMESTAMP) reject("carries a timestamp beyond 2^63 - 1");
    const ok2 = safeVerify(
      null,
      cosignedMessage(text, timestamp),
      key.publicKey,
      signature.signature.subarray(8)
    );
    if (!ok2) reject("does not verify");
    return new Date(Number(timestamp) * 1e3);
  }
  const ok = safeVerify(key.type === "ecdsa" ? "sha256" : null, data, key.publicKey, signature.signature);
  if (!ok) reject("does not verify");
  return void 0;
}
function safeVerify(algorithm, data, key, signature) {
  try {
    return verifyBytes(algorithm, data, key, signature);
  } catch {
    return false;
  }
}
function signatureLine(body, signer) {
  const key = describeKey(signer.name, signer.privateKey);
  const signature = signWith(key.type === "ecdsa" ? "sha256" : null, Buffer.from(body, "utf8"), signer);
  return noteSignatureLine(signer.name, key.keyId, signature);
}
function signWith(algorithm, data, signer) {
  if (signer.privateKey.type !== "private") {
    throw new LedgerError("KEY", `the key given to sign as ${signer.name} is not a private key`);
  }
  try {
    return signBytes(algorithm, data, signer.privateKey);
  } catch (error) {
    throw new LedgerError("SIGNING", `signing the note as ${signer.name} failed (${describeError(error)})`, {
      cause: error
    });
  }
}
function isSignerList(signer) {
  return Array.isArray(signer);
}
function appendLine(parsed, name, keyId, line) {
  const kept = parsed.signatures.filter(
    (signature) => !(signature.name === name && signature.keyId === keyId)
  );
  if (kept.length + 1 > MAX_SIGNATURES) {
    throw new LedgerError(
      "CHECKPOINT",
      `the note already has ${kept.length} signatures; at most ${MAX_SIGNATURES}`
    );
  }
  return `${parsed.text}
${kept.map((signature) => `${signature.line}
`).join("")}${line}`;
}
function cosignedMessage(checkpointBody, timestamp) {
  return Buffer.from(`${COSIGNATURE_HEADER}time ${timestamp.toString()}
${checkpointBody}`, "utf8");
}
function parseSignatureLine(line) {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    return 'is not a signature line ("\u2014 <key name> <base64 signature>", with an em dash U+2014)';
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(" ");
  if (space === -1) return "signature line has no space between key name and signature";
  const name = rest.slice(0, space);
  const encoded = rest.slice(space + 1);
  if (!isValidName(name)) return `key name ${JSON.stringify(name)} is empty or holds a space or '+'`;
  const bytes = strictBase64(encoded);
  if (bytes === void 0) return `signature by ${name} is not standard base64`;
  if (bytes.length < 5) return `signature by ${name} is shorter than a key ID and a signature`;
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4), line };
}
function decodeNote(note, source) {
  if (typeof note === "string") {
    if (!isWellFormed(note)) {
      throw new LedgerError("CHECKPOINT", "holds a lone UTF-16 surrogate: it is not valid UTF-8 text", {
        ...source === void 0 ? {} : { file: source }
      });
    }
    return note;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(note);
  } catch (error) {
    throw new LedgerError("CHECKPOINT", "is not valid UTF-8", {
      ...source === void 0 ? {} : { file: source },
      cause: error
    });
  }
}
function checkNoteText(body) {
  if (body === "" || !body.endsWith("\n")) {
    throw new LedgerError("CHECKPOINT", "note text must be non-empty and end with a newline");
  }
  if (body.endsWith("\n\n") || body === "\n") {
    throw new LedgerError("CHECKPOINT", "note text must not end with an empty line");
  }
  if (body.split("\n").some((line) => firstForbiddenCharacter(line) !== void 0)) {
    throw new LedgerError("CHECKPOINT", "note text holds a control character other than newline");
  }
  if (!isWellFormed(body)) {
    throw new LedgerError("CHECKPOINT", "note text holds a lone UTF-16 surrogate, which UTF-8 cannot carry");
  }
}
function isWellFormed(text) {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
function checkName(name) {
  if (!isValidName(name)) {
    throw new LedgerError(
      "KEY",
      `key name ${JSON.stringify(name)} is empty or holds a space, '+' or a control character`,
      {
        fix: "name keys like a URL without scheme, e.g. example.com/ledger"
      }
    );
  }
}
function isValidName(name) {
  return name !== "" && !/[\s+]/u.test(name) && !hasForbiddenCharacter(name);
}
function strictBase64(text) {
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? bytes : void 0;
}
function typedKeyId(name, type, material) {
  return createHash2("sha256").update(Buffer.from(`${name}
`, "utf8")).update(Buffer.from([type])).update(material).digest().readUInt32BE(0);
}
function ed25519Raw(publicKey, name) {
  if (publicKey.asymmetricKeyType !== "ed25519") {
    throw new LedgerError(
      "KEY",
      `the key for ${name} is ${publicKey.asymmetricKeyType ?? "unknown"}, not Ed25519`,
      {
        fix: "witness cosignatures (cosignature/v1) need an Ed25519 key"
      }
    );
  }
  const { x } = publicKey.export({ format: "jwk" });
  return Buffer.from(x, "base64url");
}
function toPublicKey(key) {
  return key.type === "private" ? createPublicKey(key) : key;
}
function posixSeconds(time) {
  const ms = time.getTime();
  if (!Number.isFinite(ms) || ms < 0) {
    throw new LedgerError("CHECKPOINT", `cosignature time ${String(time)} is not a time after 1970`);
  }
  return BigInt(Math.floor(ms / 1e3));
}
function keyLabel(name, keyId) {
  return `${name}+${keyId.toString(16).padStart(8, "0")}`;
}
function firstForbiddenCharacter(line) {
  for (let index = 0; index < line.length; index++) {
    const code = line.charCodeAt(index);
    if (code < 32) return code;
  }
  return void 0;
}
function codePoint(code) {
  return `U+${code.toString(16).padStart(4, "0").toUpperCase()}`;
}
function hasForbiddenCharacter(text) {
  return firstForbiddenCharacter(text) !== void 0;
}

export {
  leafHash,
  MerkleAccumulator,
  MerkleTree,
  formatCheckpointBody,
  parseNote,
  parseCheckpoint,
  noteKeyId,
  noteSignatureLine,
  signNote,
  addSignature,
  cosignatureLine,
  addCosignature,
  verifyNote
};
