import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

import { LedgerError } from '../../src/errors.js';
import {
  fetchTrustedRoot,
  loadTrustedRootFile,
  parseTrustedRoot,
  PUBLIC_GOOD_TUF_MIRROR,
  resolveTrustedRoot,
  tufCacheDir,
} from '../../src/sign/trusted-root.js';
import { refusal } from '../support/refusal.js';

const ROOT_FILE = join(process.cwd(), '__tests__/fixtures/model-signing/public-good-trusted-root.json');
const FIX = "pass a trusted_root.json from the Sigstore instance's TUF repository";

type Json = Record<string, unknown>;

let root: Json;
let dir: string;

beforeAll(async () => {
  root = JSON.parse(await readFile(ROOT_FILE, 'utf8')) as Json;
  dir = await mkdtemp(join(tmpdir(), 'model-ledger-trusted-root-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A deep copy of the public-good root with `change` applied to it. */
function rootWith(change: (copy: Json & { [list: string]: Json[] }) => void): Json {
  const copy = structuredClone(root) as Json & { [list: string]: Json[] };
  change(copy);
  return copy;
}

/** The LedgerError a synchronous `run` throws (see support/refusal.ts for the awaited form). */
function syncRefusal(run: () => unknown): LedgerError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LedgerError);
    return error as LedgerError;
  }
  throw new Error('expected a LedgerError, and nothing was thrown');
}

/** Asserts parseTrustedRoot refuses `json` as BAD_INPUT at `field` with `message`, naming the source. */
function expectRefused(json: unknown, field: string | undefined, message: string): void {
  const error = syncRefusal(() => parseTrustedRoot(json, 'root.json'));
  expect({ code: error.code, file: error.file, field: error.field }).toEqual({
    code: 'BAD_INPUT',
    file: 'root.json',
    field,
  });
  expect(error.message).toContain(message);
  expect(error.fix).toContain(FIX);
}

describe('parsing a trusted root', () => {
  it('accepts the public-good root and turns it into trust material', () => {
    const loaded = parseTrustedRoot(root, 'root.json');
    expect(loaded.json).toBe(root);
    expect(loaded.root.mediaType).toBe(root.mediaType);
    expect(loaded.material.tlogs).toHaveLength(2);
    expect(loaded.material.ctlogs).toHaveLength(2);
    expect(loaded.material.certificateAuthorities).toHaveLength(2);
    expect(loaded.material.timestampAuthorities).toHaveLength(1);
  });

  it('accepts a root without some of its lists, and an end of validity given as null', () => {
    const loaded = parseTrustedRoot(
      rootWith((copy) => {
        delete copy.timestampAuthorities;
        delete copy.ctlogs;
        (copy.tlogs?.[0]?.publicKey as Json & { validFor: Json }).validFor.end = null;
      }),
      'root.json',
    );
    expect(loaded.material.timestampAuthorities).toEqual([]);
    expect(loaded.material.ctlogs).toEqual([]);
    expect(loaded.material.tlogs).toHaveLength(2);
  });

  it('refuses what is not a JSON object', () => {
    for (const json of [null, [], 'trusted_root.json', 3]) {
      expectRefused(json, undefined, 'is not a Sigstore trusted root (expected a JSON object)');
    }
  });

  it('refuses another media type, quoting what it found', () => {
    expectRefused(
      { ...root, mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' },
      'mediaType',
      'is not a Sigstore trusted root (mediaType is "application/vnd.dev.sigstore.bundle.v0.3+json", expected application/vnd.dev.sigstore.trustedroot…)',
    );
    expectRefused({ ...root, mediaType: 7 }, 'mediaType', '(mediaType is 7, expected');
    const { mediaType: _absent, ...rest } = root;
    expectRefused(rest, 'mediaType', '(mediaType is undefined, expected');
  });

  it('refuses a list that is not a list', () => {
    for (const list of ['tlogs', 'ctlogs', 'certificateAuthorities', 'timestampAuthorities']) {
      expectRefused({ ...root, [list]: { 0: {} } }, list, 'is not a list');
    }
  });

  it.each(['tlogs', 'ctlogs'])('refuses %s entries without an object, a key or a log id', (list) => {
    expectRefused(
      rootWith((copy) => copy[list]?.push('log' as unknown as Json)),
      `${list}[2]`,
      'is not an object',
    );
    expectRefused(
      rootWith((copy) => delete copy[list]?.[1]?.publicKey),
      `${list}[1].publicKey.rawBytes`,
      'has no public key',
    );
    for (const rawBytes of ['', 42, undefined]) {
      expectRefused(
        rootWith((copy) => ((copy[list]?.[0]?.publicKey as Json).rawBytes = rawBytes)),
        `${list}[0].publicKey.rawBytes`,
        'has no public key',
      );
    }
    expectRefused(
      rootWith((copy) => delete copy[list]?.[0]?.logId),
      `${list}[0].logId.keyId`,
      'has no log id',
    );
    expectRefused(
      rootWith((copy) => ((copy[list]?.[0]?.logId as Json).keyId = 12)),
      `${list}[0].logId.keyId`,
      'has no log id',
    );
  });

  it.each(['tlogs', 'ctlogs'])(
    'refuses a %s key trusted since the beginning of time, or with a validity that is no timestamp',
    (list) => {
      const at = `${list}[0].publicKey.validFor`;
      const validFor = (copy: Json & { [list: string]: Json[] }): Json =>
        (copy[list]?.[0]?.publicKey as Json & { validFor: Json }).validFor;
      expectRefused(
        rootWith((copy) => delete (copy[list]?.[0]?.publicKey as Json).validFor),
        `${at}.start`,
        'has no start: a trusted key or authority must say from when it is trusted',
      );
      expectRefused(
        rootWith((copy) => delete validFor(copy).start),
        `${at}.start`,
        'has no start',
      );
      expectRefused(
        rootWith((copy) => (validFor(copy).start = null)),
        `${at}.start`,
        'has no start',
      );
      expectRefused(
        rootWith((copy) => (validFor(copy).start = 'yesterday')),
        `${at}.start`,
        'is not a timestamp ("yesterday")',
      );
      expectRefused(
        rootWith((copy) => (validFor(copy).start = 1610452407)),
        `${at}.start`,
        'is not a timestamp (1610452407)',
      );
      expectRefused(
        rootWith((copy) => (validFor(copy).end = 'never')),
        `${at}.end`,
        'is not a timestamp ("never")',
      );
    },
  );

  it.each(['certificateAuthorities', 'timestampAuthorities'])(
    'refuses %s without an object, certificates or a start of validity',
    (list) => {
      expectRefused(
        rootWith((copy) => copy[list]?.unshift(null as unknown as Json)),
        `${list}[0]`,
        'is not an object',
      );
      expectRefused(
        rootWith((copy) => delete copy[list]?.[0]?.certChain),
        `${list}[0].certChain.certificates`,
        'has no certificates',
      );
      expectRefused(
        rootWith((copy) => ((copy[list]?.[0]?.certChain as Json).certificates = [])),
        `${list}[0].certChain.certificates`,
        'has no certificates',
      );
      expectRefused(
        rootWith((copy) => ((copy[list]?.[0]?.certChain as Json).certificates = { rawBytes: 'AA==' })),
        `${list}[0].certChain.certificates`,
        'has no certificates',
      );
      expectRefused(
        rootWith((copy) => delete copy[list]?.[0]?.validFor),
        `${list}[0].validFor.start`,
        'has no start',
      );
      expectRefused(
        rootWith((copy) => ((copy[list]?.[0]?.validFor as Json).end = '2099-13-45T99:99:99Z')),
        `${list}[0].validFor.end`,
        'is not a timestamp ("2099-13-45T99:99:99Z")',
      );
    },
  );

  it('refuses a key that cannot be parsed, saying why', () => {
    expectRefused(
      rootWith((copy) => {
        const certificates = (copy.certificateAuthorities?.[0]?.certChain as Json).certificates as Json[];
        (certificates[0] as Json).rawBytes = Buffer.from('not a certificate').toString('base64');
      }),
      undefined,
      'holds a key or certificate that cannot be parsed (',
    );
  });
});

describe('reading a trusted root file', () => {
  it('reads and checks the file', async () => {
    const loaded = await loadTrustedRootFile(ROOT_FILE);
    expect(loaded.json).toEqual(root);
    expect(loaded.material.tlogs).toHaveLength(2);
    expect((await resolveTrustedRoot({ file: ROOT_FILE }, {})).json).toEqual(root);
  });

  it('names the file and the fix when it is missing or unreadable', async () => {
    const missing = await refusal(() => loadTrustedRootFile(join(dir, 'absent.json')));
    expect(missing.code).toBe('BAD_INPUT');
    expect(missing.file).toBe(join(dir, 'absent.json'));
    expect(missing.message).toContain('cannot read the trusted root (');
    expect(missing.fix).toBe('check the --trusted-root path');
    expect((missing.cause as NodeJS.ErrnoException).code).toBe('ENOENT');

    const directory = await refusal(() => loadTrustedRootFile(dir));
    expect(directory.code).toBe('BAD_INPUT');
    expect(directory.fix).toBe('check the file permissions');
  });

  it('says a file that is not JSON is not JSON, and checks the shape of one that is', async () => {
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, '{"mediaType": ');
    const error = await refusal(() => loadTrustedRootFile(notJson));
    expect({ code: error.code, file: error.file }).toEqual({ code: 'BAD_INPUT', file: notJson });
    expect(error.message).toMatch(/: is not JSON \(/);
    expect(error.cause).toBeInstanceOf(SyntaxError);

    const notRoot = join(dir, 'bundle.json');
    await writeFile(notRoot, JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }));
    expect((await refusal(() => loadTrustedRootFile(notRoot))).field).toBe('mediaType');
  });
});

