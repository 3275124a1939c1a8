/**
 * conda: `environment.yml` (conda match specs plus a nested `pip:` list) and explicit lock files
 * (`@EXPLICIT` followed by one package URL per line, with `#md5` or `#sha256` digests).
 */
import type { DependencyPackage } from '../record/predicate.js';
import { isRecord } from './json.js';
import { finishPackages, makePackage } from './packages.js';
import { condaPurl } from './purl.js';
import { parsePipLines, type PipLine } from './requirements.js';
import { lineAtOffset, lockfileError, splitLines } from './text.js';
import type { LockfileParser, ParseInput, ParsedPackages } from './types.js';
import { parseYamlLockfile } from './yaml.js';

export const condaEnvironmentParser: LockfileParser = {
  kind: 'conda',
  matches: (path) => /(^|\/)environment(?:[-_.][\w.-]*)?\.ya?ml$/.test(path),
  parse: parseCondaEnvironment,
};

export const condaExplicitParser: LockfileParser = {
  kind: 'conda-explicit',
  matches: (path) => /(^|\/)(?:conda-[\w.-]+\.lock|spec-file\.txt|[\w.-]*explicit[\w.-]*\.txt)$/.test(path),
  parse: async (input) => parseCondaExplicit(input),
};

/**
 * Finds successive items of a YAML list in the text, to name the line of each. Lines are counted
 * from the last match onwards, so naming every item of a long list stays linear.
 */
class Locator {
  private offset = 0;
  private line = 1;
  constructor(private readonly text: string) {}

