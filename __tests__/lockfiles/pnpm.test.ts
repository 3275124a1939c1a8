import { describe, expect, it } from '@jest/globals';
import { pnpmParser } from '../../src/lockfiles/pnpm.js';
import { expectFailure, parseFixture } from './helpers.js';

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

  it('refuses lockfile versions it does not read, naming the line and the fix', async () => {
    const text = "# old\nlockfileVersion: '5.4'\n\npackages: {}\n";
    await expectFailure(pnpmParser.parse({ path: 'pnpm-lock.yaml', text }), {
      file: 'pnpm-lock.yaml',
      line: 2,
      message: /lockfileVersion 5\.4.*pnpm install --lockfile-only/,
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

  it('names the line of a second YAML document', async () => {
    const text = "lockfileVersion: '9.0'\n---\nlockfileVersion: '9.0'\n";
    await expectFailure(pnpmParser.parse({ path: 'pnpm-lock.yaml', text }), {
      file: 'pnpm-lock.yaml',
      line: 2,
    });
  });
});
