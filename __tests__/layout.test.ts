/**
 * The layout shows the flow: folders of src/ form floors, and no value import runs back up.
 * Type-only imports (erased at build) are allowed anywhere. The faces (cli, action) are the top:
 * nothing imports them; src/record (predicate, schema, statement) is the bottom: it imports only
 * itself and the shared errors.
 */
import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative } from 'node:path';

const SRC = join(process.cwd(), 'src');

async function sourceFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith('.ts')) files.push(path);
  }
  return files;
}

/** `import … from './x.js'` statements that bring values (not only types), as resolved paths. */
function valueImports(file: string, text: string): string[] {
  const targets: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+'(\.[^']+)'/gms)) {
    const [, typeOnly, clause = '', specifier = ''] = match;
    if (typeOnly) continue;
    const names = /\{([^}]*)\}/.exec(clause);
    const onlyTypes =
      names !== null &&
      !/^\s*[\w$]+\s*,/.test(clause) &&
      names[1]
        ?.split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '')
        .every((name) => name.startsWith('type '));
    if (onlyTypes) continue;
    targets.push(normalize(join(dirname(file), specifier)).replace(/\.js$/, '.ts'));
  }
  return targets;
}

/** The folder under src/ a file is in, or the file itself for top-level files. */
const folderOf = (path: string): string => relative(SRC, path).split('/')[0] as string;

async function folderGraph(): Promise<Map<string, Map<string, string[]>>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of await sourceFiles(SRC)) {
    const from = folderOf(file);
    for (const target of valueImports(file, await readFile(file, 'utf8'))) {
      const to = folderOf(target);
      if (to === from || !target.startsWith(SRC)) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      edges.set(to, [...(edges.get(to) ?? []), `${relative(SRC, file)} → ${relative(SRC, target)}`]);
      graph.set(from, edges);
    }
  }
  return graph;
}

describe('the layout of src/', () => {
  it('has no cycle between folders (value imports)', async () => {
    const graph = await folderGraph();
    const cycles: string[] = [];
    for (const [from, edges] of graph) {
      for (const [to, why] of edges) {
        const back = graph.get(to)?.get(from);
        if (back && from < to) cycles.push(`${from} ↔ ${to}: ${why[0] ?? ''} and ${back[0] ?? ''}`);
      }
    }
    // Longer cycles: a folder reaching itself through others.
    const reaches = (start: string, goal: string, seen = new Set<string>()): boolean => {
      for (const next of graph.get(start)?.keys() ?? []) {
        if (next === goal) return true;
        if (!seen.has(next)) {
          seen.add(next);
          if (reaches(next, goal, seen)) return true;
        }
      }
      return false;
    };
    const inCycle = [...graph.keys()].filter((folder) => reaches(folder, folder)).sort();
    expect(cycles).toEqual([]);
    expect(inCycle).toEqual([]);
  });

  it('keeps the faces on top and the record format at the bottom', async () => {
    const graph = await folderGraph();
    const intoFaces = [...graph.entries()].flatMap(([from, edges]) =>
      [...edges.entries()]
        .filter(([to]) => (to === 'cli' || to === 'action') && from !== 'cli' && from !== 'action')
        .flatMap(([, why]) => why),
    );
    expect(intoFaces).toEqual([]);
    const fromRecord = [...(graph.get('record')?.entries() ?? [])]
      .filter(([to]) => to !== 'errors.ts')
      .flatMap(([, why]) => why);
    expect(fromRecord).toEqual([]);
  });
});
