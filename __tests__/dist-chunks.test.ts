/**
 * The committed bundles are split so that a command parses only what it runs: `--version` loads
 * no chunk of the Sigstore verifier, and `log` loads it only when it has to verify (a ledger
 * served from the verification cache never does). Read from dist/ as committed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = join(process.cwd(), 'dist');

/** A dist file and every file it imports statically (`import … from "./…"`), transitively. */
function staticClosure(file: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = readFileSync(join(dist, path), 'utf8');
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    for (const match of text.matchAll(/^import\s[^;]*?from\s*"(\.\/[^"]+)";/gms)) {
      const target = (match[1] as string).slice(2);
      visit(normalise(dir + target));
    }
  };
  visit(file);
  return seen;
}

function normalise(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

/** The chunk a command's dynamic import in dist/cli.js names. */
function commandChunk(command: string): string {
  const cli = readFileSync(join(dist, 'cli.js'), 'utf8');
  const match = new RegExp(`\\b${command}: async \\(\\) => \\(await import\\("\\./([^"]+)"\\)\\)`).exec(cli);
  if (!match) throw new Error(`dist/cli.js has no dynamic import for the ${command} command`);
  return match[1] as string;
}

/** Files of a closure that hold the bundle verifier (its threshold setting is unique to it). */
function verifierFiles(files: Set<string>): string[] {
  return [...files].filter((file) => readFileSync(join(dist, file), 'utf8').includes('tlogThreshold'));
}

describe('dist/ code splitting', () => {
  it('keeps the CLI entry small and free of the verifier', () => {
    const closure = staticClosure('cli.js');
    expect(verifierFiles(closure)).toEqual([]);
    const bytes = [...closure].reduce((sum, file) => sum + readFileSync(join(dist, file)).length, 0);
    expect(bytes).toBeLessThan(200_000);
  });

  it('loads the verifier for `verify`, but not for `log` until a verification is needed', () => {
    expect(verifierFiles(staticClosure(commandChunk('verify'))).length).toBeGreaterThan(0);
    expect(verifierFiles(staticClosure(commandChunk('log')))).toEqual([]);
    expect(verifierFiles(staticClosure(commandChunk('diff')))).toEqual([]);
  });

  it('has every chunk a bundle imports', () => {
    for (const entry of ['cli.js', 'index.js']) {
      for (const file of staticClosure(entry)) expect(() => readFileSync(join(dist, file))).not.toThrow();
    }
  });
});
