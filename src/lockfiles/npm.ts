/**
 * npm `package-lock.json` and `npm-shrinkwrap.json`, lockfileVersion 1 (nested `dependencies`)
 * and 2/3 (flat `packages` keyed by install path).
 */
import type { DependencyPackage } from '../record/predicate.js';
import { JsonFields, isRecord, jsonKeyLine, parseJsonLockfile, type JsonRecord } from './json.js';
import { finishPackages, makePackage } from './packages.js';
import { npmPurl } from './purl.js';
import { lockfileError } from './text.js';
import type { LockfileParser, ParseInput, ParsedPackages } from './types.js';

const NODE_MODULES = 'node_modules/';

export const npmParser: LockfileParser = {
  kind: 'npm',
  matches: (path) => /(^|\/)(package-lock|npm-shrinkwrap)\.json$/.test(path),
  parse: async (input) => parseNpmLockfile(input),
};

export function parseNpmLockfile({ path, text }: ParseInput): ParsedPackages {
  const doc = parseJsonLockfile(text, path);
  if (!isRecord(doc))
    throw lockfileError(path, 1, 'is not a JSON object; a package-lock.json starts with "{"');
  const root = new JsonFields(path, text, '', doc);
  const version = doc['lockfileVersion'];
  const line = (): number => jsonKeyLine(text, 'lockfileVersion');
  if (version === undefined) {
    throw lockfileError(path, 1, 'has no "lockfileVersion"; is it a package-lock.json written by npm?');
  }
  if (version !== 1 && version !== 2 && version !== 3) {
    throw lockfileError(
      path,
      line(),
      `has lockfileVersion ${JSON.stringify(version)}; model-ledger reads versions 1, 2 and 3`,
      'regenerate it with npm 7 or later (`npm install --package-lock-only`)',
    );
  }
  if (version === 1) return finishPackages(fromDependencies(path, text, root));
  const packages = root.optionalObject('packages');
  if (packages === undefined) {
    throw lockfileError(path, line(), `has lockfileVersion ${version} but no "packages" object`);
  }
  return finishPackages(fromPackages(path, text, packages));
}

/** Name of the package installed at `node_modules/a/node_modules/@s/b` → `@s/b`. */
function nameFromInstallPath(installPath: string): string {
  const at = installPath.lastIndexOf(NODE_MODULES);
  return installPath.slice(at + NODE_MODULES.length);
}

/** lockfileVersion 2 and 3: `packages` keyed by install path; `""` and workspace folders are the project. */
function fromPackages(path: string, text: string, packages: JsonRecord): DependencyPackage[] {
  // Declared dependencies of the root project and of each workspace: a package installed right
  // beside one of them (`node_modules/x` or `ws/node_modules/x`) under a declared name is direct.
  const projects = new Map<string, Set<string>>();
  for (const [installPath, value] of Object.entries(packages)) {
    if (installPath.includes(NODE_MODULES)) continue;
    if (!isRecord(value))
      throw lockfileError(path, jsonKeyLine(text, installPath), `entry "${installPath}" must be an object`);
    const entry = new JsonFields(path, text, installPath, value);
    const declared = new Set<string>();
    for (const member of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
      for (const name of entry.keysOf(member)) declared.add(name);
    }
    projects.set(installPath, declared);
  }

  const out: DependencyPackage[] = [];
  for (const [installPath, value] of Object.entries(packages)) {
    const at = installPath.lastIndexOf(NODE_MODULES);
    if (at === -1) continue;
    if (!isRecord(value))
      throw lockfileError(path, jsonKeyLine(text, installPath), `entry "${installPath}" must be an object`);
    const entry = new JsonFields(path, text, installPath, value);
    // A link points at a workspace folder, which is the project's own code, not a dependency.
    if (entry.optionalBoolean('link') === true) continue;
    const installedAs = nameFromInstallPath(installPath);
    if (installedAs === '')
      throw entry.fail(`entry "${installPath}" has no package name after node_modules/`);
    const name = entry.optionalString('name') ?? installedAs;
    const version = entry.optionalString('version') ?? '';
    const parent = at === 0 ? '' : installPath.slice(0, at - 1);
    const declared = projects.get(parent);
    out.push(
      makePackage({
        purl: npmPurl(name, version),
        name,
        version,
        ecosystem: 'npm',
        integrity: entry.optionalString('integrity'),
        // Without a root entry (`""`) nothing says what the project declared.
        direct: projects.size === 0 ? undefined : declared !== undefined && declared.has(installedAs),
        dev: entry.optionalBoolean('dev') === true,
        from: installPath,
      }),
    );
  }
  return out;
}

/** lockfileVersion 1: nested `dependencies` objects; walked with a stack, not recursion. */
function fromDependencies(path: string, text: string, root: JsonFields): DependencyPackage[] {
  const out: DependencyPackage[] = [];
  const stack: { holder: JsonFields; at: string }[] = [{ holder: root, at: '' }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { holder, at } = top;
    const dependencies = holder.optionalObject('dependencies');
    if (dependencies === undefined) continue;
    for (const [name, value] of Object.entries(dependencies)) {
      if (!isRecord(value))
        throw lockfileError(path, jsonKeyLine(text, name), `dependency "${name}" must be an object`);
      const entry = new JsonFields(path, text, name, value);
      const { name: realName, version } = unalias(name, entry.optionalString('version') ?? '');
      out.push(
        makePackage({
          purl: npmPurl(realName, version),
          name: realName,
          version,
          ecosystem: 'npm',
          integrity: entry.optionalString('integrity'),
          dev: entry.optionalBoolean('dev') === true,
          from: `${at}dependencies.${name}`,
        }),
      );
      stack.push({ holder: entry, at: `${at}dependencies.${name}.` });
    }
  }
  return out;
}

/** lockfileVersion 1 records an alias (`"foo": {"version": "npm:bar@1.0.0"}`) in its version. */
function unalias(name: string, version: string): { name: string; version: string } {
  if (!version.startsWith('npm:')) return { name, version };
  const spec = version.slice('npm:'.length);
  const at = spec.lastIndexOf('@');
  return at > 0 ? { name: spec.slice(0, at), version: spec.slice(at + 1) } : { name, version };
}
