import { describe, expect, it } from '@jest/globals';
import { npmParser } from '../../src/lockfiles/npm.js';
import { generateNpmLockfile, generatedPackageName } from '../fixtures/lockfiles/generate.js';
import { expectFailure, parseFixture, purls } from './helpers.js';

describe('npm package-lock.json', () => {
  it('recognises package-lock.json and npm-shrinkwrap.json only', () => {
    expect(npmParser.matches('package-lock.json')).toBe(true);
    expect(npmParser.matches('web/npm-shrinkwrap.json')).toBe(true);
    expect(npmParser.matches('node_modules/.package-lock.json')).toBe(false);
    expect(npmParser.matches('package.json')).toBe(false);
  });

  it('reads lockfileVersion 3: scoped names, nested copies, aliases, workspaces, dev and direct flags', async () => {
    const result = await parseFixture(npmParser, 'npm/v3/package-lock.json');
    expect(result.packages).toEqual([
      {
        purl: 'pkg:npm/%40babel/code-frame@7.22.13',
        name: '@babel/code-frame',
        version: '7.22.13',
        ecosystem: 'npm',
        integrity:
          'sha512-XktuhWlJ5g+3TJXc5upd9Ks1HutSArik6jf2eAjYFyIOf4ej3RN+184cZbzDvbPnuTJIUhPKKJE3cIsYTiAT3w==',
        direct: true,
        dev: false,
      },
      {
        purl: 'pkg:npm/chalk@2.4.2',
        name: 'chalk',
        version: '2.4.2',
        ecosystem: 'npm',
        integrity:
          'sha512-Mti+f9lpJNcwF4tWV8/OrTTtF1gZi+f8FqlyAdouralcFWFQWF2+NgCHShjkCb+IFBLq9buZwE1xckQU4peSuw==',
        direct: false,
        dev: false,
      },
      {
        purl: 'pkg:npm/chalk@4.1.2',
        name: 'chalk',
        version: '4.1.2',
        ecosystem: 'npm',
        integrity:
          'sha512-oKnbhFyRIXpUuez8iBMmyEa4nbj4IOQyuhc/wy9kY7/WVPcwIO9VA668Pu8RkO7+0G76SLROeyw9CpQ061i4mA==',
        direct: false,
        dev: false,
      },
      {
        purl: 'pkg:npm/express@4.18.2',
        name: 'express',
        version: '4.18.2',
        ecosystem: 'npm',
        integrity:
          'sha512-5/PsL6iGPdfQ/lKM1UuielYgv3BUoJfz1aUwU9vHZ+J7gyvwdQXFEBIEIaxeGf0GIcreATNyBExtalisDbuMqQ==',
        direct: true,
        dev: false,
      },
      {
        purl: 'pkg:npm/left-pad@1.3.0',
        name: 'left-pad',
        version: '1.3.0',
        ecosystem: 'npm',
        integrity:
          'sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEc4cRLdqHVrHFj5HWb1xRE6ZM11Xxst2ZvwJQ8K9yXQr8g==',
        direct: true,
        dev: false,
      },
      {
        purl: 'pkg:npm/typescript@5.2.2',
        name: 'typescript',
        version: '5.2.2',
        ecosystem: 'npm',
        integrity:
          'sha512-mI4WrpHsbCIcwT9cF4FZvr80QUeKvsUsUvKDoR+X/7XHQH98xYD8YHZg7ANtz2GtZt/CBq2QJ0thkGJMHfqc1w==',
        direct: true,
        dev: true,
      },
      {
        purl: 'pkg:npm/zod@3.22.4',
        name: 'zod',
        version: '3.22.4',
        ecosystem: 'npm',
        integrity:
          'sha512-iC+8Io04lddc+mVqQ9AZ7OQ2MrUKGN+oIQyq1vemgt46jwCwLfhq7/pwnBnNXXXZb8VTVLKwp9EDkx+ryxIWmg==',
        direct: true,
        dev: false,
      },
    ]);
    expect(result.notes).toEqual([]);
  });

  it('reads lockfileVersion 2 from its "packages", not the duplicate "dependencies"', async () => {
    const result = await parseFixture(npmParser, 'npm/v2/npm-shrinkwrap.json');
    expect(result.packages).toEqual([
      {
        purl: 'pkg:npm/ms@2.1.3',
        name: 'ms',
        version: '2.1.3',
        ecosystem: 'npm',
        integrity:
          'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==',
        direct: true,
        dev: false,
      },
    ]);
  });

  it('reads lockfileVersion 1: nested dependencies and npm: aliases, without guessing direct', async () => {
    const result = await parseFixture(npmParser, 'npm/v1/package-lock.json');
    expect(purls(result)).toEqual([
      'pkg:npm/debug@2.6.9',
      'pkg:npm/left-pad@1.3.0',
      'pkg:npm/mocha@5.2.0',
      'pkg:npm/ms@2.0.0',
      'pkg:npm/ms@2.1.2',
    ]);
    expect(result.packages.find((pkg) => pkg.purl === 'pkg:npm/mocha@5.2.0')).toMatchObject({ dev: true });
    expect(result.packages.find((pkg) => pkg.purl === 'pkg:npm/ms@2.0.0')).toEqual({
      purl: 'pkg:npm/ms@2.0.0',
      name: 'ms',
      version: '2.0.0',
      ecosystem: 'npm',
      integrity: 'sha1-VgiurfwAvmwpAd9fmGF4jeDVl8g=',
      dev: false,
    });
    expect(result.packages.every((pkg) => pkg.direct === undefined)).toBe(true);
  });

  it('merges the same package installed at several paths into one entry, keeping where each copy was when they disagree on dev', async () => {
    const text = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { a: '1' } },
        'node_modules/a': { version: '1.0.0', integrity: 'sha512-A' },
        'node_modules/b/node_modules/a': { version: '1.0.0', integrity: 'sha512-A', dev: true },
      },
    });
    const result = await npmParser.parse({ path: 'package-lock.json', text });
    expect(result.packages).toEqual([
      {
        purl: 'pkg:npm/a@1.0.0',
        name: 'a',
        version: '1.0.0',
        ecosystem: 'npm',
        integrity: 'sha512-A',
        direct: true,
        dev: false,
        occurrences: [
          { from: 'node_modules/a', dev: false },
          { from: 'node_modules/b/node_modules/a', dev: true },
        ],
      },
    ]);
  });

  it('lists no places for copies that agree on dev', async () => {
    const text = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { devDependencies: { a: '1' } },
        'node_modules/a': { version: '1.0.0', integrity: 'sha512-A', dev: true },
        'node_modules/b/node_modules/a': { version: '1.0.0', integrity: 'sha512-A', dev: true },
      },
    });
    const result = await npmParser.parse({ path: 'package-lock.json', text });
    expect(result.packages).toEqual([expect.not.objectContaining({ occurrences: expect.anything() })]);
    expect(result.packages[0]?.dev).toBe(true);
  });

  it('bounds the places it keeps for a package with many disagreeing copies', async () => {
    const packages: Record<string, unknown> = { '': { dependencies: { a: '1' } } };
    for (let i = 0; i < 40; i += 1)
      packages[`node_modules/p${i}/node_modules/a`] = { version: '1.0.0', dev: i % 2 === 0 };
    const result = await npmParser.parse({
      path: 'package-lock.json',
      text: JSON.stringify({ lockfileVersion: 3, packages }),
    });
    expect(result.packages[0]).toMatchObject({ dev: false, occurrencesOmitted: 24 });
    expect(result.packages[0]?.occurrences).toHaveLength(16);
  });

  it('parses a generated lockfile of 5,000 packages', async () => {
    const text = generateNpmLockfile(5000);
    const result = await npmParser.parse({ path: 'package-lock.json', text });
    expect(result.packages).toHaveLength(5000);
    // The first ten are declared by the root; pkg-9 is installed nested under pkg-8, so not direct.
    expect(result.packages.filter((pkg) => pkg.direct).map((pkg) => pkg.name)).not.toContain('pkg-9');
    expect(result.packages.filter((pkg) => pkg.direct)).toHaveLength(9);
    expect(result.packages.filter((pkg) => pkg.dev)).toHaveLength(714);
    const scoped = generatedPackageName(4995);
    expect(scoped).toBe('@scope0/pkg-4995');
    expect(result.packages.some((pkg) => pkg.purl.startsWith('pkg:npm/%40scope0/pkg-4995@'))).toBe(true);
  });

  it('names the line where truncated JSON ends', async () => {
    const text =
      '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": {\n      "version": "1.0.0"';
    await expectFailure(npmParser.parse({ path: 'package-lock.json', text }), {
      file: 'package-lock.json',
      line: 5,
      message: /not valid JSON/,
    });
  });

  it('names the line of a JSON syntax error in the middle of the file', async () => {
    const text =
      '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": { "version": "1.0.0" },,\n    "x": {}\n  }\n}\n';
    await expectFailure(npmParser.parse({ path: 'package-lock.json', text }), {
      file: 'package-lock.json',
      line: 4,
    });
  });

  it('refuses an unknown lockfileVersion, naming its line and what to do', async () => {
    const text = '{\n  "name": "x",\n  "lockfileVersion": 4,\n  "packages": {}\n}\n';
    await expectFailure(npmParser.parse({ path: 'package-lock.json', text }), {
      file: 'package-lock.json',
      line: 3,
      message: /lockfileVersion 4.*npm install --package-lock-only/,
    });
  });

  it('refuses entries of the wrong shape, naming the entry line', async () => {
    const text =
      '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {},\n    "node_modules/a": {\n      "version": 1\n    }\n  }\n}\n';
    await expectFailure(npmParser.parse({ path: 'package-lock.json', text }), {
      file: 'package-lock.json',
      line: 5,
      message: /"version" must be a string/,
    });
    const notObject = '{\n  "lockfileVersion": 1,\n  "dependencies": {\n    "a": "1.0.0"\n  }\n}\n';
    await expectFailure(npmParser.parse({ path: 'package-lock.json', text: notObject }), {
      file: 'package-lock.json',
      line: 4,
      message: /must be an object/,
    });
  });

  it('refuses a JSON document that is not an object', async () => {
    await expectFailure(npmParser.parse({ path: 'package-lock.json', text: '[1, 2]\n' }), {
      file: 'package-lock.json',
      line: 1,
    });
  });
});
