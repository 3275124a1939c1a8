import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LedgerError } from '../src/errors.js';
import { chooseInstance, GITHUB_INSTANCE, PUBLIC_GOOD } from '../src/sign/instance.js';
import { identityProviderFrom } from '../src/sign/oidc.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-ledger-instance-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function eventWith(repository: Record<string, unknown>): Promise<string> {
  const file = join(dir, 'event.json');
  await writeFile(file, JSON.stringify({ repository }));
  return file;
}

describe('choosing the Sigstore instance, as actions/attest does', () => {
  it('signs public repositories on the public-good instance', async () => {
    const env = { GITHUB_EVENT_PATH: await eventWith({ visibility: 'public' }) };
    expect(await chooseInstance({}, env)).toEqual(PUBLIC_GOOD);
  });

  it("signs private and internal repositories on GitHub's instance, with no transparency log", async () => {
    for (const visibility of ['private', 'internal']) {
      const env = { GITHUB_EVENT_PATH: await eventWith({ visibility }) };
      const instance = await chooseInstance({ instance: 'auto' }, env);
      expect(instance).toEqual(GITHUB_INSTANCE);
      expect(instance.rekorUrl).toBeUndefined();
    }
  });

  it("falls back to the payload's private flag, and to GitHub's instance when visibility is unknown", async () => {
    expect(await chooseInstance({}, { GITHUB_EVENT_PATH: await eventWith({ private: false }) })).toEqual(
      PUBLIC_GOOD,
    );
    expect(await chooseInstance({}, {})).toEqual(GITHUB_INSTANCE);
  });

  it('lets an explicit choice and custom URLs win', async () => {
    const env = { GITHUB_EVENT_PATH: await eventWith({ visibility: 'private' }) };
    expect(await chooseInstance({ instance: 'public-good' }, env)).toEqual(PUBLIC_GOOD);
    expect(
      await chooseInstance({ fulcioUrl: 'https://fulcio.example', tsaUrl: 'https://tsa.example' }, env),
    ).toEqual({
      name: 'custom',
      fulcioUrl: 'https://fulcio.example',
      tsaUrl: 'https://tsa.example',
    });
  });

  it('refuses a custom Fulcio with neither log nor timestamp authority', async () => {
    await expect(chooseInstance({ fulcioUrl: 'https://fulcio.example' }, {})).rejects.toThrow(LedgerError);
    await expect(chooseInstance({ fulcioUrl: 'https://fulcio.example' }, {})).rejects.toThrow(
      /a custom Fulcio needs a transparency log or a timestamp authority/,
    );
  });
});

describe('OIDC token sources', () => {
  it('prefers SIGSTORE_ID_TOKEN, then the GitHub Actions endpoint, and has none otherwise', () => {
    expect(
      identityProviderFrom({
        SIGSTORE_ID_TOKEN: 'a.b.c',
        ACTIONS_ID_TOKEN_REQUEST_URL: 'x',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'y',
      })?.source,
    ).toBe('SIGSTORE_ID_TOKEN');
    expect(
      identityProviderFrom({
        ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1/',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'y',
      })?.source,
    ).toBe('GitHub Actions OIDC');
    expect(identityProviderFrom({ ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1/' })).toBeNull();
  });
});