  /** The line of the next occurrence of `needle` (the first, when none follows the last match). */
  lineOf(needle: string): number {
    let at = this.text.indexOf(needle, this.offset);
    if (at === -1) {
      at = this.text.indexOf(needle);
      if (at === -1) return this.line;
      this.offset = 0;
      this.line = 1;
    }
    this.line += countNewlines(this.text, this.offset, at);
    this.offset = at;
    const found = this.line;
    this.line += countNewlines(this.text, at, at + needle.length);
    this.offset = at + needle.length;
    return found;
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

interface MatchSpec {
  name: string;
  version: string;
  channel?: string;
  build?: string;
}

/**
 * A conda match spec: `[channel::]name[=version[=build]]`, `name==version`, `name version build`.
 * A range or wildcard (`>=1.2`, `1.2.*`) pins nothing: version "". `=1.2` is recorded as written.
 */
function readMatchSpec(spec: string): MatchSpec | undefined {
  const match = /^(?:([^\s:]+)::)?([A-Za-z0-9_][A-Za-z0-9_.+-]*)\s*(.*)$/.exec(spec.trim());
  if (match === null) return undefined;
  const [, channel, name = '', rest = ''] = match;
  let version = '';
  let build: string | undefined;
  if (rest.startsWith('==')) {
    version = rest.slice(2).trim();
  } else if (rest.startsWith('=')) {
    [version = '', build] = rest.slice(1).trim().split('=');
  } else if (rest !== '' && /^[A-Za-z0-9]/.test(rest)) {
    [version = '', build] = rest.split(/\s+/);
  } else if (rest !== '' && !/^(?:[<>!~]|\[)/.test(rest)) {
    return undefined;
  }
  if (/[*<>!|,~\s[\]]/.test(version)) return { name, version: '', channel };
  return { name, version, channel, build };
}

/** A Jinja (or similar) template line: `{{ … }}` or `{% … %}` outside a comment. */
const TEMPLATE_LINE = /^(?!\s*#).*(?:\{\{.*\}\}|\{%.*%\})/m;

async function parseCondaEnvironment({ path, text, readInclude }: ParseInput): Promise<ParsedPackages> {
  // Found by its name only: a template or another YAML file named environment*.yml is no lockfile.
  const template = TEMPLATE_LINE.exec(text);
  if (template !== null) {
    return {
      packages: [],
      notes: [],
      notALockfile: `line ${lineAtOffset(text, template.index)} is a template line (\`{{ }}\` or \`{% %}\`)`,
    };
  }
  const doc = parseYamlLockfile(text, path);
  if (!isRecord(doc)) {
    return { packages: [], notes: [], notALockfile: 'it is not a YAML mapping with `dependencies:`' };
  }
  if (!('dependencies' in doc)) {
    return { packages: [], notes: [], notALockfile: 'it has no `dependencies:` list' };
  }
  const dependencies = doc['dependencies'] ?? [];
  const locate = new Locator(text);
  const dependenciesLine = locate.lineOf('dependencies');
  if (dependencies === '') return finishPackages([]);
  if (!Array.isArray(dependencies))
    throw lockfileError(path, dependenciesLine, '`dependencies` must be a list');

  const out: DependencyPackage[] = [];
  const notes: string[] = [];
  for (const item of dependencies as unknown[]) {
    if (typeof item === 'string') {
      const line = locate.lineOf(item);
      const spec = readMatchSpec(item);
      if (spec === undefined)
        throw lockfileError(
          path,
          line,
          `cannot read ${JSON.stringify(item.slice(0, 80))} as a conda package spec`,
        );
      out.push(
        makePackage({
          purl: condaPurl(spec.name, spec.version, { build: spec.build, channel: spec.channel }),
          name: spec.name,
          version: spec.version,
          ecosystem: 'conda',
        }),
      );
      continue;
    }
    if (isRecord(item) && Object.keys(item).length === 1 && Array.isArray(item['pip'])) {
      const pipLine = locate.lineOf('pip');
      const lines: PipLine[] = (item['pip'] as unknown[]).map((entry) => {
        if (typeof entry !== 'string')
          throw lockfileError(path, pipLine, 'the `pip:` list must hold requirement strings');
        return { text: entry, line: locate.lineOf(entry) };
      });
      const pip = await parsePipLines({ path, readInclude }, lines);
      out.push(...pip.packages);
      notes.push(...pip.notes);
      continue;
    }
    const first = isRecord(item) ? Object.keys(item)[0] : undefined;
    throw lockfileError(
      path,
      locate.lineOf(first ?? '-'),
      '`dependencies` items must be package specs or a `pip:` list',
    );
  }
  return finishPackages(out, notes);
}

const ARCHIVE = /^(.+)-([^-]+)-([^-]+)\.(tar\.bz2|conda)$/;

/** Names a channel the way conda does: `conda-forge`, `main`, or the URL for other hosts. */
function channelOf(url: URL, dirs: string[]): string {
  if (url.hostname === 'conda.anaconda.org' || url.hostname === 'repo.anaconda.com') {
    // Tokens travel as /t/<token>/ in the path; they never reach the record.
    const start = dirs[0] === 't' ? 2 : 0;
    const channel = dirs.slice(start).filter((dir) => dir !== 'pkgs');
    return channel.join('/');
  }
  return `${url.protocol}//${url.host}/${dirs.join('/')}`;
}

function digestOf(fragment: string): string | undefined {
  if (fragment === '') return undefined;
  if (/^[0-9a-f]{32}$/i.test(fragment)) return `md5:${fragment.toLowerCase()}`;
  if (/^[0-9a-f]{64}$/i.test(fragment)) return `sha256:${fragment.toLowerCase()}`;
  if (/^(?:md5|sha256):[0-9a-f]+$/i.test(fragment)) return fragment.toLowerCase();
  return undefined;
}

function decodePathSegment(path: string, line: number, segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (error) {
    throw lockfileError(
      path,
      line,
      `has a malformed percent-escape in ${JSON.stringify(segment.slice(0, 80))}`,
      undefined,
      error,
    );
  }
}

/**
 * A conda package URL (`…/<channel>/<subdir>/<name>-<version>-<build>.conda`) as name, version
 * and purl with build, channel, subdir and type qualifiers. `line` names the line of an error.
 */
export function condaPackageAt(
  path: string,
  line: number,
  location: string,
): { name: string; version: string; purl: string } {
  let url: URL;
  try {
    url = new URL(location);
  } catch (error) {
    throw lockfileError(
      path,
      line,
      `cannot read ${JSON.stringify(location.slice(0, 80))} as a package URL`,
      undefined,
      error,
    );
  }
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const file = decodePathSegment(path, line, segments.pop() ?? '');
  const subdir = segments.pop();
  const archive = ARCHIVE.exec(file);
  if (archive === null || subdir === undefined) {
    throw lockfileError(
      path,
      line,
      `${JSON.stringify(file)} is not a conda package file name (name-version-build.conda or .tar.bz2)`,
    );
  }
  const [, name = '', version = '', build = '', type = ''] = archive;
  return {
    name,
    version,
    purl: condaPurl(name, version, { build, channel: channelOf(url, segments), subdir, type }),
  };
}

export function parseCondaExplicit({ path, text }: ParseInput): ParsedPackages {
  // Found by its name only (`*explicit*.txt`, `conda-*.lock`): without the marker it is another file.
  if (!/^\s*@EXPLICIT\s*$/m.test(text)) {
    return { packages: [], notes: [], notALockfile: 'it has no @EXPLICIT line' };
  }
  const out: DependencyPackage[] = [];
  let explicit = false;
  splitLines(text).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (trimmed === '@EXPLICIT') {
      explicit = true;
      return;
    }
    if (!explicit)
      throw lockfileError(
        path,
        line,
        'has content before the @EXPLICIT line; is it a conda explicit lock file?',
      );
    const hash = trimmed.indexOf('#');
    const location = hash === -1 ? trimmed : trimmed.slice(0, hash);
    const fragment = hash === -1 ? '' : trimmed.slice(hash + 1);
    const { name, version, purl } = condaPackageAt(path, line, location);
    const digest = digestOf(fragment);
    if (fragment !== '' && digest === undefined) {
      throw lockfileError(
        path,
        line,
        `has an unreadable digest #${fragment.slice(0, 80)} (expected an md5 or sha256 hex digest)`,
      );
    }
    out.push(makePackage({ purl, name, version, ecosystem: 'conda', integrity: digest }));
  });
  return finishPackages(out);
}
