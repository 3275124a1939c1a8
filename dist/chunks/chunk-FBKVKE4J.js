import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  parseBundleJson
} from "./chunk-K46IQGOZ.js";
import {
  certificateExtensions,
  parseBundle
} from "./chunk-IAOLLCTZ.js";
import {
  LedgerError,
  describeError,
  errnoCode
} from "./chunk-ICUNJ6NG.js";
import {
  require_dist2 as require_dist
} from "./chunk-6HJSFOKJ.js";
import {
  __toESM
} from "./chunk-H3ACIWDX.js";

// src/verify/claimed-signer.ts
var import_core = __toESM(require_dist(), 1);
function readStoredBundle(bytes, file) {
  let bundle;
  try {
    bundle = parseBundle(parseBundleJson(bytes, file), file);
  } catch {
    return { bundle: null, claim: null };
  }
  return { bundle, claim: claimOf(bundle) };
}
function claimedSigner(bytes, file) {
  return readStoredBundle(bytes, file).claim;
}
function claimOf(bundle) {
  const content = bundle.verificationMaterial.content;
  if (content.$case === "publicKey") return { kind: "key", keyHint: content.publicKey.hint };
  const raw = content.$case === "certificate" ? content.certificate.rawBytes : content.$case === "x509CertificateChain" ? content.x509CertificateChain.certificates[0]?.rawBytes : void 0;
  if (!raw) return null;
  try {
    const certificate = import_core.X509Certificate.parse(Buffer.from(raw));
    return {
      kind: "certificate",
      identity: certificate.subjectAltName ?? "",
      issuer: certificateExtensions(certificate).issuer ?? ""
    };
  } catch {
    return null;
  }
}

// src/log.ts
var silentLogger = {
  debug: () => void 0,
  info: () => void 0,
  warn: () => void 0
};

// src/store/types.ts
var RECORD_NAME = /^(\d{6})-([0-9a-f]{12})\.sigstore\.json$/;
function recordFileName(index, statementSha256) {
  return `${String(index).padStart(6, "0")}-${statementSha256.slice(0, 12)}.sigstore.json`;
}
function parseRecordFileName(name) {
  const match = RECORD_NAME.exec(name);
  if (!match) return null;
  return { index: Number(match[1]), sha256Prefix: match[2] };
}
function checkpointBundleName(checkpointName) {
  return `${checkpointName}.sigstore.json`;
}
function checkpointFileName(index) {
  return `model-ledger-${String(index).padStart(6, "0")}.checkpoint`;
}
var RELEASE_RECORD_NAME = /^(?:.+\/)?model-ledger-(\d{6,})\.sigstore\.json$/;
function releaseRecordName(index) {
  return `model-ledger-${String(index).padStart(6, "0")}.sigstore.json`;
}
function parseRecordName(name) {
  const local = parseRecordFileName(name);
  if (local) return local;
  const match = RELEASE_RECORD_NAME.exec(name);
  return match ? { index: Number(match[1]) } : null;
}
var RecordConflict = class extends LedgerError {
  constructor(message, options = {}) {
    super("CHAIN", message, options);
    this.name = "RecordConflict";
  }
};
function headOf(refs) {
  return refs.reduce(
    (best, ref) => best === null || ref.index > best.index ? ref : best,
    null
  );
}

