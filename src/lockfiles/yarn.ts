/**
 * `yarn.lock`: the classic (v1) line format, and the berry (v2+) YAML format recognised by its
 * `__metadata` entry.
 */
import type { DependencyPackage } from '../record/predicate.js';
import { isRecord, type JsonRecord } from './json.js';
import { finishPackages, makePackage } from './packages.js';
import { npmPurl } from './purl.js';
import { lineOf, lockfileError, splitLines } from './text.js';
import type { LockfileParser, ParseInput, ParsedPackages } from './types.js';
import { parseYamlLockfile } from './yaml.js';

export const yarnParser: LockfileParser = {
  kind: 'yarn',
  matches: (path) => /(^|\/)yarn\.lock$/.test(path),
  parse: async (input) => parseYarnLockfile(input),
};

export function parseYarnLockfile(input: ParseInput): ParsedPackages {
  return /^__metadata:/m.test(input.text) ? parseBerry(input) : parseClassic(input);
}

/** `name@range` → name; the first `@` after a leading scope `@` separates them. */
function descriptorName(descriptor: string): { name: string; range: string } {
  const at = descriptor.indexOf('@', 1);
  if (at === -1) return { name: descriptor, range: '' };
  return { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

/** Splits `"a@^1", a@^2` (a classic entry header, without its colon) into descriptors. */
function splitHeader(header: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < header.length) {
    while (header[i] === ' ' || header[i] === ',') i += 1;
    if (i >= header.length) break;
    if (header[i] === '"') {
      const end = header.indexOf('"', i + 1);
      if (end === -1) return undefined;
      out.push(header.slice(i + 1, end));
      i = end + 1;
    } else {
      const comma = header.indexOf(',', i);
      const end = comma === -1 ? header.length : comma;
      out.push(header.slice(i, end).trim());
      i = end;
    }
  }
  return out.length > 0 ? out : undefined;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** An old lockfile without `integrity` still pins the tarball's sha1 in the URL fragment. */
function integrityFromResolved(resolved: string | undefined): string | undefined {
  const hex = /#([0-9a-f]{40})$/.exec(resolved ?? '')?.[1];
  return hex === undefined ? undefined : `sha1-${Buffer.from(hex, 'hex').toString('base64')}`;
}

interface ClassicEntry {
  line: number;
  descriptors: string[];
  fields: Map<string, string>;
}

function parseClassic({ path, text }: ParseInput): ParsedPackages {
  const entries: ClassicEntry[] = [];
  let current: ClassicEntry | undefined;
  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index += 1) {
    const raw = lines[index] ?? '';
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    if (indent === 0) {
      const descriptors = raw.endsWith(':') ? splitHeader(raw.slice(0, -1)) : undefined;
      if (descriptors === undefined) {
        throw lockfileError(
          path,
          line,
          'is not a yarn.lock entry header (expected `"name@range", name@range:`)',
        );
      }
      current = { line, descriptors, fields: new Map() };
      entries.push(current);
      continue;
    }
    if (current === undefined) throw lockfileError(path, line, 'has an indented line before the first entry');
    // Nested blocks (dependencies, optionalDependencies) list ranges, not what was installed.
    if (indent > 2) continue;
    if (trimmed.endsWith(':')) continue;
    const match = /^("(?:[^"\\]|\\.)*"|[^\s"]+)\s+(.+)$/.exec(trimmed);
    if (match === null)
      throw lockfileError(path, line, `cannot read ${JSON.stringify(trimmed.slice(0, 80))} as \`key value\``);
    current.fields.set(unquote(match[1] ?? ''), unquote(match[2] ?? ''));
  }

  const out: DependencyPackage[] = [];
  for (const entry of entries) {
    const version = entry.fields.get('version');
    if (version === undefined)
      throw lockfileError(path, entry.line, `entry ${entry.descriptors[0] ?? ''} has no version`);
    const descriptor = descriptorName(entry.descriptors[0] ?? '');
    const name = descriptor.range.startsWith('npm:')
      ? descriptorName(descriptor.range.slice('npm:'.length)).name
      : descriptor.name;
    const resolved = entry.fields.get('resolved');
    out.push(
      makePackage({
        purl: npmPurl(name, version),
        name,
        version,
        ecosystem: 'npm',
        integrity: entry.fields.get('integrity') ?? integrityFromResolved(resolved),
      }),
    );
  }
  return finishPackages(out);
}

/** Protocols whose resolutions are the project's own folders, not third-party packages. */
const LOCAL_PROTOCOLS = ['workspace:', 'link:', 'portal:'];

function parseBerry({ path, text }: ParseInput): ParsedPackages {
  const doc = parseYamlLockfile(text, path);
  if (!isRecord(doc) || !isRecord(doc['__metadata'])) {
    throw lockfileError(
      path,
      lineOf(text, '__metadata'),
      'has no `__metadata` mapping; is it a yarn.lock written by yarn 2 or later?',
    );
  }

  const entries: { key: string; value: JsonRecord; resolution: string }[] = [];
  const direct = new Set<string>();
  let workspaces = 0;
  for (const [key, value] of Object.entries(doc)) {
    if (key === '__metadata') continue;
    const line = (): number => lineOf(text, key);
    if (!isRecord(value)) throw lockfileError(path, line(), `entry ${key} must be a mapping`);
    const resolution = value['resolution'];
    if (typeof resolution !== 'string') throw lockfileError(path, line(), `entry ${key} has no resolution`);
    const { range } = descriptorName(resolution);
    if (LOCAL_PROTOCOLS.some((protocol) => range.startsWith(protocol))) {
      if (range.startsWith('workspace:')) {
        workspaces += 1;
        const dependencies = value['dependencies'] ?? {};
        if (!isRecord(dependencies))
          throw lockfileError(path, line(), `entry ${key}: dependencies must be a mapping`);
        for (const [name, wanted] of Object.entries(dependencies)) {
          if (typeof wanted !== 'string')
            throw lockfileError(path, line(), `entry ${key}: dependency ${name} must be a range`);
          direct.add(`${name}@${wanted}`);
          if (!/^[a-z+]+:/.test(wanted)) direct.add(`${name}@npm:${wanted}`);
        }
      }
      continue;
    }
    entries.push({ key, value, resolution });
  }

  const out: DependencyPackage[] = [];
  for (const { key, value, resolution } of entries) {
    const line = (): number => lineOf(text, key);
    const version = value['version'];
    const checksum = value['checksum'];
    if (typeof version !== 'string') throw lockfileError(path, line(), `entry ${key} has no version`);
    if (checksum !== undefined && typeof checksum !== 'string')
      throw lockfileError(path, line(), `entry ${key}: checksum must be a string`);
    const { name } = descriptorName(resolution);
    const descriptors = key.split(',').map((descriptor) => descriptor.trim());
    out.push(
      makePackage({
        purl: npmPurl(name, version),
        name,
        version,
        ecosystem: 'npm',
        integrity: checksum,
        direct: workspaces > 0 ? descriptors.some((descriptor) => direct.has(descriptor)) : undefined,
      }),
    );
  }
  return finishPackages(out);
}
