import { describe, expect, it } from '@jest/globals';
import { pipfileParser } from '../../src/lockfiles/pipfile.js';
import { poetryParser } from '../../src/lockfiles/poetry.js';
import { uvParser } from '../../src/lockfiles/uv.js';
import { expectFailure, parseFixture } from './helpers.js';

describe('poetry.lock', () => {
  it('reads lock-version 2 packages, their file hashes, groups and git sources', async () => {
    const result = await parseFixture(poetryParser, 'poetry/v2/poetry.lock');
    expect(result.packages).toEqual([
      {
        purl: 'pkg:pypi/certifi@2024.2.2',
        name: 'certifi',
        version: '2024.2.2',
        ecosystem: 'pypi',
        integrity:
          'sha256:0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f sha256:dc383c07b76109f368f6106eee2b593b04a011ea4d55f652c6ca24a754d1cdd1',
        dev: false,
      },
      {
        purl: 'pkg:pypi/pytest@8.0.0',
        name: 'pytest',
        version: '8.0.0',
        ecosystem: 'pypi',
        integrity: 'sha256:50fb9cbe836c3f20f0dfa99c565201fb75dc54c8d76373cd1bde06b06657bdb6',
        dev: true,
      },
      {
        purl: 'pkg:pypi/typing-extensions@4.9.0',
        name: 'typing_extensions',
        version: '4.9.0',
        ecosystem: 'pypi',
        integrity: 'sha256:af72aea155e91adfc61c3ae9e0e342dbc0cba726d6cba4b6c72c1f34e47291cd',
        dev: false,
      },
      {
        purl: 'pkg:pypi/weights-tools@0.2.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fexample%2Fweights-tools.git%409c1e0a7b3d2f4e5a6b7c8d9e0f1a2b3c4d5e6f7a',
        name: 'weights-tools',
        version: '0.2.0',
        ecosystem: 'pypi',
        dev: false,
      },
    ]);
  });

  it('reads lock-version 1.1: categories and hashes kept in [metadata.files]', async () => {
    const result = await parseFixture(poetryParser, 'poetry/v1/poetry.lock');
    expect(result.packages).toEqual([
      {
        purl: 'pkg:pypi/idna@3.4',
        name: 'idna',
        version: '3.4',
        ecosystem: 'pypi',
        integrity:
          'sha256:814f528e8dead7d329833b91c5faa87d60bf71824cd12a7530b5526063d02cb4 sha256:90b77e79eaa3eba6de819a0c442c0b4ceefc341a7a2ab77d7562bf49f425c5c2',
        dev: false,
      },
      {
        purl: 'pkg:pypi/mypy-extensions@1.0.0',
        name: 'mypy-extensions',
        version: '1.0.0',
        ecosystem: 'pypi',
        integrity: 'sha256:4392f6c0eb8a5668a69e23d168ffa70f0be9ccfd32b5cc2d26a34ae5b844552d',
        dev: true,
      },
    ]);
  });

  it('names the [[package]] line of a package without a version', async () => {
    const text =
      '[[package]]\nname = "a"\nversion = "1"\n\n[[package]]\nname = "b"\n\n[metadata]\nlock-version = "2.0"\n';
    await expectFailure(poetryParser.parse({ path: 'poetry.lock', text }), {
      file: 'poetry.lock',
      line: 5,
      message: /package b has no string "version"/,
    });
  });

  it('names the line of invalid TOML', async () => {
    const text = '[[package]]\nname = "a"\nversion = 1.0.0\n';
    await expectFailure(poetryParser.parse({ path: 'poetry.lock', text }), {
      file: 'poetry.lock',
      line: 3,
      message: /not valid TOML/,
    });
  });
});

