/**
 * pip requirements files: `==` pins, `--hash` options, line continuations, extras, markers,
 * `-r`/`-c` includes (relative to the including file, cycles refused), VCS and URL requirements.
 * Unpinned requirements are recorded with version "" — never a guessed version.
 */
import { posix } from 'node:path';
import { describeError } from '../errors.js';
import type { DependencyPackage } from '../record/predicate.js';
import { finishPackages, joinDigests, makePackage } from './packages.js';
import { normalizePypiName, pypiPurl, withoutCredentials } from './purl.js';
import { lockfileError, splitLines } from './text.js';
import type { LockfileParser, ParseInput, ParsedPackages, SourceText } from './types.js';

export const requirementsParser: LockfileParser = {
  kind: 'pip',
  matches: isRequirementsPath,
  parse: parseRequirementsFile,
};

/** `requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, and any `.txt` in a `requirements/` folder. */
export function isRequirementsPath(path: string): boolean {
  const parts = path.split('/');
  const base = parts[parts.length - 1] ?? '';
  if (/^(?:[\w.-]*[-_.])?requirements(?:[-_.][\w.-]*)?\.txt$/i.test(base)) return true;
  return parts.length >= 2 && parts[parts.length - 2] === 'requirements' && /\.txt$/i.test(base);
}

/** One requirements line, as read. */
interface Requirement {
  name: string;
  version: string;
  hashes: string[];
  qualifiers: Record<string, string | undefined>;
  /** pip-compile's `# via` annotations, when the file has them. */
  via?: string[];
  /** Whether its version came from the line itself (not from a URL or nothing). */
  pinned: boolean;
  /** Whether the line names a URL or VCS source (then constraints do not apply). */
  fromUrl: boolean;
}

interface FileResult {
  requirements: Requirement[];
  constraints: Requirement[];
  notes: string[];
  annotated: boolean;
}

/** Where the lines come from, and how to follow their includes. */
export interface PipSource {
  path: string;
  readInclude?: ((path: string) => Promise<SourceText>) | undefined;
}

/** A logical line: continuation lines joined, with the line number it starts on. */
export interface PipLine {
  text: string;
  line: number;
}

const MAX_INCLUDED_FILES = 256;

async function parseRequirementsFile(input: ParseInput): Promise<ParsedPackages> {
  const session = new Session(input.readInclude);
  const result = await session.file(input, [input.path]);
  return session.finish(result);
}

/** Parses pip requirement lines held in another file (conda's `pip:` list), includes relative to that file. */
export async function parsePipLines(source: PipSource, lines: PipLine[]): Promise<ParsedPackages> {
  const session = new Session(source.readInclude);
  const result = await session.lines(source.path, lines, [source.path]);
  return session.finish(result);
}

/** Joins `\` continuations into logical lines (each physical line is looked at once). */
export function logicalLines(text: string): PipLine[] {
  const physical = splitLines(text);
  const out: PipLine[] = [];
  const continues = (line: string): boolean => /\\\s*$/.test(line) && !/^\s*#/.test(line);
  for (let i = 0; i < physical.length; i += 1) {
    const start = i;
    const parts: string[] = [];
    let current = physical[i] ?? '';
    while (continues(current) && i + 1 < physical.length) {
      parts.push(current.replace(/\\\s*$/, ' '));
      i += 1;
      current = physical[i] ?? '';
    }
    parts.push(continues(current) ? current.replace(/\\\s*$/, '') : current);
    out.push({ text: parts.join(''), line: start + 1 });
  }
  return out;
}

class Session {
  private readonly done = new Map<string, FileResult>();

  constructor(private readonly readInclude: ((path: string) => Promise<SourceText>) | undefined) {}

  async file(source: SourceText, stack: string[]): Promise<FileResult> {
    return this.lines(source.path, logicalLines(source.text), stack);
  }