// src/fs/glob.ts
import { readdir, realpath } from "node:fs/promises";
import { join, sep } from "node:path";
var SKIPPED_DIRECTORIES = /* @__PURE__ */ new Set([".git", "node_modules", ".model-ledger"]);
var MAX_ALTERNATIVES = 1024;
function badGlob(pattern, problem) {
  return new LedgerError("BAD_INPUT", `the glob "${pattern}" ${problem}`, {
    fix: "globs use * (within a segment), ** (any segments), ?, [abc], [a-z], [!a] and {a,b}; close every { and ["
  });
}
function expandBraces(pattern) {
  let alternatives = [""];
  let index = 0;
  const parseUntil = (closing) => {
    let current = [""];
    const done = [];
    while (index < pattern.length) {
      const char = pattern[index];
      if (char === "[") {
        const close = classEnd(pattern, index);
        const text = pattern.slice(index, close + 1);
        current = current.map((prefix) => prefix + text);
        index = close + 1;
      } else if (char === "{") {
        index++;
        const inner = parseUntil(true);
        current = current.flatMap((prefix) => inner.map((option) => prefix + option));
        if (current.length > MAX_ALTERNATIVES)
          throw badGlob(pattern, `expands to more than ${MAX_ALTERNATIVES} alternatives`);
      } else if (char === "}") {
        if (!closing) throw badGlob(pattern, `has a "}" at character ${index + 1} that closes no "{"`);
        index++;
        return [...done, ...current];
      } else if (char === "," && closing) {
        done.push(...current);
        current = [""];
        index++;
      } else {
        current = current.map((prefix) => prefix + char);
        index++;
      }
    }
    if (closing) throw badGlob(pattern, 'has a "{" that is never closed');
    return [...done, ...current];
  };
  alternatives = parseUntil(false);
  return alternatives;
}
function classEnd(pattern, open) {
  let index = open + 1;
  if (pattern[index] === "!" || pattern[index] === "^") index++;
  if (pattern[index] === "]") index++;
  const close = pattern.indexOf("]", index);
  if (close === -1) throw badGlob(pattern, `has a "[" at character ${open + 1} that is never closed`);
  return close;
}
function parseClass(pattern, body) {
  let text = body;
  const negated = text.startsWith("!") || text.startsWith("^");
  if (negated) text = text.slice(1);
  const ranges = [];
  const chars = [...text];
  for (let at = 0; at < chars.length; at++) {
    const first = chars[at];
    if (chars[at + 1] === "-" && at + 2 < chars.length) {
      const last = chars[at + 2];
      if (first.codePointAt(0) > last.codePointAt(0)) {
        throw badGlob(pattern, `has the range [${first}-${last}], whose start comes after its end`);
      }
      ranges.push([first, last]);
      at += 2;
    } else {
      ranges.push([first, first]);
    }
  }
  if (ranges.length === 0) throw badGlob(pattern, "has an empty character class []");
  return { kind: "class", negated, ranges };
}
function tokenize(pattern, whole) {
  const tokens = [];
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === "*") {
      const atSegmentStart = index === 0 || pattern[index - 1] === "/";
      if (pattern[index + 1] === "*" && atSegmentStart) {
        const next = pattern[index + 2];
        if (next === "/") {
          tokens.push({ kind: "segments" });
          index += 2;
          continue;
        }
        if (next === void 0) {
          tokens.push({ kind: "rest" });
          index += 1;
          continue;
        }
      }
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
    } else if (char === "?") {
      tokens.push({ kind: "any" });
    } else if (char === "[") {
      const close = classEnd(pattern, index);
      tokens.push(parseClass(whole, pattern.slice(index + 1, close)));
      index = close;
    } else {
      tokens.push({ kind: "char", char });
    }
  }
  return tokens;
}
function classMatches(token, char) {
  const code = char.codePointAt(0);
  const inside = token.ranges.some(
    ([from, to]) => code >= from.codePointAt(0) && code <= to.codePointAt(0)
  );
  return inside !== token.negated;
}
function nfaMatch(tokens, path) {
  const end = tokens.length * 2;
  let current = /* @__PURE__ */ new Set();
  const add = (set, state) => {
    if (set.has(state)) return;
    set.add(state);
    const token = tokens[state >> 1];
    if ((state & 1) === 0 && token && (token.kind === "star" || token.kind === "segments" || token.kind === "rest"))
      add(set, state + 2);
  };
  add(current, 0);
  for (const char of path) {
    const next = /* @__PURE__ */ new Set();
    for (const state of current) {
      const token = tokens[state >> 1];
      if (!token) continue;
      const inSegment = (state & 1) === 1;
      switch (token.kind) {
        case "char":
          if (char === token.char) add(next, state + 2);
          break;
        case "any":
          if (char !== "/") add(next, state + 2);
          break;
        case "class":
          if (char !== "/" && classMatches(token, char)) add(next, state + 2);
          break;
        case "star":
          if (char !== "/") add(next, state);
          break;
        case "segments":
          if (char !== "/") add(next, state | 1);
          else if (inSegment) add(next, state & ~1);
          break;
        case "rest":
          add(next, state);
          break;
      }
    }
    if (next.size === 0) return false;
    current = next;
  }
  return current.has(end);
}
function compileGlob(pattern) {
  const alternatives = expandBraces(pattern).map((alternative) => tokenize(alternative, pattern));
  return {
    source: pattern,
    test: (path) => alternatives.some((tokens) => nfaMatch(tokens, path))
  };
}
var GlobRegExp = class extends RegExp {
  #matcher;
  constructor(matcher) {
    super("(?:)");
    this.#matcher = matcher;
  }
  test(path) {
    return this.#matcher.test(path);
  }
  exec(path) {
    if (!this.#matcher.test(path)) return null;
    return Object.assign([path], { index: 0, input: path, groups: void 0 });
  }
  toString() {
    return `glob:${this.#matcher.source}`;
  }
};
function globToRegExp(pattern) {
  return new GlobRegExp(compileGlob(pattern));
}
function hasGlobMagic(pattern) {
  return /[*?[{]/.test(pattern);
}
function staticPrefix(pattern) {
  const segments = pattern.split("/");
  const fixed = [];
  for (const segment of segments.slice(0, -1)) {
    if (hasGlobMagic(segment)) break;
    fixed.push(segment);
  }
  return fixed.join("/");
}
async function expandGlob(cwd, pattern, options = {}) {
  const field = options.field ?? "models";
  const normalized = pattern.replace(/^\.\//, "");
  const matcher = compileGlob(normalized);
  const prefix = staticPrefix(normalized);
  const matches = [];
  const walk = async (relativeDir) => {
    let entries;
    try {
      entries = await readdir(join(cwd, relativeDir), { withFileTypes: true });
    } catch (error) {
      if (relativeDir === prefix) return;
      throw new LedgerError("BAD_INPUT", `cannot list directory (${describeError(error)})`, {
        file: relativeDir,
        cause: error
      });
    }
    for (const entry of entries) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(relative);
      } else if (matcher.test(relative)) {
        if (entry.isFile()) matches.push(relative);
        else if (entry.isSymbolicLink() && await pointsInside(cwd, relative))
          options.symlinks?.push(relative);
        else {
          throw new LedgerError(
            "BAD_INPUT",
            `the glob "${pattern}" matches ${entry.isSymbolicLink() ? "a symlink that leaves the repository" : "a special file (not a regular file)"}, which model-ledger never follows or reads`,
            {
              file: relative,
              field,
              fix: "name the file itself, or narrow the glob so that it matches regular files only"
            }
          );
        }
      }
    }
  };
  await walk(prefix);
  return matches.sort(compareBytewise);
}
async function pointsInside(cwd, relative) {
  try {
    const [root, target] = await Promise.all([realpath(cwd), realpath(join(cwd, relative))]);
    return target.startsWith(`${root}${sep}`);
  } catch (error) {
    if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ELOOP") return false;
    throw error;
  }
}
function compareBytewise(a, b) {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}
function codePointRank(unit) {
  if (unit >= 55296 && unit <= 57343) return unit + 8192;
  if (unit >= 57344) return unit - 2048;
  return unit;
}

export {
  compileGlob,
  globToRegExp,
  hasGlobMagic,
  expandGlob,
  compareBytewise,
  readStoredBundle,
  claimedSigner,
  silentLogger,
  recordFileName,
  parseRecordFileName,
  checkpointBundleName,
  checkpointFileName,
  releaseRecordName,
  parseRecordName,
  RecordConflict,
  headOf
};
