/**
 * The job summary of a run: the record's key facts, its place in the chain, who signed it, and
 * links to the bundle, the run, the commit and the pull request.
 */
import type { ClaimedSigner } from '../verify/claimed-signer.js';
import type { RecordResult } from '../run/record.js';
import { mdCode, mdText, recordAlerts } from './diff-markdown.js';
import { recordFacts, signingModeLabel, workingTreeLabel } from './facts.js';
import { safetyFindings } from './safety.js';

export interface SummaryExtras {
  /** Who the bundle says signed it (read back from the store). */
  signer?: ClaimedSigner | null;
}

/** `key <hint…>` or `<identity> (issuer <issuer>)`. */
export function signerLabel(signer: ClaimedSigner): string {
  return signer.kind === 'key'
    ? `key ${signer.keyHint.slice(0, 16)}…`
    : `${signer.identity} (issuer ${signer.issuer})`;
}

function link(text: string, url: string | null | undefined): string {
  return url && /^https?:\/\//.test(url) ? `[${text}](${url})` : text;
}

export function summaryMarkdown(result: RecordResult, extras: SummaryExtras = {}): string {
  const { predicate } = result.statement;
  const facts = recordFacts(result.statement);
  const { ci } = predicate.environment;
  const repositoryUrl = ci.serverUrl && ci.repository ? `${ci.serverUrl}/${ci.repository}` : null;
  const policy = predicate.policy;
  const signedWith =
    predicate.signing.mode === 'development-key'
      ? `**${signingModeLabel(predicate.signing.mode)}** (a key made on this machine)`
      : predicate.signing.mode;
  const tree = workingTreeLabel(predicate.commit?.workingTree);
  const rows: [string, string][] = [
    ['Chain position', `record ${result.index} of ${mdText(predicate.chain.origin)}`],
    ['Statement sha256', mdCode(result.statementSha256)],
    ['Previous', result.previous ? mdCode(result.previous.statementSha256) : 'none (first record)'],
    ['Signed with', signedWith],
    ...(extras.signer ? ([['Signer', mdCode(signerLabel(extras.signer))]] as [string, string][]) : []),
    ['Recorded at', mdText(predicate.recordedAt)],
    [
      'Commit',
      predicate.commit
        ? link(
            mdCode(predicate.commit.sha),
            repositoryUrl && `${repositoryUrl}/commit/${predicate.commit.sha}`,
          )
        : 'none',
    ],
    ...(tree ? ([['Working tree', mdText(tree)]] as [string, string][]) : []),
    ...(facts.pullRequest
      ? ([
          [
            'Pull request',
            link(`#${facts.pullRequest.number} ${mdText(facts.pullRequest.title)}`, facts.pullRequest.url),
          ],
        ] as [string, string][])
      : []),
    ['Reason', facts.reason ? mdText(facts.reason.slice(0, 200)) : '_none given_'],
    ['Triggered by', mdText(facts.actor)],
    ['Approved by', facts.approvedBy.length > 0 ? mdText(facts.approvedBy.join(', ')) : 'nobody recorded'],
    [
      'Policy',
      policy
        ? `${facts.policy} (${policy.results.length} rule(s) from ${mdCode(policy.file)})`
        : 'no policy file',
    ],
    [
      'Bundle',
      /^https?:\/\//.test(result.location) ? link('bundle', result.location) : mdCode(result.location),
    ],
    ...(ci.runUrl ? ([['Run', link('workflow run', ci.runUrl)]] as [string, string][]) : []),
  ];
  const subjects = result.statement.subject.map(
    (subject) => `| ${mdCode(subject.name)} | ${mdCode(Object.values(subject.digest)[0] ?? '')} |`,
  );
  return [
    '## model-ledger record',
    '',
    ...recordAlerts({
      label: `record ${result.index}`,
      safety: safetyFindings(result.statement),
      signingMode: predicate.signing.mode,
      workingTree: predicate.commit?.workingTree ?? null,
    }),
    '| | |',
    '| --- | --- |',
    ...rows.map(([key, value]) => `| ${key} | ${value} |`),
    '',
    '### Subjects',
    '',
    '| name | digest |',
    '| --- | --- |',
    ...subjects,
    '',
    ...result.notices.map((notice) => `> ${mdText(notice)}`),
    '',
  ].join('\n');
}
