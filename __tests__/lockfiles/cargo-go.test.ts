import { describe, expect, it } from '@jest/globals';
import { cargoParser } from '../../src/lockfiles/cargo.js';
import { goSumParser } from '../../src/lockfiles/gosum.js';
import { expectFailure, memoryFiles, parseFixture } from './helpers.js';

describe('Cargo.lock', () => {
  it('reads crates with checksums; the workspace is left out and its dependencies are direct', async () => {
    const result = await parseFixture(cargoParser, 'cargo/Cargo.lock');
    expect(result.packages).toEqual([
      {
        purl: 'pkg:cargo/anyhow@1.0.75',
        name: 'anyhow',
        version: '1.0.75',
        ecosystem: 'cargo',
        integrity: 'sha256:a4668cab20f66d8d020e1fbc0ebe47217433c1b6c8f2040faf858554e394ace6',
        direct: true,
      },
      {
        purl: 'pkg:cargo/serde@0.9.15',
        name: 'serde',
        version: '0.9.15',
        ecosystem: 'cargo',
        integrity: 'sha256:34b623917345a631dc9608d5194cc206b3fe6c3554cd1c75b937e55e285254af',
        direct: false,
      },
      {
        purl: 'pkg:cargo/serde@1.0.188',
        name: 'serde',
        version: '1.0.188',
        ecosystem: 'cargo',
        integrity: 'sha256:cf9e0fcba69a370eed61bcf2b728575f726b50b55cba78064753d708ddc7549e',
        direct: true,
      },
      {
        purl: 'pkg:cargo/serde_derive@1.0.188',
        name: 'serde_derive',
        version: '1.0.188',
        ecosystem: 'cargo',
        integrity: 'sha256:4eca7ac642d82aa35b60049a6eccb4be6be75e599bd2e9adb5f875a737654af2',
        direct: false,
      },
      {
        purl: 'pkg:cargo/tensor-kit@0.1.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fexample%2Ftensor-kit%408f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e',
        name: 'tensor-kit',
        version: '0.1.0',
        ecosystem: 'cargo',
        direct: true,
      },
    ]);
  });

  it('reads version 1 lockfiles, whose checksums are in [metadata]', async () => {
    const text = [
      '[[package]]',
      'name = "app"',
      'version = "0.1.0"',
      'dependencies = [',
      ' "libc 0.2.40 (registry+https://github.com/rust-lang/crates.io-index)",',
      ']',
      '',
      '[[package]]',
      'name = "libc"',
      'version = "0.2.40"',
      'source = "registry+https://github.com/rust-lang/crates.io-index"',
      '',
      '[metadata]',
      '"checksum libc 0.2.40 (registry+https://github.com/rust-lang/crates.io-index)" = "6fd41f331ac7c5b8ac259b8bf82c75c0fb2e469bbf37d2becbba9a6a2221965b"',
    ].join('\n');
    const result = await cargoParser.parse({ path: 'Cargo.lock', text });
    expect(result.packages).toEqual([
      {
        purl: 'pkg:cargo/libc@0.2.40',
        name: 'libc',
        version: '0.2.40',
        ecosystem: 'cargo',
        integrity: 'sha256:6fd41f331ac7c5b8ac259b8bf82c75c0fb2e469bbf37d2becbba9a6a2221965b',
        direct: true,
      },
    ]);
  });

  it('names the line of an unterminated string', async () => {
    const text = 'version = 3\n\n[[package]]\nname = "anyhow\nversion = "1.0.75"\n';
    await expectFailure(cargoParser.parse({ path: 'Cargo.lock', text }), {
      file: 'Cargo.lock',
      line: 4,
      message: /unterminated string/,
    });
  });

  it('names the [[package]] line of a crate without a name', async () => {
    const text = 'version = 3\n\n[[package]]\nversion = "1.0.75"\n';
    await expectFailure(cargoParser.parse({ path: 'Cargo.lock', text }), {
      file: 'Cargo.lock',
      line: 3,
      message: /no string "name"/,
    });
  });
});

