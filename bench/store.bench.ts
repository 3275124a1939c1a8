/**
 * The GitHub store's API cost against the fake GitHub server, at ledgers of 10, 100, 1,000 and
 * 10,000 records: calls and bytes downloaded by one `record` run (target: flat, and within the
 * 1,000 requests/hour of GITHUB_TOKEN at one run a minute), and `verify --github` calls per record.
 * The ledgers are made directly on the fake server (real signed, linked records with their
 * checkpoints, 100 a release), so the bench measures runs, not the making of ledgers.
 * BENCH_SMALL=1 stops at 1,000.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

import { formatCheckpointBody } from '../src/checkpoint/note.js';
import { checkpointKeyName } from '../src/checkpoint/checkpoint-name.js';
import { TreeState } from '../src/checkpoint/tree-state.js';
import { record } from '../src/run/record.js';
import { buildStatement, serializeStatement } from '../src/record/statement.js';
import { KeySigner } from '../src/sign/key-signer.js';
import { generateKeyPair, keyHint, parsePrivateKey } from '../src/sign/keys.js';
import { sha256Hex } from '../src/hash/file.js';
import { checkpointFileName, releaseRecordName } from '../src/store/types.js';
import { verifyLedger } from '../src/verify/ledger.js';
import { makePredicate } from '../__tests__/support/predicate.js';
import { startGitHubLedger, type GitHubLedgerServer } from '../__tests__/support/github-store.js';
import { createPublicKey } from 'node:crypto';

const PER_RELEASE = 100;

async function fillLedger(
  server: GitHubLedgerServer,
  size: number,
  origin: string,
  keyPem: string,
): Promise<void> {
  const signer = new KeySigner(parsePrivateKey(keyPem, 'bench key'));
  const pem = signer.publicKeyPem;
  const hint = keyHint(createPublicKey(pem));
  let tree = TreeState.empty();
  let previous: { statementSha256: string; bundleSha256: string; uri: string } | null = null;
  let release;
  for (let index = 0; index < size; index++) {
    if (index % PER_RELEASE === 0) {
      const number = index / PER_RELEASE + 1;
      release = server.releases.addRelease('acme/model', {
        tagName: number === 1 ? 'model-ledger' : `model-ledger-${number}`,
        prerelease: true,
      });
      server.releases.addAsset(release, `model-ledger-key-${hint}.pub.pem`, pem);
    }
    const predicate = makePredicate({
      chain: { origin, index, previous, tree: tree.toRecord() },
      change: { reason: `change ${index}`, reasonSource: 'input', implementedBy: [], approvedBy: [] },
      models: [
        { name: 'model.bin', kind: 'file', digest: { sha256: sha256Hex(Buffer.from(`w${index}`)) }, size: 3 },
      ],
    });
    const payload = serializeStatement(buildStatement(predicate));
    const bundle = Buffer.from(`${JSON.stringify(await signer.signStatement(payload), null, 2)}\n`);
    tree = tree.append(payload);
    const note = signer.signNote(
      formatCheckpointBody({ origin, size: tree.size, rootHash: tree.root() }),
      checkpointKeyName(origin),
    );
    if (!release) throw new Error('no release');
    server.releases.addAsset(release, releaseRecordName(index), bundle);
    server.releases.addAsset(release, checkpointFileName(index), note);
    previous = {
      statementSha256: sha256Hex(payload),
      bundleSha256: sha256Hex(bundle),
      uri: `${server.fake.serverUrl}/acme/model/releases/download/${release.tagName}/${releaseRecordName(index)}`,
    };
  }
}

export async function run(): Promise<string[]> {
  const sizes = process.env.BENCH_SMALL ? [10, 100, 1000] : [10, 100, 1000, 10_000];
  const lines = [
    '| ledger records | API calls per `record` run | bytes downloaded | `verify --github` API calls per record |',
    '| ---: | ---: | ---: | ---: |',
  ];
  const perRun: number[] = [];
  for (const size of sizes) {
    const server = await startGitHubLedger();
    const repo = await mkdtemp(join(tmpdir(), 'model-ledger-store-bench-'));
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
      git('init', '-q', '-b', 'main');
      git('remote', 'add', 'origin', 'https://github.com/acme/model.git');
      await writeFile(join(repo, 'model.bin'), 'weights');
      git('add', '-A');
      git('-c', 'user.name=Bench', '-c', 'user.email=bench@example.org', 'commit', '-q', '-m', 'train');
      const key = generateKeyPair().privateKeyPem;
      await fillLedger(server, size, 'github.com/acme/model#main', key);

      const store = server.store({ recordsPerRelease: PER_RELEASE, downloads: 'web' });
      const before = server.fake.requests.length;
      const result = await record({
        cwd: repo,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: repo },
        store,
        models: ['model.bin'],
        signing: 'key',
        keyPem: key,
        headVerificationDepth: 10,
      });
      if (result.index !== size) throw new Error(`record ${result.index}, expected ${size}`);
      // API calls only: the web host's downloads are not counted against the token.
      const calls = server.fake.requests
        .slice(before)
        .filter((request) => request.operationId !== 'web/release-download').length;
      perRun.push(calls);
      if (process.env.BENCH_DEBUG) {
        const byOperation = new Map<string, number>();
        for (const request of server.fake.requests.slice(before)) {
          const key = `${request.operationId ?? request.path} p${request.query.get('page') ?? '1'}`;
          byOperation.set(key, (byOperation.get(key) ?? 0) + 1);
        }
        lines.push(
          `<!-- ${size}: ${[...byOperation].map(([key, count]) => `${key}×${count}`).join(', ')} -->`,
        );
      }

      let verifyCalls = '—';
      if (size <= 1000) {
        const reader = server.store({ recordsPerRelease: PER_RELEASE, downloads: 'web' });
        const start = server.fake.requests.length;
        const outcome = await verifyLedger({ store: reader });
        if (!outcome.ok) throw new Error(`verify: ${outcome.problems[0]?.message ?? 'failed'}`);
        const apiCalls = server.fake.requests
          .slice(start)
          .filter((request) => request.operationId !== 'web/release-download').length;
        verifyCalls = (apiCalls / (size + 1)).toFixed(2);
      }
      lines.push(`| ${size} | ${calls} | ${store.usage.bytesDownloaded} | ${verifyCalls} |`);
    } finally {
      await server.close();
      await rm(repo, { recursive: true, force: true });
    }
  }
  // Flat: a ledger ten times longer costs no more calls (the small ones cost less: fewer pages).
  const flat = (perRun.at(-1) ?? 0) <= (perRun.at(-2) ?? 0);
  const hourly = Math.max(...perRun) * 60;
  lines.push(
    '',
    `API calls per run: ${Math.min(...perRun)}–${Math.max(...perRun)} from ${sizes[0]} to ${sizes.at(-1)} records (${flat ? 'flat from 1,000 on' : 'NOT FLAT'}); at one run a minute that is ${hourly} requests/hour against GITHUB_TOKEN's 1,000 (${hourly <= 1000 ? 'fits' : 'DOES NOT FIT'}).`,
  );
  return lines;
}
