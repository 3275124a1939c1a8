// `npm run bench [-- NAME...]`: bundles every bench/*.bench.ts with esbuild into .bench/ (git-ignored)
// and runs each one's exported `async function run(): Promise<string[]>`, printing the lines it returns.
// The CLI is bundled too, into .bench/cli/cli.js, for the benchmarks that run it.
// Benchmarks are measurements, not tests: a failing benchmark is reported and the others still run.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = join(root, 'bench');
const outDir = join(root, '.bench');
const filters = process.argv.slice(2);

const names = (await readdir(benchDir))
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();
if (names.length === 0) {
  console.error(`no benchmark in bench/ matches ${filters.length ? filters.join(', ') : '*.bench.ts'}`);
  process.exit(2);
}

await rm(outDir, { recursive: true, force: true });
await build({
  entryPoints: names.map((name) => join(benchDir, name)),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: outDir,
  outExtension: { '.js': '.mjs' },
  // Dependencies load from node_modules at run time, as the bundled CLI's would not: the bench
  // measures our code, and CommonJS packages need no ESM shims this way.
  packages: 'external',
  logLevel: 'warning',
});

// The CLI bundled as scripts/build.mjs bundles dist/cli.js (same esbuild settings, same shim for
// the CommonJS dependencies), for benchmarks that run it as users do; dist/ itself is left alone.
const cjsShim = [
  "import { createRequire as __modelLedgerCreateRequire } from 'node:module';",
  "import { dirname as __modelLedgerPathDirname } from 'node:path';",
  "import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';",
  'const require = __modelLedgerCreateRequire(import.meta.url);',
  'const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);',
  'const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);',
].join('\n');
await build({
  entryPoints: [join(root, 'src', 'cli', 'index.ts')],
  outfile: join(outDir, 'cli', 'cli.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: { js: cjsShim },
  define: { __filename: '__modelLedgerFilename', __dirname: '__modelLedgerDirname' },
  legalComments: 'none',
  charset: 'ascii',
  minifyWhitespace: true,
  logLevel: 'warning',
});

for (const name of names) {
  const bundle = join(outDir, name.replace(/\.ts$/, '.mjs'));
  console.log(`\n## ${name}`);
  const started = performance.now();
  try {
    const module = await import(pathToFileURL(bundle).href);
    if (typeof module.run !== 'function')
      throw new Error('exports no `async function run(): Promise<string[]>`');
    const lines = await module.run();
    if (!Array.isArray(lines)) throw new Error('run() did not resolve to an array of lines');
    for (const line of lines) console.log(String(line));
    console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    console.error(
      `${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  }
}
