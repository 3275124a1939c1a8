import { setFlagsFromString } from 'node:v8';

/**
 * Garbage-collector settings for the commands that read a whole ledger record by record, whose
 * memory is mostly short-lived garbage (each bundle's bytes, parse and signature check) beside a
 * small summary per record. By default V8 grows the young generation to 16 MiB semi-spaces and
 * the old generation by up to 4× at a time, which at 10,000 records held about 30 MiB of dead
 * buffers and empty heap for nothing: `verify` peaked at 182 MiB resident. Keeping the young
 * generation at its first size and growing the old one 2× at a time brought it to 130 MiB at the
 * same speed (`npm run bench -- verify`).
 *
 * Both flags are heuristics V8 reads at each collection, so setting them once the process runs
 * takes effect; neither changes what a program computes. Only the CLI's own process sets them
 * (src/cli/index.ts): the library does not reach into its host's garbage collector.
 */
const COMPACT_HEAP_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=100'];

/** Commands whose memory is dominated by one pass over every record. */
const LEDGER_PASSES = new Set(['verify']);

/** Applies the compact-heap settings when `command` is one pass over a ledger; says whether it did. */
export function tuneHeapFor(command: string | undefined): boolean {
  if (command === undefined || !LEDGER_PASSES.has(command)) return false;
  for (const flag of COMPACT_HEAP_FLAGS) setFlagsFromString(flag);
  return true;
}
