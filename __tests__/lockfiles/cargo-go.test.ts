import { describe, expect, it } from '@jest/globals';
import { cargoParser } from '../../src/lockfiles/cargo.js';
import { goSumParser } from '../../src/lockfiles/gosum.js';
import { expectFailure, parseFixture } from './helpers.js';

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
  it('folds each module’s /go.mod line into one entry with the module hash', async () => {
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
      // Only its go.mod was needed: recorded, without a module hash.
      {
        purl: 'pkg:golang/golang.org/x/sys@v0.13.0',
        name: 'golang.org/x/sys',
        version: 'v0.13.0',
        ecosystem: 'golang',
      },
      {
        purl: 'pkg:golang/gopkg.in/yaml.v3@v3.0.0-20200313102051-9f266ea9e77c',
        name: 'gopkg.in/yaml.v3',
        version: 'v3.0.0-20200313102051-9f266ea9e77c',
        ecosystem: 'golang',
        integrity: 'h1:dUUwHk2QECo/6vqA44rthZ8ie2QXMNeKRTHCNY2nXvo=',
      },
    ]);
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