describe('uv.lock', () => {
  it('reads packages with sdist and wheel hashes; the project itself gives direct and dev', async () => {
    const result = await parseFixture(uvParser, 'uv/uv.lock');
    expect(result.packages.map(({ purl, direct, dev }) => ({ purl, direct, dev }))).toEqual([
      { purl: 'pkg:pypi/anyio@4.3.0', direct: true, dev: false },
      { purl: 'pkg:pypi/idna@3.6', direct: false, dev: false },
      { purl: 'pkg:pypi/iniconfig@2.0.0', direct: false, dev: true },
      {
        purl: 'pkg:pypi/private-utils@1.0.3?repository_url=https:%2F%2Fpypi.internal.example.com%2Fsimple',
        direct: true,
        dev: false,
      },
      { purl: 'pkg:pypi/pytest@8.1.1', direct: true, dev: true },
      { purl: 'pkg:pypi/sniffio@1.3.1', direct: false, dev: false },
      {
        purl: 'pkg:pypi/torch-helpers@1.2.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fexample%2Ftorch-helpers%404b1e2c3d5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c',
        direct: true,
        dev: false,
      },
    ]);
    expect(result.packages[0]).toEqual({
      purl: 'pkg:pypi/anyio@4.3.0',
      name: 'anyio',
      version: '4.3.0',
      ecosystem: 'pypi',
      integrity:
        'sha256:048e05d0f6caeed70d731f3db756d35dcc1f35747c8c403364a8332c630441b8 sha256:f75253795a87df48568485fd18cdd2a3fa5c4f7c5be8e5e36637733fce06fed6',
      direct: true,
      dev: false,
    });
  });

  it('refuses a lock version it does not read', async () => {
    await expectFailure(uvParser.parse({ path: 'uv.lock', text: 'version = 2\n' }), {
      file: 'uv.lock',
      line: 1,
      message: /version 2.*uv lock/,
    });
  });

  it('names the line of a dependency list of the wrong shape', async () => {
    const text =
      'version = 1\n\n[[package]]\nname = "a"\nversion = "1"\nsource = { editable = "." }\ndependencies = ["b"]\n';
    await expectFailure(uvParser.parse({ path: 'uv.lock', text }), {
      file: 'uv.lock',
      line: 3,
      message: /"dependencies" must be a list of tables/,
    });
  });
});

describe('Pipfile.lock', () => {
  it('reads default and develop; a package in both is not dev, and says it is in both', async () => {
    const result = await parseFixture(pipfileParser, 'pipenv/Pipfile.lock');
    expect(result.packages).toEqual([
      {
        purl: 'pkg:pypi/black@23.12.1',
        name: 'black',
        version: '23.12.1',
        ecosystem: 'pypi',
        integrity: 'sha256:bb3bd2ae4d88c7cbd1a4fa4fcf1d9c4f4b58c0a2a76fc2fbbd37ac5f7a1b6b35',
        dev: true,
      },
      {
        purl: 'pkg:pypi/charset-normalizer@3.3.2',
        name: 'charset-normalizer',
        version: '3.3.2',
        ecosystem: 'pypi',
        integrity:
          'sha256:06435b539f889b1f6f4ac1758871aae42dc3a8c0e24ac9e60c2384973ad73027 sha256:f30c3cb33b24454a82faecaf01b19c18562b1e89558fb6c56de4d9118a032fd5',
        dev: false,
      },
      {
        purl: 'pkg:pypi/feature-store?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fexample%2Ffeature-store.git%401a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
        name: 'feature-store',
        version: '',
        ecosystem: 'pypi',
        dev: false,
      },
      {
        purl: 'pkg:pypi/typing-extensions@4.9.0',
        name: 'typing-extensions',
        version: '4.9.0',
        ecosystem: 'pypi',
        integrity: 'sha256:af72aea155e91adfc61c3ae9e0e342dbc0cba726d6cba4b6c72c1f34e47291cd',
        dev: false,
        occurrences: [
          { from: 'default', dev: false },
          { from: 'develop', dev: true },
        ],
      },
    ]);
  });

  it('names the line where a truncated Pipfile.lock ends', async () => {
    const text =
      '{\n    "_meta": {},\n    "default": {\n        "six": {\n            "version": "==1.16.0",\n';
    await expectFailure(pipfileParser.parse({ path: 'Pipfile.lock', text }), {
      file: 'Pipfile.lock',
      line: 5,
      message: /not valid JSON/,
    });
  });

  it('names the line of hashes of the wrong type', async () => {
    const text =
      '{\n  "_meta": {},\n  "default": {\n    "six": {\n      "hashes": "sha256:aa",\n      "version": "==1.16.0"\n    }\n  }\n}\n';
    await expectFailure(pipfileParser.parse({ path: 'Pipfile.lock', text }), {
      file: 'Pipfile.lock',
      line: 4,
      message: /"hashes" must be a list of strings/,
    });
  });
});
