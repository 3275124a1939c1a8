import { describe, expect, it } from '@jest/globals';
import { yarnParser } from '../../src/lockfiles/yarn.js';
import { expectFailure, parseFixture, purls } from './helpers.js';

describe('yarn.lock (classic v1)', () => {
  it('reads entries with several descriptors, scoped names, aliases and sha1-only entries', async () => {
    const result = await parseFixture(yarnParser, 'yarn/classic/yarn.lock');
    expect(result.packages).toEqual([
      {
        purl: 'pkg:npm/%40types/node@20.8.7',
        name: '@types/node',
        version: '20.8.7',
        ecosystem: 'npm',
        integrity:
          'sha512-21TKHHh3eUHIi2MloeptJWALuCu5H7HQTdTrWIFReA8ad+aggoX+lRes3ex7/FtpC+sVUpFMQ+QTfYr74mruiQ==',
      },
      {
        purl: 'pkg:npm/lodash@4.17.21',
        name: 'lodash',
        version: '4.17.21',
        ecosystem: 'npm',
        integrity:
          'sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==',
      },
      // No integrity field: the sha1 in the resolved URL's fragment, in SRI form.
      {
        purl: 'pkg:npm/old-thing@1.0.0',
        name: 'old-thing',
        version: '1.0.0',
        ecosystem: 'npm',
        integrity: 'sha1-ASNFZ4mrze8BI0VniavN7wEjRWc=',
      },
      {
        purl: 'pkg:npm/string-width@4.2.3',
        name: 'string-width',
        version: '4.2.3',
        ecosystem: 'npm',
        integrity:
          'sha512-wKyQRQpjJ0sIp62ErSZdGsjMJWsap5oRNihHhu6G7JVO/9jIB6UyevL+tXuOqrng8j/cxKTWyWUwvSTriiZz/g==',
      },
      {
        purl: 'pkg:npm/undici-types@5.25.3',
        name: 'undici-types',
        version: '5.25.3',
        ecosystem: 'npm',
        integrity:
          'sha512-Ga1jfYwRn7+cP9v8auvEXN1rX3sWqlayd4HP7OKk4mZWylEmu3KzXDUGrQUN6Ol7qo1gPvB2e5gX6udnyEPgdA==',
      },
    ]);
  });

  it('names the line of something that is not an entry header', async () => {
    const text = '# yarn lockfile v1\n\nlodash@^4.17.21:\n  version "4.17.21"\nthis is not yarn\n';
    await expectFailure(yarnParser.parse({ path: 'yarn.lock', text }), {
      file: 'yarn.lock',
      line: 5,
      message: /entry header/,
    });
  });

  it('names the header line of an entry without a version', async () => {
    const text =
      '# yarn lockfile v1\n\nlodash@^4.17.21:\n  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz"\n';
    await expectFailure(yarnParser.parse({ path: 'yarn.lock', text }), {
      file: 'yarn.lock',
      line: 3,
      message: /has no version/,
    });
  });

  it('names the line of an indented line before any entry', async () => {
    await expectFailure(
      yarnParser.parse({ path: 'yarn.lock', text: '# yarn lockfile v1\n  version "1"\n' }),
      { file: 'yarn.lock', line: 2 },
    );
  });
});

describe('yarn.lock (berry)', () => {
  it('reads resolutions and checksums, leaves out the workspace and marks its dependencies direct', async () => {
    const result = await parseFixture(yarnParser, 'yarn/berry/yarn.lock');
    expect(purls(result)).toEqual([
      'pkg:npm/%40types/node@20.8.7',
      'pkg:npm/lodash@4.17.21',
      'pkg:npm/typescript@5.2.2',
      'pkg:npm/undici-types@5.25.3',
    ]);
    expect(result.packages[1]).toEqual({
      purl: 'pkg:npm/lodash@4.17.21',
      name: 'lodash',
      version: '4.17.21',
      ecosystem: 'npm',
      integrity:
        '10c0/d8cbea072bb08655bb4c989da418994b073a608dffa608b09ac04b43a791b12aeae7cd7ad919aa4c925f33b48490b5cfe6c1f71d827956071dae2e7bb3a6b74c',
      direct: true,
    });
    expect(result.packages.map((pkg) => pkg.direct)).toEqual([true, true, true, false]);
  });

  it('keeps versions such as 1.10 as written (no YAML number conversion)', async () => {
    const text = '__metadata:\n  version: 8\n\n"x@npm:^1.10":\n  version: 1.10\n  resolution: "x@npm:1.10"\n';
    const result = await yarnParser.parse({ path: 'yarn.lock', text });
    expect(purls(result)).toEqual(['pkg:npm/x@1.10']);
  });

  it('names the line of invalid YAML', async () => {
    const text =
      '__metadata:\n  version: 8\n\n"lodash@npm:^4":\n  version: 4.17.21\n   resolution: [unclosed\n';
    await expectFailure(yarnParser.parse({ path: 'yarn.lock', text }), {
      file: 'yarn.lock',
      line: 5,
      message: /not valid YAML/,
    });
  });

  it('refuses a YAML alias bomb quickly, naming the first alias line', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i += 1) {
      const name = String.fromCharCode(97 + i);
      const prev = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = `__metadata:\n  version: 8\n${levels.join('\n')}\n`;
    await expectFailure(yarnParser.parse({ path: 'yarn.lock', text }), {
      file: 'yarn.lock',
      line: 4,
      message: /alias/,
    });
  });

  it('names the line of an entry without a resolution', async () => {
    const text = '__metadata:\n  version: 8\n\n"lodash@npm:^4":\n  version: 4.17.21\n';
    await expectFailure(yarnParser.parse({ path: 'yarn.lock', text }), {
      file: 'yarn.lock',
      line: 4,
      message: /no resolution/,
    });
  });
});
