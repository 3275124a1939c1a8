import {
  PREDICATE_TYPE,
  STATEMENT_TYPE,
  type RecordPredicate,
  type ResourceDescriptor,
  type Statement,
} from './predicate.js';

/**
 * The statement's subjects: every model artifact (plain file SHA-256, so `sha256sum` and
 * `gh attestation verify` agree), then every dataset (`dataset:<name>`, manifest digest).
 * With neither, the commit itself.
 */
export function subjectsFor(predicate: RecordPredicate): ResourceDescriptor[] {
  const subjects: ResourceDescriptor[] = [
    ...predicate.models.map((model) => ({ name: model.name, digest: { sha256: model.digest.sha256 } })),
    ...predicate.datasets.map((dataset) => ({
      name: `dataset:${dataset.name}`,
      digest: { sha256: dataset.digest.sha256 },
    })),
  ];
  if (subjects.length > 0) return subjects;
  const commit = predicate.commit;
  if (commit) {
    const repository = commit.repositoryUrl || 'unknown';
    return [{ name: `git+${repository}@${commit.sha}`, digest: { gitCommit: commit.sha } }];
  }
  return [];
}

export function buildStatement(predicate: RecordPredicate): Statement {
  return { _type: STATEMENT_TYPE, subject: subjectsFor(predicate), predicateType: PREDICATE_TYPE, predicate };
}

/** The exact bytes that are signed: compact JSON, UTF-8. Their SHA-256 is the record's identity. */
export function serializeStatement(statement: Statement): Buffer {
  return Buffer.from(JSON.stringify(statement), 'utf8');
}
