import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerError } from '../../src/errors.js';
import {
  cargoPurl,
  condaPurl,
  formatPurl,
  golangPurl,
  normalizePypiName,
  npmPurl,
  pypiPurl,
  withoutCredentials,
  type Ecosystem,
} from '../../src/lockfiles/purl.js';
import { FIXTURES } from './helpers.js';

interface SpecBuildTest {
  source: string;
  description: string;
  input: {
    type: Ecosystem;
    namespace: string | null;
    name: string | null;
    version: string | null;
    qualifiers: Record<string, string> | null;
    subpath: string | null;
  };
  expected_output: string | null;
  expected_failure: boolean;
}

// The purl-spec's own build cases for the types we emit (fixture names its source, commit and licence).
const specTests = (
  JSON.parse(await readFile(join(FIXTURES, 'purl-spec/build-tests.json'), 'utf8')) as {
    tests: SpecBuildTest[];
  }
).tests;

describe('package URLs against the purl-spec test suite', () => {
  it('has cases of every type we emit', () => {
    expect(new Set(specTests.map((test) => test.input.type))).toEqual(
      new Set(['npm', 'pypi', 'golang', 'cargo', 'conda', 'generic']),
    );
  });

  it.each(specTests.map((test) => [`${test.input.type}: ${test.description}`, test] as const))(
    '%s',
    (_title, test) => {
      const build = (): string =>
        formatPurl({
          type: test.input.type,
          namespace: test.input.namespace ?? undefined,
          name: test.input.name ?? '',
          version: test.input.version ?? '',
          qualifiers: test.input.qualifiers ?? undefined,
          subpath: test.input.subpath ?? undefined,
        });
      if (test.expected_failure) expect(build).toThrow(LedgerError);
      else expect(build()).toBe(test.expected_output);
    },
  );
});

describe('package URLs', () => {
  it('percent-encodes the npm scope and keeps the case of npm names', () => {
    expect(npmPurl('@babel/core', '7.23.2')).toBe('pkg:npm/%40babel/core@7.23.2');
    expect(npmPurl('JSONStream', '1.3.5')).toBe('pkg:npm/JSONStream@1.3.5');
  });

  it('writes PyPI names as the spec says (lowercase, "_" as "-"); name matching uses PEP 503', () => {
    expect(pypiPurl('Django_package', '1.11.1.dev1')).toBe('pkg:pypi/django-package@1.11.1.dev1');
    expect(pypiPurl('Zope.Interface', '6.1')).toBe('pkg:pypi/zope.interface@6.1');
    expect(normalizePypiName('Zope.Interface')).toBe('zope-interface');
    expect(normalizePypiName('typing__extensions')).toBe('typing-extensions');
  });

  it('writes a subpath without empty, "." or ".." segments', () => {
    expect(
      formatPurl({ type: 'npm', namespace: '@babel', name: 'core', version: '', subpath: '/a/./b/../c/' }),
    ).toBe('pkg:npm/%40babel/core#a/b/c');
  });

  it('refuses a qualifier key the spec does not allow, and a missing name', () => {
    expect(() => formatPurl({ type: 'npm', name: 'x', version: '1', qualifiers: { '1st': 'a' } })).toThrow(
      /not a valid package URL qualifier key/,
    );
    expect(() => formatPurl({ type: 'cargo', name: '', version: '1' })).toThrow(/needs a name/);
  });

  it('splits Go module paths into namespace and name, lowercased as the spec says', () => {
    expect(golangPurl('github.com/BurntSushi/toml', 'v1.3.2')).toBe(
      'pkg:golang/github.com/burntsushi/toml@v1.3.2',
    );
    expect(golangPurl('github.com/x/y', 'v2.0.0+incompatible')).toBe(
      'pkg:golang/github.com/x/y@v2.0.0%2Bincompatible',
    );
  });

  it('leaves out the version when there is none', () => {
    expect(pypiPurl('requests', '')).toBe('pkg:pypi/requests');
  });

  it('sorts qualifiers, drops empty ones, keeps ":" in values and encodes the rest ("/" too)', () => {
    expect(
      condaPurl('numpy', '1.26.4', {
        subdir: 'linux-64',
        build: 'py311h64a7726_0',
        channel: 'conda-forge',
        type: undefined,
      }),
    ).toBe('pkg:conda/numpy@1.26.4?build=py311h64a7726_0&channel=conda-forge&subdir=linux-64');
    expect(cargoPurl('tensor-kit', '0.1.0', { vcs_url: 'git+https://github.com/x/tensor-kit@8f3e2d1' })).toBe(
      'pkg:cargo/tensor-kit@0.1.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fx%2Ftensor-kit%408f3e2d1',
    );
  });

  it('percent-encodes UTF-8 bytes, spaces and reserved characters but not colons', () => {
    expect(formatPurl({ type: 'cargo', name: 'café crate', version: '1:2.0?x' })).toBe(
      'pkg:cargo/caf%C3%A9%20crate@1:2.0%3Fx',
    );
  });

  it('removes credentials from URLs', () => {
    expect(withoutCredentials('git+https://ghp_abc@github.com/x/y.git@v1')).toBe(
      'git+https://github.com/x/y.git@v1',
    );
    expect(withoutCredentials('https://user:pass@pypi.example.com/simple')).toBe(
      'https://pypi.example.com/simple',
    );
    expect(withoutCredentials('https://github.com/x/y.git@v1')).toBe('https://github.com/x/y.git@v1');
  });
});
