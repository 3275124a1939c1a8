/**
 * The fake GitHub server with releases installed, a client against it whose waits are recorded
 * (not slept), and GitHub release stores on it: shared by the store, CLI and Action tests.
 */
import { createGitHubClient, type GitHubClient } from '../../src/github/client.js';
import { MemoryLogger } from '../../src/log.js';
import { GitHubReleaseStore, type GitHubReleaseStoreOptions } from '../../src/store/github-release.js';
import { FakeGitHub } from './fake-github.js';
import { FakeReleases } from './fake-releases.js';

export const TOKEN = 'ghs_0123456789abcdefghijABCDEFGHIJ0123456789';
export const REPOSITORY = 'acme/model';

export interface GitHubLedgerServer {
  fake: FakeGitHub;
  releases: FakeReleases;
  /** Waits the clients asked for between attempts, in ms. */
  waits: number[];
  log: MemoryLogger;
  client(options?: { requestTimeoutMs?: number }): GitHubClient;
  store(options?: Partial<GitHubReleaseStoreOptions>): GitHubReleaseStore;
  /** Record asset names in the repository, oldest first, as `TAG/NAME`. */
  recordAssets(): string[];
  close(): Promise<void>;
}

export async function startGitHubLedger(): Promise<GitHubLedgerServer> {
  const fake = await FakeGitHub.start();
  fake.token = TOKEN;
  fake.repo('acme', 'model');
  const releases = await FakeReleases.install(fake);
  const waits: number[] = [];
  const log = new MemoryLogger();
  const client = (options: { requestTimeoutMs?: number } = {}) =>
    createGitHubClient({
      token: TOKEN,
      env: fake.env(REPOSITORY),
      log,
      retry: { maxAttempts: 4, totalTimeoutMs: 20_000, baseDelayMs: 10, maxDelayMs: 50 },
      requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  return {
    fake,
    releases,
    waits,
    log,
    client,
    store: (options = {}) =>
      new GitHubReleaseStore({ client: client(), owner: 'acme', repo: 'model', log, ...options }),
    recordAssets: () =>
      releases
        .assetsOf(REPOSITORY)
        .filter((asset) => /^model-ledger-\d+\.sigstore\.json$/.test(asset.name))
        .map((asset) => `${asset.tag}/${asset.name}`),
    close: async () => {
      await releases.close();
      await fake.close();
    },
  };
}