describe("the TUF cache's place", () => {
  it('is under LOCALAPPDATA on Windows when it is set, else under the cache home', () => {
    expect(tufCacheDir({ LOCALAPPDATA: 'C:\\AppData', HOME: '/home/u' }, 'win32')).toBe(
      join('C:\\AppData', 'model-ledger', 'Cache', 'tuf'),
    );
    expect(tufCacheDir({ HOME: '/home/u' }, 'win32')).toBe('/home/u/.cache/model-ledger/tuf');
    expect(tufCacheDir({ LOCALAPPDATA: 'C:\\AppData', HOME: '/home/u' }, 'linux')).toBe(
      '/home/u/.cache/model-ledger/tuf',
    );
  });

  it('follows XDG_CACHE_HOME, then ~/Library/Caches on macOS, then ~/.cache', () => {
    expect(tufCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }, 'darwin')).toBe(
      '/x/cache/model-ledger/tuf',
    );
    expect(tufCacheDir({ XDG_CACHE_HOME: '', HOME: '/Users/u' }, 'darwin')).toBe(
      '/Users/u/Library/Caches/model-ledger/tuf',
    );
    expect(tufCacheDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.cache/model-ledger/tuf');
    expect(tufCacheDir({ HOME: '' }, 'linux')).toBe(join(homedir(), '.cache', 'model-ledger', 'tuf'));
    expect(tufCacheDir({}, process.platform === 'win32' ? 'linux' : process.platform)).toBe(
      join(homedir(), process.platform === 'darwin' ? 'Library/Caches' : '.cache', 'model-ledger', 'tuf'),
    );
  });
});

