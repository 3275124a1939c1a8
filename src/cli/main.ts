import { LedgerError, exitCodeFor } from '../errors.js';
import { TOOL_VERSION } from '../record/version.js';
import type { Command, CommandContext } from './output.js';

/**
 * Each command's module is loaded when that command runs, so that `--version`, `keygen` or
 * `record --key` do not pay for evaluating what other commands need (Sigstore TUF, GitHub, zip).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  record: async () => (await import('./record.js')).recordCommand,
  verify: async () => (await import('./verify.js')).verifyCommand,
  'verify-bundle': async () => (await import('./verify-bundle.js')).verifyBundleCommand,
  keygen: async () => (await import('./keygen.js')).keygenCommand,
  log: async () => (await import('./log.js')).logCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  export: async () => (await import('./export.js')).exportCommand,
  checkpoint: async () => (await import('./checkpoint.js')).checkpointCommand,
  witness: async () => (await import('./witness.js')).witnessCommand,
  'sign-model': async () => (await import('./sign-model.js')).signModelCommand,
  'verify-model': async () => (await import('./verify-model.js')).verifyModelCommand,
  audit: async () => (await import('./audit.js')).auditCommand,
};

export const USAGE = `model-ledger ${TOOL_VERSION}: a signed, hash-chained audit trail of model changes

Usage: model-ledger <command> [options]

Commands:
  record     record the current change into the ledger
  verify     verify every record and the chain of a ledger
  verify-bundle  verify one Sigstore bundle against an artifact and a signer identity
  keygen     create an ECDSA P-256 signing key pair
  log        list the records, with filters (table, JSON or CSV)
  diff       show what changed between two records (Markdown or JSON)
  export     write an evidence pack (zip) that verifies offline, or a CycloneDX / SPDX 3 document
  sign-model sign a model directory or file (OpenSSF Model Signing, model.sig)
  verify-model  verify a model directory or file against its OpenSSF Model Signing signature
  audit      completeness (every model change recorded?) and replay (records rebuilt from git)

Run \`model-ledger <command> --help\` for a command's options.
Exit status: 0 success; 1 verification failed or policy violated; 2 bad usage or bad input.`;

/** Runs one command line; returns the exit status. Errors become one line unless --debug. */
export async function main(argv: string[], context: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.output.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    context.output.out(TOOL_VERSION);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    context.output.err(`model-ledger: unknown command "${name}" — run \`model-ledger --help\` for the list`);
    return 2;
  }
  try {
    const command = await load();
    return await command(rest, context);
  } catch (error) {
    const debug = rest.includes('--debug');
    if (error instanceof LedgerError) {
      // An error naming its command (`field: 'export'`) would otherwise say it twice.
      const message = error.message.startsWith(`${name}: `)
        ? error.message.slice(name.length + 2)
        : error.message;
      context.output.err(`model-ledger ${name}: ${message}`);
      if (debug && error.stack) context.output.err(error.stack);
      return exitCodeFor(error.code);
    }
    context.output.err(
      `model-ledger ${name}: unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (error instanceof Error && error.stack)
      context.output.err(debug ? error.stack : 'run again with --debug for details');
    return 2;
  }
}
