import { describe, expect, it } from '@jest/globals';
import { isRequirementsPath, logicalLines, requirementsParser } from '../../src/lockfiles/requirements.js';
import { expectFailure, memoryFiles, parseFixture } from './helpers.js';

describe('requirements file names', () => {
  it.each([
    ['requirements.txt', true],
    ['requirements-dev.txt', true],
    ['dev-requirements.txt', true],
    ['services/api/requirements_gpu.txt', true],
    ['requirements/base.txt', true],
    ['requirements.in', false],
    ['notes.txt', false],
    ['myrequirements.txt', false],
  ])('%s → %s', (path, expected) => {
    expect(isRequirementsPath(path)).toBe(expected);
  });
});

describe('logicalLines', () => {
  it('joins backslash continuations and keeps the starting line number', () => {
    expect(logicalLines('a==1 \\\n  --hash=sha256:aa \\\n  --hash=sha256:bb\nb==2\n')).toEqual([
      { text: 'a==1    --hash=sha256:aa    --hash=sha256:bb', line: 1 },
      { text: 'b==2', line: 4 },
      { text: '', line: 5 },
    ]);
  });
});

describe('pip requirements', () => {
  it('reads pins, hashes, extras, markers, includes, constraints, VCS and URL requirements', async () => {
    const result = await parseFixture(requirementsParser, 'pip/app/requirements.txt');
    expect(result.packages).toEqual([
      {
        purl: 'pkg:pypi/attrs@23.1.0',
        name: 'attrs',
        version: '23.1.0',
        ecosystem: 'pypi',
        integrity: 'sha256:1f28b4522cdc2fb4256ac1a020c78acf9cba2c6b461ccd2c126f3aa8e8335d04',
      },
      { purl: 'pkg:pypi/click@8.1.7', name: 'click', version: '8.1.7', ecosystem: 'pypi' },
      {
        purl: 'pkg:pypi/model-metrics?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fexample%2Fmetrics.git%403f2a9c1',
        name: 'model_metrics',
        version: '',
        ecosystem: 'pypi',
      },
      {
        // The token in the URL never reaches the record.
        purl: 'pkg:pypi/my-lib?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fexample%2Fmy-lib.git%40v0.4.2',
        name: 'my-lib',
        version: '',
        ecosystem: 'pypi',
      },
      {
        purl: 'pkg:pypi/numpy@1.26.4',
        name: 'numpy',
        version: '1.26.4',
        ecosystem: 'pypi',
        integrity:
          'sha256:03a8c78d01d9781b28a6989f6fa1bb2c4f2d51201cf99d3dd875df6fbd96b23b sha256:9ff0f4f29c51e2803569d7a51c2304de5554655a60c5d776e35b4a41413830d0',
      },
      {
        // Unpinned here, pinned (with its hash) by the -c constraints file.
        purl: 'pkg:pypi/pandas@2.1.4',
        name: 'pandas',
        version: '2.1.4',
        ecosystem: 'pypi',
        integrity: 'sha256:b22b2a2c4e1e3c1e1fdd6fa2d3a6c3f1a4ab9b3a0e2e5c3e6c2a1c4b0f9e8d7c6',
      },
      { purl: 'pkg:pypi/pyyaml@6.0.1', name: 'PyYAML', version: '6.0.1', ecosystem: 'pypi' },
      { purl: 'pkg:pypi/requests@2.31.0', name: 'requests', version: '2.31.0', ecosystem: 'pypi' },
      { purl: 'pkg:pypi/scikit-learn@1.4.0', name: 'Scikit_Learn', version: '1.4.0', ecosystem: 'pypi' },
      {
        purl: 'pkg:pypi/tokenizers@0.15.0?download_url=https:%2F%2Ffiles.pythonhosted.org%2Fpackages%2Ftokenizers-0.15.0-cp311-cp311-manylinux_2_17_x86_64.whl',
        name: 'tokenizers',
        version: '0.15.0',
        ecosystem: 'pypi',
        integrity: 'sha256:5f4a0c1ea1d9a5ba0b3ee0a6d1c5d0b2e41a3b8f2c7c0cbfdd52b51f9a8a5a11',
      },
      { purl: 'pkg:pypi/torch@2.1.2', name: 'torch', version: '2.1.2', ecosystem: 'pypi' },
      { purl: 'pkg:pypi/zope.interface@6.1', name: 'zope.interface', version: '6.1', ecosystem: 'pypi' },
    ]);
    expect(result.notes).toEqual([
      'pip/app/requirements.txt: line 20: "." names no package (no #egg=NAME); not recorded',
      'pip/app/requirements.txt: line 21: "./vendor/local-package" names no package (no #egg=NAME); not recorded',
    ]);
  });

  it('reads package and version from wheel and sdist file names (PEP 427), bare or after `name @`', async () => {
    const result = await parseFixture(requirementsParser, 'pip/wheels/requirements.txt');
    expect(result.packages.map(({ name, version, purl }) => ({ name, version, purl }))).toEqual([
      {
        name: 'flash-attn',
        version: '2.5.8+cu118torch2.2cxx11abiFALSE',
        purl: 'pkg:pypi/flash-attn@2.5.8%2Bcu118torch2.2cxx11abiFALSE?download_url=https:%2F%2Fgithub.com%2FDao-AILab%2Fflash-attention%2Freleases%2Fdownload%2Fv2.5.8%2Fflash_attn-2.5.8%2Bcu118torch2.2cxx11abiFALSE-cp311-cp311-linux_x86_64.whl',
      },
      {
        name: 'local-tools',
        version: '0.3.0',
        purl: 'pkg:pypi/local-tools@0.3.0',
      },
      {
        name: 'my-sdist',
        version: '1.0.2',
        purl: 'pkg:pypi/my-sdist@1.0.2?download_url=https:%2F%2Fexample.com%2Fdist%2Fmy_sdist-1.0.2.tar.gz',
      },
      {
        name: 'python-dateutil',
        version: '2.9.0',
        purl: 'pkg:pypi/python-dateutil@2.9.0?download_url=https:%2F%2Fexample.com%2Fpython-dateutil-2.9.0.tar.gz',
      },
      {
        name: 'torch',
        version: '2.1.0+cu118',
        purl: 'pkg:pypi/torch@2.1.0%2Bcu118?download_url=https:%2F%2Fdownload.pytorch.org%2Fwhl%2Fcu118%2Ftorch-2.1.0%252Bcu118-cp311-cp311-linux_x86_64.whl',
      },
    ]);
    expect(result.packages.find((pkg) => pkg.name === 'torch')?.integrity).toBe(
      'sha256:a81b554184492005543ddc32e96469f9369d778dedd195d73bda9bed407d6589',
    );
    expect(result.notes).toEqual([
      'pip/wheels/requirements.txt: line 9: "https://example.com/src/foo-bar-2.0.tar.gz" names no package (no #egg=NAME); not recorded',
    ]);
  });

  it("records no version when `name @` names another package's wheel, and says so", async () => {
    const text = 'numpy @ https://example.com/scipy-1.11.4-cp311-cp311-linux_x86_64.whl\n';
    const result = await requirementsParser.parse({ path: 'requirements.txt', text });
    expect(result.packages.map((pkg) => [pkg.name, pkg.version])).toEqual([['numpy', '']]);
    expect(result.notes).toEqual([
      'requirements.txt: line 1: numpy names the archive scipy-1.11.4-cp311-cp311-linux_x86_64.whl, which is another package; recorded without a version',
    ]);
  });

  it('records unpinned requirements with an empty version, never a guess', async () => {
    const text = 'flask>=2.0,<3\nnumpy\nrich==13.*\ntorch ~= 2.1\n';
    const result = await requirementsParser.parse({ path: 'requirements.txt', text });
    expect(result.packages.map((pkg) => [pkg.purl, pkg.version])).toEqual([
      ['pkg:pypi/flask', ''],
      ['pkg:pypi/numpy', ''],
      ['pkg:pypi/rich', ''],
      ['pkg:pypi/torch', ''],
    ]);
  });

  it('marks direct requirements from pip-compile "# via" annotations', async () => {
    const result = await parseFixture(requirementsParser, 'pip/compiled/requirements.txt');
    expect(result.packages.map(({ name, direct }) => ({ name, direct }))).toEqual([
      { name: 'blinker', direct: false },
      { name: 'click', direct: true },
      { name: 'flask', direct: true },
    ]);
  });

  it('follows includes relative to the including file', async () => {
    const readInclude = memoryFiles({
      'ml/common/base.txt': '-r ../../shared/pins.txt\nnumpy==1.26.4\n',
      'shared/pins.txt': 'scipy==1.12.0\n',
    });
    const result = await requirementsParser.parse({
      path: 'ml/train/requirements.txt',
      text: '-r ../common/base.txt\n',
      readInclude,
    });
    expect(result.packages.map((pkg) => pkg.purl)).toEqual([
      'pkg:pypi/numpy@1.26.4',
      'pkg:pypi/scipy@1.12.0',
    ]);
  });

  it('refuses an include cycle, naming the file and line that closes it', async () => {
    const readInclude = memoryFiles({
      'a.txt': 'numpy==1.0\n-r b.txt\n',
      'b.txt': '# loops back\n\n--requirement=a.txt\n',
    });
    await expectFailure(
      requirementsParser.parse({ path: 'requirements.txt', text: '-r a.txt\n', readInclude }),
      {
        file: 'b.txt',
        line: 3,
        message: /include cycle: requirements\.txt → a\.txt → b\.txt → a\.txt/,
      },
    );
  });

  it('reads a file included twice (not a cycle) once', async () => {
    const readInclude = memoryFiles({
      'common.txt': 'six==1.16.0\n',
      'dev.txt': '-r common.txt\npytest==8.0.0\n',
    });
    const result = await requirementsParser.parse({
      path: 'requirements.txt',
      text: '-r common.txt\n-r dev.txt\n',
      readInclude,
    });
    expect(result.packages.map((pkg) => pkg.purl)).toEqual(['pkg:pypi/pytest@8.0.0', 'pkg:pypi/six@1.16.0']);
  });

  it('names the including line when an included file is missing', async () => {
    const readInclude = memoryFiles({});
    await expectFailure(
      requirementsParser.parse({
        path: 'requirements.txt',
        text: 'six==1.16.0\n-c missing.txt\n',
        readInclude,
      }),
      {
        file: 'requirements.txt',
        line: 2,
        message: /cannot read the included file missing\.txt: missing\.txt: does not exist/,
      },
    );
  });

  it('refuses includes outside the repository and remote includes', async () => {
    const readInclude = memoryFiles({});
    await expectFailure(
      requirementsParser.parse({
        path: 'app/requirements.txt',
        text: '\n-r ../../etc/passwd\n',
        readInclude,
      }),
      {
        file: 'app/requirements.txt',
        line: 2,
        message: /outside the repository/,
      },
    );
    await expectFailure(
      requirementsParser.parse({
        path: 'requirements.txt',
        text: '-r https://example.com/req.txt\n',
        readInclude,
      }),
      {
        file: 'requirements.txt',
        line: 1,
        message: /a URL/,
      },
    );
    await expectFailure(
      requirementsParser.parse({ path: 'requirements.txt', text: '-r /abs/req.txt\n', readInclude }),
      {
        file: 'requirements.txt',
        line: 1,
        message: /outside the repository/,
      },
    );
  });

  it('refuses includes when no reader is given', async () => {
    await expectFailure(requirementsParser.parse({ path: 'requirements.txt', text: '-rother.txt\n' }), {
      file: 'requirements.txt',
      line: 1,
      message: /cannot be read here/,
    });
  });

  it('names the starting line of a bad requirement spread over continuation lines', async () => {
    const text = 'six==1.16.0\nnumpy=>1.0 \\\n    --hash=sha256:aa\n';
    await expectFailure(requirementsParser.parse({ path: 'requirements.txt', text }), {
      file: 'requirements.txt',
      line: 2,
      message: /bad version specifier "=>1.0"/,
    });
  });

  it('names the line of a malformed --hash', async () => {
    const text = 'six==1.16.0 \\\n  --hash=sha256:abc\nnumpy==1.0 --hash=sha256\n';
    await expectFailure(requirementsParser.parse({ path: 'requirements.txt', text }), {
      file: 'requirements.txt',
      line: 3,
      message: /malformed --hash/,
    });
  });

  it('says so when handed a conda explicit file', async () => {
    await expectFailure(
      requirementsParser.parse({ path: 'requirements.txt', text: '# platform: linux-64\n@EXPLICIT\n' }),
      {
        file: 'requirements.txt',
        line: 2,
        message: /conda explicit/,
      },
    );
  });
});