describe('go.sum', () => {
  it('records what go.mod selects: replace applied, indirect marked, go.sum hashes as integrity', async () => {
    const result = await parseFixture(goSumParser, 'go/app/go.sum');
    expect(result.packages).toEqual([
      {
        purl: 'pkg:golang/github.com/burntsushi/toml@v1.3.2',
        name: 'github.com/BurntSushi/toml',
        version: 'v1.3.2',
        ecosystem: 'golang',
        integrity: 'h1:o7IhLm0Msx3BaB+n3Ag7L8EVlByGnpq14C4YWiu/gL8=',
        direct: true,
      },
      {
        purl: 'pkg:golang/github.com/davecgh/go-spew@v1.1.1',
        name: 'github.com/davecgh/go-spew',
        version: 'v1.1.1',
        ecosystem: 'golang',
        integrity: 'h1:vj9j/u1bqnvCEfJOwUhtlOARqs3+rkHYY13jYWTU97c=',
        direct: false,
      },
      // github.com/pkg/errors, replaced by the fork go.mod names.
      {
        purl: 'pkg:golang/github.com/example/errors@v0.9.2-fork',
        name: 'github.com/example/errors',
        version: 'v0.9.2-fork',
        ecosystem: 'golang',
        integrity: 'h1:Qk0tF2nIgYy1dA5bOYJ0m0bQZ0tTVD6iFvM3hUo3QGk=',
        direct: true,
      },
      {
        purl: 'pkg:golang/golang.org/x/sys@v0.13.0',
        name: 'golang.org/x/sys',
        version: 'v0.13.0',
        ecosystem: 'golang',
        integrity: 'h1:Af8nKPmuFypiUBjVoU9V536jtIJHHG7+YrkJSMqJTBE=',
        direct: false,
      },
      {
        purl: 'pkg:golang/gopkg.in/yaml.v3@v3.0.1',
        name: 'gopkg.in/yaml.v3',
        version: 'v3.0.1',
        ecosystem: 'golang',
        integrity: 'h1:fxVm/GzAzEWqLHuvctI91KS9hhNmmWOoWu0XTYJS7CA=',
        direct: true,
      },
    ]);
    expect(result.notes).toEqual([
      'go/app/go.mod: line 9: github.com/example/internal v0.0.0-00010101000000-000000000000 is replaced by the folder ../internal; not recorded as a package',
      'go/app/go.sum: 4 module versions in go.sum that go/app/go.mod does not select are not recorded',
    ]);
  });

  it('reads single-line requires, version-specific replaces and quoted paths', async () => {
    const files = memoryFiles({
      'go.mod': [
        'module example.com/m',
        'require example.com/a v1.0.0',
        'require "example.com/b" v1.2.0 // indirect',
        'replace example.com/a v0.9.0 => example.com/other v0.1.0',
        'replace example.com/b v1.2.0 => example.com/b v1.2.1',
        'require ()',
        '',
      ].join('\n'),
    });
    const result = await goSumParser.parse({ path: 'go.sum', text: '', readInclude: files });
    expect(result.packages.map(({ purl, direct }) => [purl, direct])).toEqual([
      ['pkg:golang/example.com/a@v1.0.0', true],
      ['pkg:golang/example.com/b@v1.2.1', false],
    ]);
  });

  it('without go.mod, says so and records the modules go.sum has a module hash for (not /go.mod-only lines)', async () => {
    const result = await parseFixture(goSumParser, 'go/go.sum');
    expect(result.packages).toEqual([
      {
        purl: 'pkg:golang/github.com/burntsushi/toml@v1.3.2',
        name: 'github.com/BurntSushi/toml',
        version: 'v1.3.2',
        ecosystem: 'golang',
        integrity: 'h1:o7IhLm0Msx3BaB+n3Ag7L8EVlByGnpq14C4YWiu/gL8=',
      },
      {
        purl: 'pkg:golang/github.com/example/legacy@v2.1.0%2Bincompatible',
        name: 'github.com/example/legacy',
        version: 'v2.1.0+incompatible',
        ecosystem: 'golang',
        integrity: 'h1:3FjOIy1dGE9fTTGxSfCvJq0nBzHtLTNbjYbkJbxH/ys=',
      },
      {
        purl: 'pkg:golang/github.com/pkg/errors@v0.9.1',
        name: 'github.com/pkg/errors',
        version: 'v0.9.1',
        ecosystem: 'golang',
        integrity: 'h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=',
      },
      {
        purl: 'pkg:golang/gopkg.in/yaml.v3@v3.0.0-20200313102051-9f266ea9e77c',
        name: 'gopkg.in/yaml.v3',
        version: 'v3.0.0-20200313102051-9f266ea9e77c',
        ecosystem: 'golang',
        integrity: 'h1:dUUwHk2QECo/6vqA44rthZ8ie2QXMNeKRTHCNY2nXvo=',
      },
    ]);
    expect(result.notes).toEqual([
      expect.stringMatching(/^go\/go\.sum: read without go\.mod \(go\/go\.mod: does not exist\)/),
    ]);
  });

  it('names the go.mod line that cannot be read', async () => {
    const files = memoryFiles({ 'go.mod': 'module m\n\nrequire (\n\texample.com/a\n)\n' });
    await expectFailure(goSumParser.parse({ path: 'go.sum', text: '', readInclude: files }), {
      file: 'go.mod',
      line: 4,
      message: /as a require line/,
    });
  });

  it('names the line of a malformed entry', async () => {
    const text =
      'github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=\n\ngithub.com/pkg/errors v0.9.1\n';
    await expectFailure(goSumParser.parse({ path: 'go.sum', text }), {
      file: 'go.sum',
      line: 3,
      message: /module version h1:hash/,
    });
  });
});
