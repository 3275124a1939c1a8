import type { Logger } from '../log.js';
import { record, type RecordResult } from '../record/record.js';
import { toRecordOptions, type ActionInputs } from './inputs.js';

/** What the Action needs from its runtime; @actions/core in production, plain objects in tests. */
export interface ActionRuntime {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  setOutput(name: string, value: string): void;
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void>;
}

export async function run(inputs: ActionInputs, runtime: ActionRuntime): Promise<RecordResult> {
  const result = await record({ ...toRecordOptions(inputs, runtime.cwd, runtime.env), log: runtime.log });
  runtime.setOutput('bundle-path', result.location);
  runtime.setOutput('record-sha256', result.statementSha256);
  runtime.setOutput('chain-index', String(result.index));
  runtime.setOutput('previous-sha256', result.previous?.statementSha256 ?? '');
  for (const notice of result.notices) runtime.log.warn(notice);
  await runtime.summary(summaryMarkdown(result));
  return result;
}

export function summaryMarkdown(result: RecordResult): string {
  const { predicate } = result.statement;
  const rows = [
    ['Chain position', `record ${result.index} of ${predicate.chain.origin}`],
    ['Statement sha256', `\`${result.statementSha256}\``],
    ['Previous', result.previous ? `\`${result.previous.statementSha256}\`` : 'none (first record)'],
    ['Signed with', predicate.signing.mode],
    ['Commit', predicate.commit ? `\`${predicate.commit.sha}\`` : 'none'],
    [
      'Reason',
      predicate.change.reason ? escapeCell(predicate.change.reason.split('\n')[0] ?? '') : '_none given_',
    ],
    ['Bundle', `\`${result.location}\``],
  ];
  const subjects = result.statement.subject.map(
    (s) => `| \`${s.name}\` | \`${Object.values(s.digest)[0] ?? ''}\` |`,
  );
  return [
    '## model-ledger record',
    '',
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
    ...result.notices.map((notice) => `> ${notice}`),
    '',
  ].join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').slice(0, 200);
}
