/**
 * Go modules: what `go.mod` selects (its `require` lines, `replace` applied, `// indirect` marked),
 * with `go.sum`'s `h1:` module hashes as integrity. go.sum alone lists every module version ever
 * checked, `/go.mod`-only lines included, so it is read on its own only when go.mod is missing.
 */
import { posix } from 'node:path';
import { LedgerError, describeError } from '../errors.js';
import type { DependencyPackage } from '../record/predicate.js';
import { finishPackages, makePackage } from './packages.js';
import { golangPurl } from './purl.js';
import { lockfileError, splitLines } from './text.js';
import type { LockfileParser, ParseInput, ParsedPackages, SourceText } from './types.js';

export const goSumParser: LockfileParser = {
  kind: 'go',
  matches: (path) => /(^|\/)go\.sum$/.test(path),
  parse: parseGoModules,
};

interface SumEntry {
  module: string;
  version: string;
  /** The hash of the module zip; absent when go.sum has only the module's go.mod hash. */
  hash?: string;
}

/** go.sum lines by `module@version`. */
export function readGoSum({ path, text }: SourceText): Map<string, SumEntry> {
  const modules = new Map<string, SumEntry>();
  splitLines(text).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const fields = line.split(/\s+/);
    const [module = '', rawVersion = '', hash = ''] = fields;
    if (fields.length !== 3 || !/^v\d/.test(rawVersion) || !/^h\d+:[A-Za-z0-9+/]+=*$/.test(hash)) {
      throw lockfileError(
        path,
        index + 1,
        `cannot read ${JSON.stringify(line.slice(0, 80))} as \`module version h1:hash\``,
        'regenerate it with `go mod tidy`',
      );
    }
    const isGoMod = rawVersion.endsWith('/go.mod');
    const version = isGoMod ? rawVersion.slice(0, -'/go.mod'.length) : rawVersion;
    const key = `${module}@${version}`;
    const entry = modules.get(key) ?? { module, version };
    if (!isGoMod) entry.hash = hash;
    modules.set(key, entry);
  });
  return modules;
}

export interface GoRequirement {
  module: string;
  version: string;
  indirect: boolean;
  line: number;
}

export interface GoReplacement {
  module: string;
  /** Only this version is replaced; every version when absent. */
  version?: string;
  /** The replacement module, or a local folder when `newVersion` is absent. */
  target: string;
  targetVersion?: string;
}

export interface GoMod {
  requires: GoRequirement[];
  replaces: GoReplacement[];
}

/** A go.mod token: a bare word or a Go string ("…" or `…`). */
function tokens(text: string): string[] {
  const out: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    out.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? match[3] ?? ''));
  }
  return out;
}

/** Splits a line into its content and its `//` comment (outside strings). */
function splitComment(line: string): { content: string; comment: string } {
  let quote = '';
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] ?? '';
    if (quote !== '') {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === '`') {
      quote = c;
    } else if (c === '/' && line[i + 1] === '/') {
      return { content: line.slice(0, i), comment: line.slice(i + 2).trim() };
    }
  }
  return { content: line, comment: '' };
}

/** Reads the `require` and `replace` directives of a go.mod, single-line and in `( … )` blocks. */
export function parseGoMod({ path, text }: SourceText): GoMod {
  const requires: GoRequirement[] = [];
  const replaces: GoReplacement[] = [];
  let block: string | undefined;
  const fail = (line: number, what: string, content: string): LedgerError =>
    lockfileError(
      path,
      line,
      `cannot read ${JSON.stringify(content.trim().slice(0, 80))} as a ${what} line`,
      'fix it with `go mod tidy`',
    );
  const directive = (verb: string, args: string[], line: number, content: string, comment: string): void => {
    if (verb === 'require') {
      const [module, version] = args;
      if (args.length !== 2 || module === undefined || version === undefined || !/^v\d/.test(version))
        throw fail(line, 'require', content);
      requires.push({ module, version, indirect: /^indirect\b/.test(comment), line });
    } else if (verb === 'replace') {
      const arrow = args.indexOf('=>');
      const left = args.slice(0, arrow);
      const right = args.slice(arrow + 1);
      if (arrow === -1 || left.length < 1 || left.length > 2 || right.length < 1 || right.length > 2)
        throw fail(line, 'replace', content);
      const [module = '', version] = left;
      const [target = '', targetVersion] = right;
      replaces.push({ module, version, target, targetVersion });
    }
  };
  splitLines(text).forEach((raw, index) => {
    const line = index + 1;
    const { content, comment } = splitComment(raw);
    const words = tokens(content);
    if (words.length === 0) return;
    if (block !== undefined) {
      if (words.length === 1 && words[0] === ')') {
        block = undefined;
        return;
      }
      directive(block, words, line, content, comment);
      return;
    }
    const [verb = '', ...args] = words;
    if (args.length === 1 && args[0] === '(') {
      block = verb;
      return;
    }
    if ((args.length === 2 && args[0] === '(' && args[1] === ')') || (args.length === 1 && args[0] === '()'))
      return;
    directive(verb, args, line, content, comment);
  });
  if (block !== undefined)
    throw lockfileError(path, splitLines(text).length, `has a ${block} block that is never closed`);
  return { requires, replaces };
}

