import { describe, expect, it } from '@jest/globals';
import { condaEnvironmentParser, condaExplicitParser } from '../../src/lockfiles/conda.js';
import { condaLockParser } from '../../src/lockfiles/conda-lock.js';
import { parserForPath } from '../../src/lockfiles/registry.js';
import { expectFailure, parseFixture, purls } from './helpers.js';

describe('conda environment.yml', () => {
  it('reads match specs (channels, builds, ranges) and the nested pip list with its includes', async () => {
    const result = await parseFixture(condaEnvironmentParser, 'conda/environment.yml');
    expect(purls(result)).toEqual([
      'pkg:conda/cudatoolkit@11.8.0?build=h6a678d5_0',
      'pkg:conda/numpy@1.26.4?build=py311h64a7726_0',
      'pkg:conda/pip',
      'pkg:conda/python@3.11',
      'pkg:conda/pytorch?channel=pytorch',
      'pkg:conda/scikit-learn@1.4.0?channel=conda-forge',
      'pkg:pypi/evidently@0.4.15',
      'pkg:pypi/mlflow-skinny@2.10.0',
      'pkg:pypi/torchmetrics@1.3.0',
    ]);
    expect(result.packages.find((pkg) => pkg.name === 'mlflow-skinny')).toEqual({
      purl: 'pkg:pypi/mlflow-skinny@2.10.0',
      name: 'mlflow-skinny',
      version: '2.10.0',
      ecosystem: 'pypi',
      integrity: 'sha256:6e4c2f4b1a3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e',
    });
    expect(result.packages[0]).toEqual({
      purl: 'pkg:conda/cudatoolkit@11.8.0?build=h6a678d5_0',
      name: 'cudatoolkit',
      version: '11.8.0',
      ecosystem: 'conda',
    });
  });

  it('names the line of a pip requirement it cannot read', async () => {
    const text =
      'name: x\ndependencies:\n  - python=3.11\n  - pip:\n      - torch==2.1.0\n      - numpy=>1\n';
    await expectFailure(condaEnvironmentParser.parse({ path: 'environment.yml', text }), {
      file: 'environment.yml',
      line: 6,
      message: /bad version specifier/,
    });
  });

  it('names the line of a dependency that is neither a spec nor a pip list', async () => {
    const text = 'name: x\ndependencies:\n  - python=3.11\n  - channel: conda-forge\n';
    await expectFailure(condaEnvironmentParser.parse({ path: 'environment.yml', text }), {
      file: 'environment.yml',
      line: 4,
      message: /package specs or a `pip:` list/,
    });
  });

  it('refuses an alias bomb quickly', async () => {
    const lines = ['name: bomb', 'x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 12; i += 1)
      lines.push(
        `x${i}: &x${i} [${Array(8)
          .fill(`*x${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('dependencies: *x11');
    await expectFailure(
      condaEnvironmentParser.parse({ path: 'environment.yml', text: `${lines.join('\n')}\n` }),
      {
        file: 'environment.yml',
        line: 3,
        message: /alias bomb/,
      },
    );
  });
});

describe('files named like environment.yml that are not environment files', () => {
  it('says a templated environment file is not one, naming the template line (it may not even be YAML)', async () => {
    const text = [
      'name: {{ project_name }}',
      'channels:',
      '  - conda-forge',
      'dependencies:',
      '  - python={{ python_version }}',
      '{% if cuda %}',
      '  - cudatoolkit=11.8',
      '{% endif %}',
      '',
    ].join('\n');
    await expect(condaEnvironmentParser.parse({ path: 'environment_template.yml', text })).resolves.toEqual({
      packages: [],
      notes: [],
      notALockfile: 'line 1 is a template line (`{{ }}` or `{% %}`)',
    });
  });

  it('says a YAML file without `dependencies` is not one; a commented template line is no template', async () => {
    const text = '# rendered from {{ template }}\nname: staging\nreplicas: 3\n';
    await expect(condaEnvironmentParser.parse({ path: 'deploy/environment.yml', text })).resolves.toEqual({
      packages: [],
      notes: [],
      notALockfile: 'it has no `dependencies:` list',
    });
    await expect(
      condaEnvironmentParser.parse({ path: 'environment.yml', text: '- a\n- b\n' }),
    ).resolves.toMatchObject({ notALockfile: 'it is not a YAML mapping with `dependencies:`' });
  });

  it('still refuses an environment file that is broken', async () => {
    await expectFailure(
      condaEnvironmentParser.parse({ path: 'environment.yml', text: 'name: x\ndependencies: numpy\n' }),
      { file: 'environment.yml', line: 2, message: /must be a list/ },
    );
  });
});

describe('conda explicit lock files', () => {
  it('reads package URLs into name, version, build, channel, subdir and digest, dropping channel tokens', async () => {
    const result = await parseFixture(condaExplicitParser, 'conda/conda-linux-64.lock');
    expect(result.packages).toEqual([
      {
        purl: 'pkg:conda/_libgcc_mutex@0.1?build=conda_forge&channel=conda-forge&subdir=linux-64&type=tar.bz2',
        name: '_libgcc_mutex',
        version: '0.1',
        ecosystem: 'conda',
        integrity: 'md5:d7c89558ba9fa0495403155b64376d81',
      },
      {
        purl: 'pkg:conda/numpy@1.26.4?build=py311h64a7726_0&channel=conda-forge&subdir=linux-64&type=conda',
        name: 'numpy',
        version: '1.26.4',
        ecosystem: 'conda',
        integrity: 'md5:a502d7aad449a1206efb366d6a12c52d',
      },
      {
        purl: 'pkg:conda/secret-sauce@2.0.1?build=h1234567_3&channel=private-channel&subdir=linux-64&type=tar.bz2',
        name: 'secret-sauce',
        version: '2.0.1',
        ecosystem: 'conda',
      },
      {
        purl: 'pkg:conda/tzdata@2023c?build=h04d1e81_0&channel=main&subdir=noarch&type=conda',
        name: 'tzdata',
        version: '2023c',
        ecosystem: 'conda',
        integrity: 'sha256:0d3bb2ac4a6eeb1bb1a5c0fd6c8b2f4c6e8a0b2d4f6a8c0e2b4d6f8a0c2e4b6d',
      },
    ]);
    expect(JSON.stringify(result)).not.toContain('tk-0a1b2c3d');
  });

  it('names the line of a URL that is not a conda package', async () => {
    const text =
      '@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py311h64a7726_0.conda\nhttps://example.com/linux-64/readme.txt\n';
    await expectFailure(condaExplicitParser.parse({ path: 'conda-linux-64.lock', text }), {
      file: 'conda-linux-64.lock',
      line: 3,
      message: /not a conda package file name/,
    });
  });

  it('names the line of a malformed URL and of an unreadable digest', async () => {
    await expectFailure(
      condaExplicitParser.parse({ path: 'spec-file.txt', text: '@EXPLICIT\n\nnot a url\n' }),
      { file: 'spec-file.txt', line: 3 },
    );
    const text = '@EXPLICIT\nhttps://conda.anaconda.org/c/linux-64/a-1-0.conda#xyz\n';
    await expectFailure(condaExplicitParser.parse({ path: 'spec-file.txt', text }), {
      file: 'spec-file.txt',
      line: 2,
      message: /unreadable digest/,
    });
  });

  it('says a file without @EXPLICIT is not a lockfile of this kind; refuses content before it', async () => {
    await expect(
      condaExplicitParser.parse({ path: 'explicit-notes.txt', text: '# only comments\nsee the wiki\n' }),
    ).resolves.toEqual({ packages: [], notes: [], notALockfile: 'it has no @EXPLICIT line' });
    await expectFailure(
      condaExplicitParser.parse({ path: 'spec-file.txt', text: 'numpy=1.0\n@EXPLICIT\n' }),
      { file: 'spec-file.txt', line: 1, message: /before the @EXPLICIT/ },
    );
  });
});

describe('conda-lock.yml', () => {
  it('is found by its name, and reads conda packages per platform and pip packages as pypi', async () => {
    expect(parserForPath('conda-lock.yml')).toBe(condaLockParser);
    expect(parserForPath('envs/gpu.conda-lock.yml')).toBe(condaLockParser);
    const result = await parseFixture(condaLockParser, 'conda-lock/conda-lock.yml');
    expect(result.packages.map(({ purl, dev }) => [purl, dev])).toEqual([
      [
        'pkg:conda/_libgcc_mutex@0.1?build=conda_forge&channel=conda-forge&subdir=linux-64&type=tar.bz2',
        false,
      ],
      ['pkg:conda/numpy@1.26.4?build=py311h64a7726_0&channel=conda-forge&subdir=linux-64&type=conda', false],
      ['pkg:conda/numpy@1.26.4?build=py311h7125741_0&channel=conda-forge&subdir=osx-arm64&type=conda', false],
      ['pkg:conda/pytest@8.1.1?build=pyhd8ed1ab_0&channel=conda-forge&subdir=noarch&type=conda', true],
      ['pkg:pypi/safetensors@0.4.2', false],
      // Listed once per platform, recorded once.
      ['pkg:pypi/typing-extensions@4.10.0', false],
    ]);
    expect(result.packages[0]?.integrity).toBe(
      'md5:d7c89558ba9fa0495403155b64376d81 sha256:fe51de6107f9edc7aa4f786a70f4a883943bc9d39b3bb7307c04c41410990726',
    );
    expect(result.packages.find((pkg) => pkg.ecosystem === 'pypi' && pkg.version === '4.10.0')).toEqual({
      purl: 'pkg:pypi/typing-extensions@4.10.0',
      name: 'Typing_Extensions',
      version: '4.10.0',
      ecosystem: 'pypi',
      integrity: 'sha256:69b1a937c3a517342112fb4c6df7e72fc39a38e7891a5730ed4985b5214b5475',
      dev: false,
    });
  });

  it('names the line of a package with an unknown manager or a bad hash', async () => {
    const text = [
      'version: 1',
      'metadata: {}',
      'package:',
      '- name: left-pad',
      '  version: 1.3.0',
      '  manager: npm',
      '  platform: linux-64',
      '  url: https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz',
      '',
    ].join('\n');
    await expectFailure(condaLockParser.parse({ path: 'conda-lock.yml', text }), {
      file: 'conda-lock.yml',
      line: 8,
      message: /manager "npm"; expected conda or pip/,
    });
    const badHash = text.replace('manager: npm', 'manager: pip') + '  hash:\n    sha256: not-hex\n';
    await expectFailure(condaLockParser.parse({ path: 'conda-lock.yml', text: badHash }), {
      file: 'conda-lock.yml',
      line: 8,
      message: /hash\.sha256 must be a hex digest/,
    });
  });

  it('refuses other conda-lock format versions', async () => {
    await expectFailure(
      condaLockParser.parse({ path: 'conda-lock.yml', text: 'version: 2\npackage: []\n' }),
      {
        file: 'conda-lock.yml',
        line: 1,
        message: /version "2"/,
      },
    );
  });
});
