import { describe, expect, it } from '@jest/globals';
import { pnpmParser } from '../../src/lockfiles/pnpm.js';
import { expectFailure, parseFixture, readFixture } from './helpers.js';

describe('pnpm-lock.yaml', () => {
  it('reads lockfileVersion 6: peer suffixes dropped, dev flags as written, importers direct', async () => {
    const result = await parseFixture(pnpmParser, 'pnpm/v6/pnpm-lock.yaml');
    expect(result.packages.map(({ purl, direct, dev }) => ({ purl, direct, dev }))).toEqual([
      { purl: 'pkg:npm/%40types/react@18.2.33', direct: true, dev: true },
      { purl: 'pkg:npm/csstype@3.1.2', direct: false, dev: true },
      { purl: 'pkg:npm/js-tokens@4.0.0', direct: false, dev: false },
      { purl: 'pkg:npm/loose-envify@1.4.0', direct: false, dev: false },
      { purl: 'pkg:npm/react-dom@18.2.0', direct: true, dev: false },
      { purl: 'pkg:npm/react@18.2.0', direct: true, dev: false },
      { purl: 'pkg:npm/scheduler@0.23.0', direct: false, dev: false },
    ]);
    expect(result.packages[0]).toEqual({
      purl: 'pkg:npm/%40types/react@18.2.33',
      name: '@types/react',
      version: '18.2.33',
      ecosystem: 'npm',
      integrity:
        'sha512-v+I7S+hu3PIBoVkKGpSYYpiBT1ijqEzWpzQD62/jm4K74hPpSP7FF9BnKG6+fg2+62weJYkkBWDJlZt5JO/9hg==',
      direct: true,
      dev: true,
    });
  });

  it('reads lockfileVersion 9: dev-ness from the snapshot graph, aliases and workspace links', async () => {
    const result = await parseFixture(pnpmParser, 'pnpm/v9/pnpm-lock.yaml');
    expect(result.packages.map(({ purl, direct, dev }) => ({ purl, direct, dev }))).toEqual([
      { purl: 'pkg:npm/loose-envify@1.4.0', direct: false, dev: false },
      { purl: 'pkg:npm/react-dom@18.2.0', direct: true, dev: false },
      { purl: 'pkg:npm/react@18.2.0', direct: false, dev: false },
      { purl: 'pkg:npm/string-width@4.2.3', direct: true, dev: false },
      { purl: 'pkg:npm/tinypool@0.8.1', direct: false, dev: true },
      { purl: 'pkg:npm/vitest@1.0.4', direct: true, dev: true },
    ]);
    expect(result.packages.every((pkg) => pkg.integrity?.startsWith('sha512-'))).toBe(true);
  });

  it('reads lockfileVersion 5.4 (pnpm 7): `/name/version_peers` keys, scoped names, dev flags', async () => {
    const result = await parseFixture(pnpmParser, 'pnpm/v5/pnpm-lock.yaml');
    expect(result.packages.map(({ purl, direct, dev }) => ({ purl, direct, dev }))).toEqual([
      { purl: 'pkg:npm/%40tanstack/query-core@4.29.5', direct: false, dev: false },
      { purl: 'pkg:npm/%40tanstack/react-query@4.29.5', direct: true, dev: false },
      { purl: 'pkg:npm/%40types/react@18.2.33', direct: true, dev: true },
      { purl: 'pkg:npm/csstype@3.1.2', direct: false, dev: true },
      { purl: 'pkg:npm/js-tokens@4.0.0', direct: false, dev: false },
      { purl: 'pkg:npm/loose-envify@1.4.0', direct: false, dev: false },
      { purl: 'pkg:npm/react-dom@18.2.0', direct: true, dev: false },
      { purl: 'pkg:npm/react@18.2.0', direct: true, dev: false },
      { purl: 'pkg:npm/scheduler@0.23.0', direct: false, dev: false },
      { purl: 'pkg:npm/use-sync-external-store@1.2.0', direct: false, dev: false },
    ]);
    expect(result.packages.find((pkg) => pkg.name === '@tanstack/react-query')).toMatchObject({
      version: '4.29.5',
      integrity:
        'sha512-F87cibC3s3eG0Q90g2O+hqntpCrudKFnR8P24qkH9uccEhXErnJxBC/AAI4cJRV2bfMO8IeGZQYf3WyYgmSg0w==',
    });
  });

  it('reads a v5 workspace: importers with specifiers and bare version references', async () => {
    const text = [
      'lockfileVersion: 5.4',
      '',
      'importers:',
      '',
      '  .:',
      '    specifiers:',
      '      typescript: ^4.9.0',
      '    devDependencies:',
      '      typescript: 4.9.5',
      '',
      '  packages/a:',
      '    specifiers:',
      '      lodash: ^4.17.21',
      '    dependencies:',
      '      lodash: 4.17.21',
      '',
      'packages:',
      '',
      '  /lodash/4.17.21:',
      '    resolution: {integrity: sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==}',
      '    dev: false',
      '',
      '  /typescript/4.9.5:',
      '    resolution: {integrity: sha512-1FXk9E2Hm+QzZQ7z+McJiHL4NW1F2EzMu9Nq9i3zAaGqibafqYwCVU6WyWAuyQRRzOlxou8xZSyXLEN8oKj24g==}',
      "    engines: {node: '>=4.2.0'}",
      '    hasBin: true',
      '    dev: true',
      '',
    ].join('\n');
    const result = await pnpmParser.parse({ path: 'pnpm-lock.yaml', text });
    expect(result.packages.map(({ purl, direct, dev }) => ({ purl, direct, dev }))).toEqual([
      { purl: 'pkg:npm/lodash@4.17.21', direct: true, dev: false },
      { purl: 'pkg:npm/typescript@4.9.5', direct: true, dev: true },
    ]);
  });

  it('reads a v5 name with an underscore as a name, cutting only the peer suffix after the version', async () => {
    const text = [
      'lockfileVersion: 5.3',
      '',
      'specifiers:',
      '  snake_case: ^1.0.0',
      '',
      'dependencies:',
      '  snake_case: 1.0.2_react@18.2.0',
      '',
      'packages:',
      '',
      '  /snake_case/1.0.2_react@18.2.0:',
      '    resolution: {integrity: sha512-AAAA}',
      '    dev: false',
      '',
    ].join('\n');
    const result = await pnpmParser.parse({ path: 'pnpm-lock.yaml', text });
    expect(result.packages).toEqual([
      {
        purl: 'pkg:npm/snake_case@1.0.2',
        name: 'snake_case',
        version: '1.0.2',
        ecosystem: 'npm',
        integrity: 'sha512-AAAA',
        direct: true,
        dev: false,
      },
    ]);
  });

  it("reads pnpm 10's two-document lockfile: the environment lockfile's packages are recorded and noted", async () => {
    const result = await parseFixture(pnpmParser, 'pnpm/v9-env/pnpm-lock.yaml');
    const single = await parseFixture(pnpmParser, 'pnpm/v9/pnpm-lock.yaml');
    expect(result.packages.filter((pkg) => pkg.name !== 'pnpm')).toEqual(single.packages);
    expect(result.packages.find((pkg) => pkg.name === 'pnpm')).toMatchObject({
      purl: 'pkg:npm/pnpm@10.14.0',
      direct: false,
    });
    expect(result.notes).toEqual([
      expect.stringMatching(/environment lockfile \(the first .*pnpm@10\.14\.0/),
    ]);
  });

  it('tells the environment document by its importers, whichever order the documents are in', async () => {
    const { text } = await readFixture('pnpm/v9-env/pnpm-lock.yaml');
    const [, env = '', project = ''] = text.split(/^---\n/m);
    const swapped = await pnpmParser.parse({ path: 'pnpm-lock.yaml', text: `${project}---\n${env}` });
    const inOrder = await pnpmParser.parse({ path: 'pnpm-lock.yaml', text });
    expect(swapped.packages).toEqual(inOrder.packages);
    expect(swapped.notes).toEqual([expect.stringMatching(/environment lockfile \(the second /)]);
  });

  it('refuses lockfile versions it does not read, naming the line and the fix', async () => {
    const text = "# old\nlockfileVersion: '4.0'\n\npackages: {}\n";
    await expectFailure(pnpmParser.parse({ path: 'pnpm-lock.yaml', text }), {
      file: 'pnpm-lock.yaml',
      line: 2,
      message: /lockfileVersion 4\.0.*pnpm install --lockfile-only/,
    });
  });

  it('names the line of a key repeated in one mapping', async () => {
    const text = "lockfileVersion: '9.0'\n\npackages:\n  a@1.0.0: {}\n  b@1.0.0: {}\n  a@1.0.0: {}\n";
    await expectFailure(pnpmParser.parse({ path: 'pnpm-lock.yaml', text }), {
      file: 'pnpm-lock.yaml',
      line: 6,
      message: /repeats the key "a@1\.0\.0"/,
    });
  });

  it('refuses deeply nested flow collections before handing them to the YAML parser', async () => {
    const text = `lockfileVersion: '9.0'\n\npackages:\n  x@1.0.0:\n    resolution: ${'['.repeat(200_000)}\n`;
    await expectFailure(pnpmParser.parse({ path: 'pnpm-lock.yaml', text }), {
      file: 'pnpm-lock.yaml',
      line: 5,
      message: /nests YAML flow collections/,
    });
  });

  it('names the line of a package that is not a mapping', async () => {
    const text = "lockfileVersion: '9.0'\n\npackages:\n\n  left-pad@1.3.0: just a string\n";
    await expectFailure(pnpmParser.parse({ path: 'pnpm-lock.yaml', text }), {
      file: 'pnpm-lock.yaml',
      line: 5,
      message: /must be a mapping/,
    });
  });

  it('names the line of a third YAML document', async () => {
    const text = "lockfileVersion: '9.0'\n---\nlockfileVersion: '9.0'\n---\nlockfileVersion: '9.0'\n";
    await expectFailure(pnpmParser.parse({ path: 'pnpm-lock.yaml', text }), {
      file: 'pnpm-lock.yaml',
      line: 4,
      message: /more than 2 YAML documents/,
    });
  });
});
