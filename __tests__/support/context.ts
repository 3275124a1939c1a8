import { MemoryLogger } from '../../src/log.js';
import type { CollectContext } from '../../src/collect/types.js';
import type { RecordPredicate } from '../../src/record/predicate.js';

/** A CollectContext for one collector test, with its notes, log and attachments kept for assertions. */
export interface TestContext {
  context: CollectContext;
  notes: string[];
  log: MemoryLogger;
  attachments: Map<string, string>;
}

export function testContext(
  cwd: string,
  env: Record<string, string | undefined>,
  previous: RecordPredicate | null = null,
): TestContext {
  const notes: string[] = [];
  const log = new MemoryLogger();
  const attachments = new Map<string, string>();
  return {
    notes,
    log,
    attachments,
    context: {
      cwd,
      env,
      previous,
      log,
      note: (text) => notes.push(text),
      attach: (name, content) => attachments.set(name, content),
    },
  };
}

/** The smallest previous-record predicate that names a commit, for change comparisons. */
export function previousWithCommit(sha: string): RecordPredicate {
  return { commit: { sha } } as unknown as RecordPredicate;
}