/** Whether a replacement target is a folder (`./x`, `../x`, `/x`): the project's own code, not a download. */
function isLocalPath(target: string): boolean {
  return /^(?:\.\.?(?:\/|\\|$)|\/|[A-Za-z]:[\\/])/.test(target);
}

/** The go.mod beside the go.sum, or why it cannot be read (missing, outside the repository, ...). */
async function readGoMod(input: ParseInput): Promise<{ source?: SourceText; missing?: string }> {
  const goModPath = posix.join(posix.dirname(input.path), 'go.mod');
  if (input.readInclude === undefined) return { missing: 'go.mod cannot be read here' };
  try {
    return { source: await input.readInclude(goModPath) };
  } catch (error) {
    // The reader's own wording without its advice: `go.mod: does not exist`.
    if (error instanceof LedgerError && error.code === 'BAD_INPUT')
      return { missing: error.message.split(' — ')[0] ?? error.message };
    throw lockfileError(input.path, 1, `cannot read ${goModPath}: ${describeError(error)}`, undefined, error);
  }
}

export async function parseGoModules(input: ParseInput): Promise<ParsedPackages> {
  const sums = readGoSum(input);
  const goMod = await readGoMod(input);
  if (goMod.source === undefined) return fromGoSumOnly(input.path, sums, goMod.missing ?? '');

  const { requires, replaces } = parseGoMod(goMod.source);
  const notes: string[] = [];
  const out: DependencyPackage[] = [];
  const used = new Set<string>();
  for (const requirement of requires) {
    const replacement =
      replaces.find((r) => r.module === requirement.module && r.version === requirement.version) ??
      replaces.find((r) => r.module === requirement.module && r.version === undefined);
    let module = requirement.module;
    let version = requirement.version;
    if (replacement !== undefined) {
      if (replacement.targetVersion === undefined || isLocalPath(replacement.target)) {
        notes.push(
          `${goMod.source.path}: line ${requirement.line}: ${requirement.module} ${requirement.version} is replaced by the folder ${replacement.target}; not recorded as a package`,
        );
        continue;
      }
      module = replacement.target;
      version = replacement.targetVersion;
    }
    const key = `${module}@${version}`;
    used.add(key);
    out.push(
      makePackage({
        purl: golangPurl(module, version),
        name: module,
        version,
        ecosystem: 'golang',
        integrity: sums.get(key)?.hash,
        direct: !requirement.indirect,
      }),
    );
  }
  const unselected = [...sums.keys()].filter((key) => !used.has(key)).length;
  if (unselected > 0) {
    notes.push(
      `${input.path}: ${unselected} module version${unselected === 1 ? '' : 's'} in go.sum that ${goMod.source.path} does not select ${unselected === 1 ? 'is' : 'are'} not recorded`,
    );
  }
  return finishPackages(out, notes);
}

/** Without go.mod: every module go.sum has a module hash for (a `/go.mod`-only line is not a package). */
function fromGoSumOnly(path: string, sums: Map<string, SumEntry>, missing: string): ParsedPackages {
  const out: DependencyPackage[] = [];
  for (const { module, version, hash } of sums.values()) {
    if (hash === undefined) continue;
    out.push(
      makePackage({
        purl: golangPurl(module, version),
        name: module,
        version,
        ecosystem: 'golang',
        integrity: hash,
      }),
    );
  }
  return finishPackages(out, [
    `${path}: read without go.mod (${missing}): every module go.sum has a hash for is recorded, which may include versions the build does not select`,
  ]);
}
