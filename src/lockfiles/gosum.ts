/** `go.sum`: `module version h1:hash` lines; a module's `/go.mod` line is folded into its entry. */
import type { DependencyPackage } from '../record/predicate.js';
import { finishPackages, makePackage } from './packages.js';
import { golangPurl } from './purl.js';
import { lockfileError, splitLines } from './text.js';
import type { LockfileParser, ParseInput, ParsedPackages } from './types.js';

export const goSumParser: LockfileParser = {
  kind: 'go',
  matches: (path) => /(^|\/)go\.sum$/.test(path),
  parse: async (input) => parseGoSum(input),
};

export function parseGoSum({ path, text }: ParseInput): ParsedPackages {
  // module@version → the hash of its module zip, when go.sum has one (only its go.mod otherwise).
  const modules = new Map<string, { module: string; version: string; hash?: string }>();
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
  const out: DependencyPackage[] = [...modules.values()].map(({ module, version, hash }) =>
    makePackage({
      purl: golangPurl(module, version),
      name: module,
      version,
      ecosystem: 'golang',
      integrity: hash,
    }),
  );
  return finishPackages(out);
}
