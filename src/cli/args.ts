import { parseArgs, type ParseArgsConfig } from 'node:util';

import { LedgerError, describeError } from '../errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs<T extends OptionSpec> {
  values: {
    [K in keyof T]?: T[K] extends { type: 'boolean' }
      ? boolean
      : T[K] extends { multiple: true }
        ? string[]
        : string;
  };
  positionals: string[];
}

/** Strict parsing: an unknown or malformed flag is a usage error naming it, never ignored. */
export function parseCommandArgs<T extends OptionSpec>(
  command: string,
  argv: string[],
  options: T,
  positionals = 0,
): ParsedArgs<T> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: positionals > 0 });
  } catch (error) {
    // main() already names the command: the message must not say it again.
    throw new LedgerError('USAGE', describeError(error).replace(/^TypeError( \[[A-Z_]+\])?: /, ''), {
      cause: error,
      fix: `see \`model-ledger ${command} --help\``,
    });
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    // `--store ''` (an unset shell variable) would otherwise mean the repository root, or nothing.
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.includes('')) {
      throw new LedgerError('USAGE', `--${name} is empty`, {
        fix: `give --${name} a value, or leave the option out (see \`model-ledger ${command} --help\`)`,
      });
    }
  }
  if (parsed.positionals.length > positionals) {
    throw new LedgerError('USAGE', `unexpected argument "${parsed.positionals[positionals] ?? ''}"`, {
      fix: `see \`model-ledger ${command} --help\``,
    });
  }
  return parsed;
}

/** Options common to every command. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;
