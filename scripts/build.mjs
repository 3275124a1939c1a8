#!/usr/bin/env node
/**
 * Bundles the two runnable faces of model-ledger into dist/:
 *
 *   src/action/index.ts -> dist/index.js   the GitHub Action (action.yml runs it on node24)
 *   src/cli/index.ts    -> dist/cli.js     the CLI (package.json "bin"; runs with plain `node`)
 *
 * and writes dist/licenses.txt, the licences of every npm package that ended up in a bundle.
 * `--outdir DIR` writes them to DIR instead of dist/ (to try a build without touching dist/).
 *
 * dist/ is committed and CI rebuilds it and fails on any difference, so the output must be
 * byte-identical for the same sources and the same node_modules: no timestamps, no absolute
 * paths, everything sorted. The build is done in memory first; dist/ is only touched once every
 * bundle has been built and parses, and files in dist/ that the build no longer produces are removed.
 *
 * No dist/package.json is written: the root package.json says "type": "module", which Node
 * applies to dist/*.js both in the Action's checkout and in an installed npm package. This
 * script checks that, so the day it stops being true the build fails instead of shipping
 * bundles that Node would load as CommonJS.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'fflate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const distDir = join(root, 'dist');

/** @type {{ name: string, entry: string, out: string, mode: number, shebang: boolean }[]} */
const bundles = [
  { name: 'GitHub Action', entry: 'src/action/index.ts', out: 'index.js', mode: 0o644, shebang: false },
  { name: 'CLI', entry: 'src/cli/index.ts', out: 'cli.js', mode: 0o755, shebang: true },
];

/**
 * Dependencies such as the @sigstore/* packages are CommonJS. Bundled into an ES module they still
 * call require('crypto') and may read __dirname or __filename, which ES modules lack; this banner
 * defines them. Free uses of __dirname and __filename are redirected (see `define` below) to names
 * no source file declares, so a module of ours with its own top-level `const __dirname` still
 * parses. esbuild already renames top-level bindings called `require`, whose free use its own
 * `__require` helper reserves.
 */
const cjsShim = [
  "import { createRequire as __modelLedgerCreateRequire } from 'node:module';",
  "import { dirname as __modelLedgerPathDirname } from 'node:path';",
  "import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';",
  'const require = __modelLedgerCreateRequire(import.meta.url);',
  'const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);',
  'const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);',
].join('\n');
const cjsDefine = { __filename: '__modelLedgerFilename', __dirname: '__modelLedgerDirname' };

/**
 * The HDF5 reader's worker (src/formats/hdf5-worker.mjs) runs h5wasm, whose WebAssembly is
 * embedded in its JavaScript. A worker is started from a file or a URL, and the bundles must stay
 * single files, so the worker is bundled with h5wasm on its own, deflated, and appended to each
 * bundle as a trailing base64 comment; src/formats/hdf5-worker-url.ts is replaced in the bundles by
 * a module that reads that comment back from the bundle's own file, inflates it, checks its
 * SHA-256 and returns it as a data: URL. A comment, and a deflated one, because every byte of a
 * bundle is parsed at startup, and `model-ledger --version` should not pay for a reader it only
 * needs when it meets an HDF5 file: measured, the 5 MB worker as a string literal or as a plain
 * base64 comment (6.6 MB) adds some 30 ms to the CLI's startup, deflated (1.5 MB) a few.
 * fflate deflates, not node:zlib, whose output may change with Node's zlib; inflating is the same
 * everywhere.
 */
const hdf5Worker = {
  entry: 'src/formats/hdf5-worker.mjs',
  replaces: 'src/formats/hdf5-worker-url.ts',
  opening: '/*model-ledger-hdf5-worker:base64,',
};

class BuildError extends Error {}

function outDirArgument() {
  const at = process.argv.indexOf('--outdir');
  if (at === -1) return undefined;
  const value = process.argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new BuildError('--outdir needs a directory');
  return resolve(value);
}

