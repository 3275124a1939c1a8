import { describe, expect, it } from '@jest/globals';
import {
  cargoPurl,
  condaPurl,
  formatPurl,
  golangPurl,
  normalizePypiName,
  npmPurl,
  pypiPurl,
  withoutCredentials,
} from '../../src/lockfiles/purl.js';

describe('package URLs', () => {
  it('percent-encodes the npm scope and lowercases npm names', () => {
    expect(npmPurl('@babel/core', '7.23.2')).toBe('pkg:npm/%40babel/core@7.23.2');
    expect(npmPurl('JSONStream', '1.3.5')).toBe('pkg:npm/jsonstream@1.3.5');
  });

  it('normalises PyPI names like PEP 503', () => {
    expect(normalizePypiName('Zope.Interface')).toBe('zope-interface');
    expect(normalizePypiName('typing__extensions')).toBe('typing-extensions');
    expect(pypiPurl('Scikit_Learn', '1.4.0')).toBe('pkg:pypi/scikit-learn@1.4.0');
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

  it('sorts qualifiers, drops empty ones, keeps ":" and "/" in values and encodes the rest', () => {
    expect(
      condaPurl('numpy', '1.26.4', {
        subdir: 'linux-64',
        build: 'py311h64a7726_0',
        channel: 'conda-forge',
        type: undefined,
      }),
    ).toBe('pkg:conda/numpy@1.26.4?build=py311h64a7726_0&channel=conda-forge&subdir=linux-64');
    expect(cargoPurl('tensor-kit', '0.1.0', { vcs_url: 'git+https://github.com/x/tensor-kit@8f3e2d1' })).toBe(
      'pkg:cargo/tensor-kit@0.1.0?vcs_url=git%2Bhttps://github.com/x/tensor-kit%408f3e2d1',
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