  async lines(path: string, lines: PipLine[], stack: string[]): Promise<FileResult> {
    const result: FileResult = { requirements: [], constraints: [], notes: [], annotated: false };
    let viaTarget: Requirement | undefined;
    for (const { text, line } of lines) {
      const trimmed = text.trim();
      if (trimmed.startsWith('#')) {
        const via = /^#\s*via\b\s*(.*)$/.exec(trimmed);
        if (via !== null && viaTarget !== undefined) {
          result.annotated = true;
          viaTarget.via = via[1] ? [via[1].trim()] : [];
        } else if (viaTarget?.via !== undefined && /^#\s{2,}\S/.test(trimmed)) {
          viaTarget.via.push(trimmed.slice(1).trim());
        } else {
          viaTarget = undefined;
        }
        continue;
      }
      viaTarget = undefined;
      const content = trimmed.replace(/(^|\s)#.*$/, '').trim();
      if (content === '') continue;
      if (content.startsWith('-')) {
        await this.option(path, line, content, stack, result);
        continue;
      }
      const requirement = readRequirement(path, line, content, result.notes);
      if (requirement !== undefined) {
        result.requirements.push(requirement);
        viaTarget = requirement;
      }
    }
    return result;
  }

  private async option(
    path: string,
    line: number,
    content: string,
    stack: string[],
    result: FileResult,
  ): Promise<void> {
    const match = /^(-[rce]|--requirement|--constraint|--editable)(?:\s*=\s*|\s+|(?<=^-[rce]))(.+)$/.exec(
      content,
    );
    if (match === null) return; // a global option (--index-url, --require-hashes, ...): no package in it
    const flag = match[1] ?? '';
    const argument = (match[2] ?? '').trim();
    if (flag === '-e' || flag === '--editable') {
      const requirement = readRequirement(path, line, argument, result.notes);
      if (requirement !== undefined) result.requirements.push(requirement);
      return;
    }
    const included = await this.include(path, line, argument, stack);
    result.notes.push(...included.notes);
    result.annotated ||= included.annotated;
    if (flag === '-c' || flag === '--constraint') {
      result.constraints.push(...included.requirements, ...included.constraints);
    } else {
      result.requirements.push(...included.requirements);
      result.constraints.push(...included.constraints);
    }
  }

  private async include(path: string, line: number, target: string, stack: string[]): Promise<FileResult> {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
      throw lockfileError(
        path,
        line,
        `includes ${withoutCredentials(target)}, a URL; model-ledger reads only files in the repository`,
        'vendor the file into the repository and include it by path',
      );
    }
    const resolved = posix.normalize(posix.join(posix.dirname(path), target.replaceAll('\\', '/')));
    if (posix.isAbsolute(target) || resolved === '..' || resolved.startsWith('../')) {
      throw lockfileError(
        path,
        line,
        `includes ${target}, which is outside the repository`,
        'include files by a path inside the repository',
      );
    }
    if (stack.includes(resolved)) {
      throw lockfileError(
        path,
        line,
        `includes ${target}, which makes an include cycle: ${[...stack, resolved].join(' → ')}`,
        'remove one of the -r/-c lines that form the cycle',
      );
    }
    const seen = this.done.get(resolved);
    if (seen !== undefined) return seen;
    if (this.readInclude === undefined) {
      throw lockfileError(
        path,
        line,
        `includes ${target}, but included files cannot be read here`,
        'pass the included file as well, or inline its requirements',
      );
    }
    if (this.done.size >= MAX_INCLUDED_FILES) {
      throw lockfileError(
        path,
        line,
        `includes more than ${MAX_INCLUDED_FILES} files`,
        'merge the requirements files',
      );
    }
    let source: SourceText;
    try {
      source = await this.readInclude(resolved);
    } catch (error) {
      throw lockfileError(
        path,
        line,
        `cannot read the included file ${target}: ${describeError(error)}`,
        'fix the path in the -r/-c line, or add the file',
        error,
      );
    }
    const result = await this.file(source, [...stack, resolved]);
    this.done.set(resolved, result);
    return result;
  }

  finish(result: FileResult): ParsedPackages {
    const pins = new Map<string, Requirement>();
    for (const constraint of result.constraints) {
      if (constraint.pinned) pins.set(normalizePypiName(constraint.name), constraint);
    }
    const out: DependencyPackage[] = result.requirements.map((requirement) => {
      let { version, hashes } = requirement;
      const pin =
        requirement.pinned || requirement.fromUrl ? undefined : pins.get(normalizePypiName(requirement.name));
      if (pin !== undefined) {
        version = pin.version;
        if (hashes.length === 0) hashes = pin.hashes;
      }
      return makePackage({
        purl: pypiPurl(requirement.name, version, requirement.qualifiers),
        name: requirement.name,
        version,
        ecosystem: 'pypi',
        integrity: joinDigests(hashes),
        direct: result.annotated && requirement.via !== undefined ? isDirectVia(requirement.via) : undefined,
      });
    });
    return finishPackages(out, result.notes);
  }
}

