/**
 * dist/cli.js is the whole CLI in one file: auditors download that one file (README, VERIFY.md of
 * every evidence pack) and run it with plain node, so it must import nothing beside it — only
 * Node's built-ins. Read from dist/ as committed.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const dist = join(process.cwd(), 'dist');
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** The specifiers of a module's static and dynamic imports. */
function imported(text: string): string[] {
  const specifiers: string[] = [];
  // Statements start a line or follow a `;` (the bundles are whitespace-minified).
  for (const match of text.matchAll(/(?:^|;)import\s*(?:[\w*{][^;]*?from\s*)?["']([^"']+)["'];/gm))
    specifiers.push(match[1] as string);
  for (const match of text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) specifiers.push(match[1] as string);
  return specifiers;
}

describe('the committed bundles', () => {
  it.each(['cli.js', 'index.js'])('dist/%s imports only Node built-ins', (file) => {
    const text = readFileSync(join(dist, file), 'utf8');
    const outside = imported(text).filter((specifier) => !builtins.has(specifier));
    expect(outside).toEqual([]);
    expect(imported(text).length).toBeGreaterThan(0);
  });
});