describe('fetching the trusted root through TUF', () => {
  let server: Server;
  let mirror: string;
  const requests: string[] = [];

  beforeAll(async () => {
    // A TUF repository that has nothing: every metadata request is a 404.
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.statusCode = 404;
      response.end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('asks for the root of another mirror when none is given, and says so', async () => {
    const cachePath = join(dir, 'tuf-custom');
    const error = await refusal(() => fetchTrustedRoot({ mirrorUrl: mirror, cachePath }, {}));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toContain(`cannot fetch the trusted root from the TUF repository ${mirror} (`);
    expect(error.fix).toBe(
      "pass that repository's initial root.json with --tuf-root FILE, or a trusted root with --trusted-root FILE to verify offline",
    );
    expect(error.cause).toBeDefined();
  });

  it('with the initial root given, fetches from the mirror into the cache path, and blames the network when it fails', async () => {
    const cachePath = join(dir, 'tuf-rooted');
    await mkdir(cachePath, { recursive: true });
    const rootPath = join(dir, 'initial-root.json');
    // The public-good repository's initial root (shipped in @sigstore/tuf), served by nobody here.
    const seeds = JSON.parse(
      await readFile(join(process.cwd(), 'node_modules/@sigstore/tuf/seeds.json'), 'utf8'),
    ) as Record<string, { 'root.json': string }>;
    await writeFile(rootPath, Buffer.from(seeds[PUBLIC_GOOD_TUF_MIRROR]?.['root.json'] ?? '', 'base64'));
    requests.length = 0;
    const error = await refusal(() =>
      resolveTrustedRoot({ tuf: { mirrorUrl: mirror, cachePath, rootPath, timeoutMs: 2000 } }, {}),
    );
    expect(error.code).toBe('NETWORK');
    expect(error.fix).toBe('check the network, or pass --trusted-root FILE to verify offline');
    // It asked this mirror for the next root version, as TUF updates begin, seeding the cache given
    // with the initial root given.
    expect(requests[0]).toMatch(/^\/\d+\.root\.json$/);
    const cached = (await readdir(cachePath, { recursive: true })).filter((name) =>
      name.endsWith('root.json'),
    );
    expect(cached).toHaveLength(1);
    expect(await readFile(join(cachePath, cached[0] as string))).toEqual(await readFile(rootPath));
  });
});
