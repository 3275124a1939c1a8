/**
 * `witness: OWNER/REPO`: the Action run by a second party on a schedule (the compliance team's
 * repository, an auditor's). It records nothing: it fetches the ledger from OWNER/REPO's releases,
 * verifies it, checks it extends what this witness cosigned last, cosigns the new checkpoint and
 * keeps it in its own repository's releases (or a directory). A refusal fails the run, so the
 * schedule's failure notification is the alarm.
 */
import { createPrivateKey } from 'node:crypto';
import { join } from 'node:path';

import { LedgerError, describeError } from '../errors.js';
import { createGitHubClient } from '../github/client.js';
import { repositoryFrom } from '../github/context.js';
import { resolveTrustedRoot } from '../sign/trusted-root.js';
import { GitHubReleaseStore } from '../store/github-release.js';
import { GitHubReleaseWitnessState } from '../witness/github-state.js';
import { DirectoryWitnessState, type WitnessState } from '../witness/state.js';
import { witnessLedger, type WitnessResult } from '../witness/witness.js';
import type { ActionInputs, WitnessInputs } from './inputs.js';
import type { ActionRuntime } from './run.js';

export async function runWitness(inputs: ActionInputs, runtime: ActionRuntime): Promise<WitnessResult> {
  const witness = inputs.witness as WitnessInputs;
  const client = createGitHubClient({
    ...(inputs.githubToken === undefined ? {} : { token: inputs.githubToken }),
    env: runtime.env,
    log: runtime.log,
  });
  const [owner, repo] = witness.ledger.split('/') as [string, string];
  const store = new GitHubReleaseStore({
    client,
    owner,
    repo,
    releaseTag: inputs.releaseTag,
    log: runtime.log,
  });
  const result = await witnessLedger({
    store,
    witnessKey: witnessKey(witness.keyPem),
    state: stateOf(witness, client, runtime),
    ...(witness.name === undefined ? {} : { name: witness.name }),
    ...(witness.ledgerPublicKeys.length === 0 ? {} : { trustedKeys: witness.ledgerPublicKeys }),
    loadTrustedRoot: async () =>
      (
        await resolveTrustedRoot(
          inputs.trustedRoot === undefined ? {} : { file: join(runtime.cwd, inputs.trustedRoot) },
          runtime.env,
        )
      ).json,
    log: runtime.log,
  });
  runtime.setOutput('witness-size', String(result.size));
  runtime.setOutput('witness-checkpoint', result.cosigned ?? '');
  await runtime.summary(witnessMarkdown(witness.ledger, result));
  if (!result.ok) {
    throw new LedgerError(
      'VERIFICATION_FAILED',
      `witness ${result.name} refused to cosign the ledger of ${witness.ledger}: ${result.refused.join('; ')}`,
      {
        file: result.file ?? store.location,
        fix: 'find out who changed the ledger: what the witness saw is kept beside its cosignatures',
      },
    );
  }
  runtime.log.info(
    `cosigned ${result.origin ?? witness.ledger} at ${result.size} record(s)${
      result.previousSize === null ? ' (first cosignature)' : `, extending ${result.previousSize}`
    } → ${result.file ?? ''}`,
  );
  return result;
}

function witnessKey(pem: string): ReturnType<typeof createPrivateKey> {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
      return key;
    throw new LedgerError(
      'BAD_INPUT',
      `a witness key must be Ed25519 or ECDSA P-256, not ${key.asymmetricKeyType ?? 'unknown'}`,
      {
        field: 'witness-key',
        fix: 'create one with `model-ledger keygen --ed25519 --out witness`',
      },
    );
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw new LedgerError('BAD_INPUT', `witness-key is not a PEM private key (${describeError(error)})`, {
      field: 'witness-key',
      cause: error,
      fix: 'pass the PEM text of the key from a secret: `witness-key: ${{ secrets.WITNESS_KEY }}`',
    });
  }
}

/** `github`: this workflow's own repository's releases; anything else: a directory in the workspace. */
function stateOf(
  witness: WitnessInputs,
  client: ReturnType<typeof createGitHubClient>,
  runtime: ActionRuntime,
): WitnessState {
  if (witness.state !== 'github') {
    return new DirectoryWitnessState(
      witness.state.startsWith('/') ? witness.state : join(runtime.cwd, witness.state),
    );
  }
  const own = repositoryFrom(runtime.env);
  if (!own) {
    throw new LedgerError(
      'BAD_INPUT',
      "GITHUB_REPOSITORY is not set, so the witness's own repository is unknown",
      {
        field: 'witness-state',
        fix: 'run in GitHub Actions, or give `witness-state` a directory',
      },
    );
  }
  return new GitHubReleaseWitnessState(new GitHubReleaseStore({ client, ...own, log: runtime.log }));
}

function witnessMarkdown(ledger: string, result: WitnessResult): string {
  const lines = [`## model-ledger witness: ${ledger}`, ''];
  if (result.ok) {
    lines.push(
      `Cosigned **${result.size}** record(s) of \`${result.origin ?? ledger}\`${
        result.previousSize === null
          ? ' (first cosignature).'
          : `, extending the ${result.previousSize} cosigned before.`
      }`,
      '',
      '```',
      (result.cosigned ?? '').trimEnd(),
      '```',
    );
  } else {
    lines.push(`**Refused to cosign.** What the witness saw (kept in ${result.file ?? 'its state'}):`, '');
    for (const line of result.refused) lines.push(`- ${line}`);
  }
  return `${lines.join('\n')}\n`;
}