/** The worker bundled with h5wasm: its code deflated as base64, its size and SHA-256, and the files it is made of. */
async function buildHdf5Worker() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [hdf5Worker.entry],
    outfile: join('dist', 'hdf5-worker.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // h5wasm asks createRequire(import.meta.url) for node builtins only; a data: URL is no base it takes.
    define: { 'import.meta.url': JSON.stringify('file:///model-ledger/hdf5-worker.mjs') },
    legalComments: 'none',
    charset: 'utf8',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  if (result.outputFiles.length !== 1)
    throw new BuildError(`esbuild wrote ${result.outputFiles.length} files for ${hdf5Worker.entry}`);
  const [output] = result.outputFiles;
  const meta = Object.values(result.metafile.outputs)[0];
  return {
    base64: Buffer.from(deflateSync(output.contents, { level: 9 })).toString('base64'),
    bytes: output.contents.length,
    sha256: createHash('sha256').update(output.contents).digest('hex'),
    inputs: meta === undefined ? [] : Object.entries(meta.inputs),
  };
}

/** Replaces hdf5-worker-url.ts with the module that reads the appended worker back. */
function hdf5WorkerPlugin(worker, used) {
  const source = [
    "import { createHash } from 'node:crypto';",
    "import { readFileSync } from 'node:fs';",
    "import { fileURLToPath } from 'node:url';",
    "import { inflateRawSync } from 'node:zlib';",
    `const OPENING = ${JSON.stringify(hdf5Worker.opening)};`,
    `const BYTES = ${worker.bytes};`,
    `const SHA256 = ${JSON.stringify(worker.sha256)};`,
    'let url;',
    'export function hdf5WorkerUrl() {',
    '  if (url !== undefined) return url;',
    '  const file = fileURLToPath(import.meta.url);',
    "  const text = readFileSync(file, 'latin1');",
    '  const start = text.lastIndexOf(OPENING);',
    "  const end = text.lastIndexOf('*/');",
    "  if (start === -1 || end < start) throw new Error('the HDF5 reader embedded at the end of ' + file + ' is missing');",
    "  const code = inflateRawSync(Buffer.from(text.slice(start + OPENING.length, end), 'base64'), { maxOutputLength: BYTES });",
    "  if (createHash('sha256').update(code).digest('hex') !== SHA256)",
    "    throw new Error('the HDF5 reader embedded at the end of ' + file + ' is damaged');",
    "  url = new URL('data:text/javascript;base64,' + code.toString('base64'));",
    '  return url;',
    '}',
  ].join('\n');
  const target = join(root, hdf5Worker.replaces);
  return {
    name: 'model-ledger-hdf5-worker',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /hdf5-worker-url\.ts$/ }, (args) => {
        if (args.path !== target) return undefined;
        used.value = true;
        return { contents: source, loader: 'js', resolveDir: dirname(target) };
      });
    },
  };
}

