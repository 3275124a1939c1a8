import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  LedgerError,
  describeError,
  errnoCode
} from "./chunk-ICUNJ6NG.js";

// src/fs/bounded.ts
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
var BoundedRead = class {
  constructor(limit, display, options) {
    this.limit = limit;
    this.options = options;
    this.code = options.code ?? "BAD_INPUT";
    this.where = { file: display, ...options.field === void 0 ? {} : { field: options.field } };
  }
  limit;
  options;
  code;
  where;
  openFailed(error) {
    const missing = errnoCode(error) === "ENOENT";
    return new LedgerError(
      this.code,
      missing ? "does not exist" : `cannot be read (${describeError(error)})`,
      {
        ...this.where,
        cause: error,
        fix: this.options.fix ?? (missing ? "check the path" : "check the path and its permissions")
      }
    );
  }
  /** The buffer to read into, once the open file is known to be regular and small enough. */
  bufferFor(stats) {
    if (!stats.isFile()) {
      throw new LedgerError(this.code, `is not a regular file (it is ${fileKind(stats)})`, {
        ...this.where,
        fix: "name a regular file; model-ledger never reads FIFOs, devices or sockets"
      });
    }
    if (stats.size > this.limit) {
      throw new LedgerError(
        this.code,
        `is ${stats.size} bytes, more than the ${this.limit} such a file may have`,
        {
          ...this.where,
          fix: "name the right file; this one is far too large for what it should be"
        }
      );
    }
    return Buffer.alloc(Math.min(stats.size + 1, this.limit + 1));
  }
  result(buffer, read) {
    if (read > this.limit) {
      throw new LedgerError(
        this.code,
        `grew past the ${this.limit} bytes such a file may have while it was read`,
        {
          ...this.where,
          fix: "read it when nothing is writing to it"
        }
      );
    }
    return buffer.subarray(0, read);
  }
  readFailed(error) {
    if (error instanceof LedgerError) return error;
    return new LedgerError(this.code, `cannot be read (${describeError(error)})`, {
      ...this.where,
      cause: error
    });
  }
};
async function readBoundedFile(path, limit, display = path, options = {}) {
  const bounded = new BoundedRead(limit, display, options);
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw bounded.openFailed(error);
  }
  try {
    const buffer = bounded.bufferFor(await handle.stat());
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return bounded.result(buffer, read);
  } catch (error) {
    throw bounded.readFailed(error);
  } finally {
    await handle.close();
  }
}
function readBoundedFileSync(path, limit, display = path, options = {}) {
  const bounded = new BoundedRead(limit, display, options);
  let fd;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw bounded.openFailed(error);
  }
  try {
    const buffer = bounded.bufferFor(fstatSync(fd));
    let read = 0;
    while (read < buffer.length) {
      const bytesRead = readSync(fd, buffer, read, buffer.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return bounded.result(buffer, read);
  } catch (error) {
    throw bounded.readFailed(error);
  } finally {
    closeSync(fd);
  }
}
async function readBoundedText(path, limit, display = path, options = {}) {
  return (await readBoundedFile(path, limit, display, options)).toString("utf8");
}
function isMissingFile(error) {
  return error instanceof LedgerError && errnoCode(error.cause) === "ENOENT";
}
function fileKind(stats) {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  return "not a file";
}

// src/sign/keys.ts
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync
} from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
function generateKeyPair(algorithm = "p256") {
  const { privateKey, publicKey } = algorithm === "ed25519" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString()
  };
}
function keyHint(publicKey) {
  let hint = hints.get(publicKey);
  if (hint === void 0) {
    hint = createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex");
    hints.set(publicKey, hint);
  }
  return hint;
}
var hints = /* @__PURE__ */ new WeakMap();
function assertP256(key, file) {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== "ec" || curve !== "prime256v1") {
    const found = key.asymmetricKeyType === "ec" ? `EC ${curve ?? "unknown curve"}` : String(key.asymmetricKeyType);
    throw new LedgerError("KEY", `is a ${found} key; model-ledger signs with ECDSA P-256`, {
      file,
      fix: "create a key with `model-ledger keygen --out PREFIX`"
    });
  }
}
var MAX_KEY_FILE_BYTES = 64 * 1024;
async function readKeyFile(file) {
  try {
    return await readBoundedText(file, MAX_KEY_FILE_BYTES, file, { code: "KEY" });
  } catch (error) {
    const cause = error instanceof LedgerError ? error.cause : error;
    throw new LedgerError(
      "KEY",
      `cannot read key file (${describeError(error).replace(`${file}: `, "").replace(/ — .*$/, "")})`,
      {
        file,
        cause: cause ?? error,
        fix: errnoCode(cause) === "ENOENT" ? "check the path" : "check the file permissions"
      }
    );
  }
}
async function loadPrivateKey(file) {
  return parsePrivateKey(await readKeyFile(file), file);
}
function parsePrivateKey(pem, source) {
  if (!pem.includes("-----BEGIN PRIVATE KEY-----")) {
    const hint = pem.includes("PUBLIC KEY") ? "this is a public key" : 'expected a PKCS#8 "BEGIN PRIVATE KEY" block';
    throw new LedgerError("KEY", `not a PKCS#8 PEM private key (${hint})`, {
      file: source,
      fix: "convert with `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8.pem` or create one with `model-ledger keygen`"
    });
  }
  let key;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (error) {
    throw new LedgerError("KEY", `unreadable private key (${describeError(error)})`, {
      file: source,
      cause: error
    });
  }
  assertP256(key, source);
  return key;
}
async function loadPublicKey(file) {
  const pem = await readKeyFile(file);
  if (!pem.includes("-----BEGIN PUBLIC KEY-----")) {
    throw new LedgerError("KEY", 'not a PEM public key ("BEGIN PUBLIC KEY" block)', {
      file,
      fix: pem.includes("PRIVATE KEY") ? "pass the public half (PREFIX.pub.pem); never hand a private key to a verifier" : "pass the PREFIX.pub.pem written by `model-ledger keygen`"
    });
  }
  let key;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch (error) {
    throw new LedgerError("KEY", `unreadable public key (${describeError(error)})`, { file, cause: error });
  }
  assertP256(key, file);
  return key;
}
function publicKeyPem(key) {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  return publicKey.export({ type: "spki", format: "pem" }).toString();
}
async function writeKeyPair(prefix, algorithm = "p256") {
  const pair = generateKeyPair(algorithm);
  const privateKeyFile = `${prefix}.key.pem`;
  const publicKeyFile = `${prefix}.pub.pem`;
  await mkdir(dirname(privateKeyFile), { recursive: true });
  await writeExclusive(privateKeyFile, pair.privateKeyPem, 384);
  await writeExclusive(publicKeyFile, pair.publicKeyPem, 420);
  return { privateKeyFile, publicKeyFile };
}
async function writeExclusive(file, content, mode) {
  try {
    await writeFile(file, content, { mode, flag: "wx" });
  } catch (error) {
    if (errnoCode(error) === "EEXIST") {
      throw new LedgerError("BAD_INPUT", "already exists; refusing to overwrite a key", {
        file,
        cause: error,
        fix: "choose another --out prefix or move the old key away"
      });
    }
    throw new LedgerError("IO", `cannot write (${describeError(error)})`, { file, cause: error });
  }
}
function developmentKeyFile(env) {
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(configHome, "model-ledger", "development-key.pem");
}
async function ensureDevelopmentKey(env) {
  const file = developmentKeyFile(env);
  try {
    return { key: await loadPrivateKey(file), file, created: false };
  } catch (error) {
    if (!(error instanceof LedgerError) || errnoCode(error.cause) !== "ENOENT") throw error;
  }
  await mkdir(dirname(file), { recursive: true, mode: 448 });
  const pair = generateKeyPair();
  await writeExclusive(file, pair.privateKeyPem, 384);
  return { key: createPrivateKey(pair.privateKeyPem), file, created: true };
}
function keyRing(pems) {
  const ring = /* @__PURE__ */ new Map();
  for (const pem of pems) {
    const key = createPublicKey(pem);
    ring.set(keyHint(key), key);
  }
  return ring;
}

export {
  readBoundedFile,
  readBoundedFileSync,
  readBoundedText,
  isMissingFile,
  generateKeyPair,
  keyHint,
  loadPrivateKey,
  parsePrivateKey,
  loadPublicKey,
  publicKeyPem,
  writeKeyPair,
  ensureDevelopmentKey,
  keyRing
};