/** pip-compile names the input file (`-r requirements.in`) or the project file for a direct requirement. */
function isDirectVia(via: string[]): boolean {
  return via.some(
    (source) => source.startsWith('-r ') || /\((?:pyproject\.toml|setup\.cfg|setup\.py)\)$/.test(source),
  );
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
const WHOLE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const VCS = /^(?:git|hg|svn|bzr)\+/i;
const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|file:|\.{0,2}\/|\.$|[A-Za-z]:[\\/])/i;

/** purl qualifiers for a requirement fetched from a URL (local paths get none). */
function urlQualifiers(url: string): Record<string, string | undefined> {
  const clean = withoutCredentials(url.replace(/#.*$/, ''));
  if (VCS.test(clean)) return { vcs_url: clean };
  if (/^https?:\/\//i.test(clean)) return { download_url: clean };
  return {};
}

/** The file name at the end of a URL or path, percent-decoded (`torch-2.1.0%2Bcu118-…` → `torch-2.1.0+cu118-…`). */
function fileNameOf(location: string): string {
  const path = location.replace(/[?#].*$/, '');
  const last = path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

const SDIST = /\.(?:tar\.gz|tar\.bz2|tar\.xz|tgz|zip)$/i;
const VERSION_LIKE = /^v?\d[A-Za-z0-9.!+_]*$/;

/**
 * Name and version from an archive's file name: a wheel (PEP 427:
 * `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`, names with `_` for `-`), or an
 * sdist `{name}-{version}.tar.gz` when the split is unambiguous: one `-` in the stem, or a
 * declared name that the stem starts with.
 */
export function archiveNameVersion(
  fileName: string,
  declared?: string,
): { name: string; version: string } | undefined {
  if (/\.whl$/i.test(fileName)) {
    const fields = fileName.slice(0, -'.whl'.length).split('-');
    if (fields.length !== 5 && fields.length !== 6) return undefined;
    const [name = '', version = ''] = fields;
    if (!WHOLE_NAME.test(name) || !VERSION_LIKE.test(version)) return undefined;
    return { name: normalizePypiName(name), version };
  }
  const sdist = SDIST.exec(fileName);
  if (sdist === null) return undefined;
  const stem = fileName.slice(0, sdist.index);
  let split: number;
  if (declared !== undefined) {
    // The stem's name part may be spelled with `_`, `.` or `-` and any case; compare normalised.
    const cut = [...stem.matchAll(/-/g)]
      .map((match) => match.index)
      .find((at) => normalizePypiName(stem.slice(0, at)) === normalizePypiName(declared));
    if (cut === undefined) return undefined;
    split = cut;
  } else {
    split = stem.indexOf('-');
    if (split === -1 || stem.indexOf('-', split + 1) !== -1) return undefined;
  }
  const name = stem.slice(0, split);
  const version = stem.slice(split + 1);
  if (!WHOLE_NAME.test(name) || !VERSION_LIKE.test(version)) return undefined;
  return { name: normalizePypiName(name), version };
}

/** A URL fragment's `sha256=...` (pip's form of a pinned archive digest), as `sha256:...`. */
function fragmentHashes(url: string): string[] {
  const fragment = url.split('#')[1] ?? '';
  return fragment
    .split('&')
    .map((part) => /^(md5|sha1|sha224|sha256|sha384|sha512)=([0-9a-f]+)$/i.exec(part))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `${(match[1] ?? '').toLowerCase()}:${(match[2] ?? '').toLowerCase()}`);
}

/** Splits `--hash=sha256:...` and other per-requirement options from the requirement itself. */
function splitOptions(path: string, line: number, content: string): { spec: string; hashes: string[] } {
  const at = content.search(/\s--?[A-Za-z]/);
  if (at === -1) return { spec: content, hashes: [] };
  const hashes: string[] = [];
  const options = content.slice(at).trim();
  const hashOption = /--hash(?:\s*=\s*|\s+)(\S+)/g;
  for (const match of options.matchAll(hashOption)) {
    const digest = match[1] ?? '';
    if (!/^[a-z0-9]+:[0-9a-f]+$/i.test(digest)) {
      throw lockfileError(
        path,
        line,
        `has a malformed --hash value ${JSON.stringify(digest)} (expected algorithm:hex)`,
      );
    }
    hashes.push(digest);
  }
  return { spec: content.slice(0, at).trim(), hashes };
}

function readRequirement(
  path: string,
  line: number,
  content: string,
  notes: string[],
): Requirement | undefined {
  if (content === '@EXPLICIT') {
    throw lockfileError(
      path,
      line,
      'is a conda explicit lockfile (@EXPLICIT), not a pip requirements file',
      'name it conda-<platform>.lock or spec-file.txt so it is read as one',
    );
  }
  const { spec, hashes } = splitOptions(path, line, content);

  // `name[extras] @ url ; markers`
  const direct = /^([^\s@[;]+)\s*(?:\[[^\]]*\])?\s*@\s*(\S+)(?:\s+;.*)?$/.exec(spec);
  if (direct !== null && WHOLE_NAME.test(direct[1] ?? '') && URL_LIKE.test(direct[2] ?? '')) {
    const url = direct[2] ?? '';
    const name = direct[1] ?? '';
    const archive = VCS.test(url) ? undefined : archiveNameVersion(fileNameOf(url), name);
    if (archive !== undefined && archive.name !== normalizePypiName(name)) {
      notes.push(
        `${path}: line ${line}: ${name} names the archive ${fileNameOf(url)}, which is another package; recorded without a version`,
      );
    }
    return {
      name,
      version: archive !== undefined && archive.name === normalizePypiName(name) ? archive.version : '',
      hashes: [...hashes, ...fragmentHashes(url)],
      qualifiers: urlQualifiers(url),
      pinned: false,
      fromUrl: true,
    };
  }

  // A bare URL or path, named by `#egg=name`.
  if (VCS.test(spec) || URL_LIKE.test(spec)) {
    const location = spec.replace(/\s+;.*$/, '');
    const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(location)?.[1];
    const archive = VCS.test(location) ? undefined : archiveNameVersion(fileNameOf(location), egg);
    if (egg === undefined && archive !== undefined) {
      return {
        name: archive.name,
        version: archive.version,
        hashes: [...hashes, ...fragmentHashes(location)],
        qualifiers: urlQualifiers(location),
        pinned: false,
        fromUrl: true,
      };
    }
    if (egg === undefined) {
      notes.push(
        `${path}: line ${line}: "${withoutCredentials(location)}" names no package (no #egg=NAME); not recorded`,
      );
      return undefined;
    }
    return {
      name: egg,
      version: archive !== undefined && archive.name === normalizePypiName(egg) ? archive.version : '',
      hashes: [...hashes, ...fragmentHashes(location)],
      qualifiers: urlQualifiers(location),
      pinned: false,
      fromUrl: true,
    };
  }

  // PEP 508: name [extras] specifiers ; markers
  const name = NAME.exec(spec)?.[1];
  if (name === undefined)
    throw lockfileError(path, line, `cannot read ${JSON.stringify(spec.slice(0, 80))} as a requirement`);
  let rest = spec.slice(name.length).trimStart();
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1)
      throw lockfileError(path, line, `has an unclosed extras list in ${JSON.stringify(spec.slice(0, 80))}`);
    rest = rest.slice(close + 1).trimStart();
  }
  const semicolon = rest.indexOf(';');
  let specifiers = (semicolon === -1 ? rest : rest.slice(0, semicolon)).trim();
  if (specifiers.startsWith('(') && specifiers.endsWith(')')) specifiers = specifiers.slice(1, -1).trim();
  let version = '';
  if (specifiers !== '') {
    for (const clause of specifiers.split(',')) {
      const match = /^\s*(===|==|~=|!=|<=|>=|<|>)\s*([A-Za-z0-9._*+!-]+)\s*$/.exec(clause);
      if (match === null) {
        throw lockfileError(
          path,
          line,
          `cannot read ${JSON.stringify(spec.slice(0, 80))} as a requirement (bad version specifier ${JSON.stringify(clause.trim())})`,
        );
      }
      const operator = match[1] ?? '';
      const value = match[2] ?? '';
      if ((operator === '==' || operator === '===') && !value.includes('*')) version = value;
    }
  }
  return { name, version, hashes, qualifiers: {}, pinned: version !== '', fromUrl: false };
}
