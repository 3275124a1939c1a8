import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseYamlSubset } from '../../src/lockfiles/yaml-subset.js';
import { generateCondaEnvironment, generatePnpmLockfile } from '../fixtures/lockfiles/generate.js';
import { FIXTURES } from './helpers.js';

/** What the `yaml` package reads, with the options the lockfile reader uses. */
function reference(text: string): unknown[] {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: true, prettyErrors: false });
  if ('empty' in docs) return [null];
  return docs.map((doc) => {
    const [error] = doc.errors;
    if (error !== undefined) throw new Error(error.message);
    return doc.toJS() as unknown;
  });
}

async function yamlFixtures(dir = FIXTURES): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await yamlFixtures(path)));
    else if (/\.ya?ml$/.test(entry.name) || entry.name === 'yarn.lock') out.push(path);
  }
  return out.sort();
}

const INSIDE = [
  "a: 1\nb: \"x\\u0041\\n\"\nc: 'it''s'\nd: ~\ne:\nf: [a, {b: c}, \"d\", 'e']\ng: {}\nh: [ ]\n",
  'i: x #comment\nj: x#y\nk: https://example.com/a#frag\n"quoted key": v\n\'@scope/x@1.0.0\': {integrity: sha512-AB+/=}\n',
  'list:\n- 1\n-\n- three\nnested:\n  - a: 1\n    b: [x]\n  -   c: 3\n      d: 4\n  - - deep\n    - er\n',
  "# header\n\n---\nlockfileVersion: '9.0'\n\n---\nsecond: doc\n",
  'a: 1\n---\n',
  '# only a comment\n',
  '',
  'key:   \n  child: value   \n\n\n  other: "v" # c\nr: "a\\"b\\\\c\\/d"\n',
  'dependencies:\n  - python=3.11\n  - pip\n  - pip:\n    - torch==2.1.0 ; python_version < "3.12"\n    - -r requirements.txt\n',
  'win: "C:\\\\x"\ncrlf: yes\r\nend: x\r\n',
  'empty-flow-value: {a: , b: c}\ntrailing: [a, b, ]\nnum: -1\ncolon: a:b\n',
];

const OUTSIDE = [
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  'a: |\n  block\n',
  'a: >\n  folded\n',
  'a: plain\n  continued\n',
  'a: "open\n  quote"\n',
  'a: 1\na: 2\n',
  '__proto__: x\n',
  '? complex\n: key\n',
  'a: b: c\n',
  '%YAML 1.2\n---\na: 1\n',
  'a: 1\n...\n',
  '\ta: 1\n',
  'just a scalar\n',
  'a: [1,\n  2]\n',
  'a:\n  - x\n   - y\n',
];

describe('the lockfile YAML subset reader', () => {
  it('reads every YAML fixture the way the `yaml` package does, without falling back', async () => {
    const files = await yamlFixtures();
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      if (file.endsWith('yarn.lock') && !/^__metadata:/m.test(text)) continue;
      const subset = parseYamlSubset(text);
      expect({ file: relative(FIXTURES, file), parsed: subset }).toEqual({
        file: relative(FIXTURES, file),
        parsed: reference(text),
      });
    }
  });

  it('reads generated pnpm lockfiles and environment files the way the `yaml` package does', () => {
    for (const text of [generatePnpmLockfile(300), generateCondaEnvironment(300)]) {
      expect(parseYamlSubset(text)).toEqual(reference(text));
    }
  });

  it.each(INSIDE.map((text) => [JSON.stringify(text).slice(0, 60), text]))(
    'reads %s as `yaml` does',
    (_name, text) => {
      const subset = parseYamlSubset(text);
      expect(subset).not.toBeUndefined();
      expect(subset).toEqual(reference(text));
    },
  );

  it.each(OUTSIDE.map((text) => [JSON.stringify(text).slice(0, 60), text]))(
    'leaves %s to the `yaml` package',
    (_name, text) => {
      expect(parseYamlSubset(text)).toBeUndefined();
    },
  );
});