async function main() {
  const outDir = outDirArgument() ?? distDir;
  await checkPackageType();
  const missing = bundles.filter((bundle) => !existsSync(join(root, bundle.entry)));
  if (missing.length > 0) {
    throw new BuildError(
      missing
        .map(
          (bundle) =>
            `missing entry point ${bundle.entry} (the ${bundle.name}, bundled to dist/${bundle.out})`,
        )
        .join('\n') + '\ncreate it, then run `npm run build` again; dist/ was left unchanged',
    );
  }

  /** @type {Map<string, string | Uint8Array>} file name in dist/ -> contents */
  const files = new Map();
  /** @type {Map<string, Set<string>>} package directory (relative to root) -> bundles it is in */
  const packages = new Map();
  const addPackages = (inputs, out) => {
    for (const [input, { bytesInOutput }] of inputs) {
      const packageDir = packageDirOf(input);
      if (packageDir === undefined || bytesInOutput === 0) continue;
      const inBundles = packages.get(packageDir) ?? new Set();
      inBundles.add(out);
      packages.set(packageDir, inBundles);
    }
  };
  const worker = await buildHdf5Worker();

  for (const bundle of bundles) {
    const used = { value: false };
    const result = await build({
      absWorkingDir: root,
      entryPoints: [bundle.entry],
      outfile: join('dist', bundle.out),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      banner: { js: cjsShim },
      define: cjsDefine,
      legalComments: 'none',
      charset: 'ascii',
      // Whitespace only (names and structure stay as written): a third less for node to parse on
      // every start, which is most of a read command's fixed cost.
      minifyWhitespace: true,
      metafile: true,
      write: false,
      logLevel: 'warning',
      plugins: [hdf5WorkerPlugin(worker, used)],
    });
    const output = result.outputFiles.find((file) => relative(distDir, file.path) === bundle.out);
    if (output === undefined || result.outputFiles.length !== 1) {
      const names = result.outputFiles.map((file) => relative(root, file.path)).join(', ');
      throw new BuildError(`esbuild wrote ${names} for ${bundle.entry}; expected only dist/${bundle.out}`);
    }
    let text = output.text;
    // A hashbang in the entry source is kept by esbuild above the banner; ours replaces it.
    if (text.startsWith('#!')) text = text.slice(text.indexOf('\n') + 1);
    if (bundle.shebang) text = '#!/usr/bin/env node\n' + text;
    // Every bundle scans models; one that lacks the worker would find its HDF5 reader missing at run time.
    if (!used.value)
      throw new BuildError(`${hdf5Worker.replaces} is not in dist/${bundle.out}; update scripts/build.mjs`);
    text += `${hdf5Worker.opening}${worker.base64}*/\n`;
    addPackages(worker.inputs, bundle.out);
    files.set(bundle.out, text);

    const meta = result.metafile.outputs[relative(root, output.path).split('\\').join('/')];
    if (meta === undefined) throw new BuildError(`esbuild's metafile does not describe dist/${bundle.out}`);
    addPackages(Object.entries(meta.inputs), bundle.out);
  }

  files.set('licenses.txt', await licenses(packages));
  await checkSyntax(files);
  await writeDist(files, outDir);

  for (const [name, contents] of [...files].sort(([a], [b]) => compare(a, b))) {
    console.log(`${relative(root, join(outDir, name))}  ${Buffer.byteLength(contents)} bytes`);
  }
}

async function checkPackageType() {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  if (manifest.type !== 'module') {
    throw new BuildError(
      'package.json must say "type": "module": dist/index.js and dist/cli.js are ES modules and ' +
        'rely on it (or write a dist/package.json with {"type":"module"} in scripts/build.mjs)',
    );
  }
}

/** `node_modules/@scope/name/lib/x.js` -> `node_modules/@scope/name`; innermost node_modules wins. */
function packageDirOf(input) {
  const path = input.split('\\').join('/');
  const at = path.lastIndexOf('node_modules/');
  if (at === -1) return undefined;
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  const nameParts = parts[0]?.startsWith('@') ? 2 : 1;
  if (parts.length <= nameParts) return undefined;
  return path.slice(0, at) + 'node_modules/' + parts.slice(0, nameParts).join('/');
}

const licenseFilePattern = /^(licen[cs]e|copying)([-._].*)?$/i;

/** The text of dist/licenses.txt: one section per package, sorted by name then version. */
async function licenses(packages) {
  const entries = [];
  for (const [dir, inBundles] of packages) {
    const manifest = JSON.parse(await readFile(join(root, dir, 'package.json'), 'utf8'));
    const names = (await readdir(join(root, dir), { withFileTypes: true }))
      .filter((entry) => entry.isFile() && licenseFilePattern.test(entry.name))
      .map((entry) => entry.name)
      .sort(compare);
    const texts = [];
    for (const name of names) texts.push({ name, text: await readFile(join(root, dir, name), 'utf8') });
    entries.push({
      name: String(manifest.name),
      version: String(manifest.version),
      license: licenseField(manifest),
      bundles: [...inBundles].sort(compare),
      texts,
    });
  }
  entries.sort((a, b) => compare(a.name, b.name) || compare(a.version, b.version));

  const unique = [];
  for (const entry of entries) {
    const last = unique.at(-1);
    if (last !== undefined && last.name === entry.name && last.version === entry.version) {
      last.bundles = [...new Set([...last.bundles, ...entry.bundles])].sort(compare);
    } else {
      unique.push(entry);
    }
  }

  const rule = '='.repeat(78);
  const sections = [
    'Third-party software bundled in dist/index.js and dist/cli.js of model-ledger.\n' +
      'Generated by scripts/build.mjs from the esbuild metafile; do not edit.\n' +
      `${unique.length} packages.\n`,
  ];
  for (const entry of unique) {
    let section = `${rule}\n${entry.name} ${entry.version}\nLicense: ${entry.license}\n`;
    section += `Bundled in: ${entry.bundles.map((name) => `dist/${name}`).join(', ')}\n`;
    if (entry.texts.length === 0) {
      section += `\n(The package ships no LICENSE, LICENCE or COPYING file; its package.json declares the licence above.)\n`;
    }
    for (const { name, text } of entry.texts) {
      section += `\n--- ${name} ---\n\n${text.replace(/\r\n/g, '\n').trimEnd()}\n`;
    }
    sections.push(section);
  }
  return sections.join('\n');
}

function licenseField(manifest) {
  const { license, licenses } = manifest;
  if (typeof license === 'string') return license;
  if (typeof license?.type === 'string') return license.type;
  if (Array.isArray(licenses)) {
    const types = licenses.map((item) => (typeof item === 'string' ? item : item?.type)).filter(Boolean);
    if (types.length > 0) return types.join(' OR ');
  }
  return '(not declared in package.json)';
}

/** Writes the files to `outDir`; in dist/ (only there) files the build no longer makes are removed. */
async function writeDist(files, outDir) {
  await mkdir(outDir, { recursive: true });
  for (const entry of outDir === distDir ? await readdir(outDir) : []) {
    if (!files.has(entry)) await rm(join(outDir, entry), { recursive: true, force: true });
  }
  for (const [name, contents] of files) {
    const path = join(outDir, name);
    await writeFile(path, contents);
    await chmod(path, bundles.find((bundle) => bundle.out === name)?.mode ?? 0o644);
  }
}

/**
 * Fails the build, before dist/ is touched, when a bundle does not parse as an ES module (for
 * example when bundled code declares a name the banner also declares).
 */
async function checkSyntax(files) {
  const dir = await mkdtemp(join(tmpdir(), 'model-ledger-build-'));
  try {
    for (const bundle of bundles) {
      const path = join(dir, bundle.out.replace(/\.js$/, '.mjs'));
      await writeFile(path, files.get(bundle.out) ?? '');
      try {
        execFileSync(process.execPath, ['--check', path], { stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (error) {
        const stderr = error && typeof error === 'object' && 'stderr' in error ? String(error.stderr) : '';
        throw new BuildError(`dist/${bundle.out} would not parse:\n${stderr.trim()}`, { cause: error });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Code-unit (not locale) order, so the output is the same on every machine. */
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

try {
  await main();
} catch (error) {
  if (error instanceof BuildError) {
    console.error(`build: ${error.message}`);
  } else if (error && typeof error === 'object' && Array.isArray(error.errors)) {
    // esbuild has already printed its errors (logLevel "warning").
    console.error(`build: esbuild failed with ${error.errors.length} error(s)`);
  } else {
    console.error('build: unexpected failure');
    console.error(error);
  }
  process.exitCode = 1;
}
