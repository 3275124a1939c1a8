/**
 * Every failure model-ledger reports is a LedgerError with a code from this union.
 * Callers branch on `code`; users read `message`, which names the file, the field and the fix.
 */
export type LedgerErrorCode =
  | 'USAGE' // bad command line or options
  | 'BAD_INPUT' // a file or value given to us is missing, malformed or unsupported
  | 'IO' // the filesystem refused (permissions, disk)
  | 'GIT' // git failed or the directory is not a repository
  | 'SCHEMA' // a record does not match the predicate schema
  | 'SIGNING' // signing failed
  | 'KEY' // a key is missing, malformed or of the wrong kind
  | 'STORE' // the ledger store is unreadable or inconsistent
  | 'CHAIN' // the ledger head cannot be linked to
  | 'HASH' // hashing a file or directory failed
  | 'FORMAT' // a model file's bytes do not match its format
  | 'LOCKFILE' // a lockfile cannot be parsed
  | 'CONFIG' // the config file is invalid
  | 'POLICY' // a policy file is invalid, or an enforced rule was violated
  | 'SECRET' // a secret was found in a record before signing
  | 'NETWORK' // a remote service failed after retries
  | 'CHECKPOINT' // a checkpoint, signed note or Merkle proof is malformed
  | 'VERIFY' // verification could not be carried out (not: verification found a problem)
  | 'VERIFICATION_FAILED'; // verification was carried out and something does not hold

/** Exit status the CLI uses for a code: 1 for verification/policy outcomes, 2 for bad usage or input. */
export function exitCodeFor(code: LedgerErrorCode): 1 | 2 {
  return code === 'POLICY' || code === 'VERIFICATION_FAILED' ? 1 : 2;
}

export interface LedgerErrorOptions {
  cause?: unknown;
  /** The file the problem is in, as the user named it. */
  file?: string;
  /** The field or location inside the file (dotted path, line number). */
  field?: string;
  /** What the user should do about it. */
  fix?: string;
}

export class LedgerError extends Error {
  readonly code: LedgerErrorCode;
  readonly file: string | undefined;
  readonly field: string | undefined;
  readonly fix: string | undefined;

  constructor(code: LedgerErrorCode, message: string, options: LedgerErrorOptions = {}) {
    super(composeMessage(message, options), { cause: options.cause });
    this.name = 'LedgerError';
    this.code = code;
    this.file = options.file;
    this.field = options.field;
    this.fix = options.fix;
  }
}

function composeMessage(message: string, { file, field, fix }: LedgerErrorOptions): string {
  const where = [file, field].filter((part) => part !== undefined && part !== '').join(': ');
  const head = where ? `${where}: ${message}` : message;
  return fix ? `${head} — ${fix}` : head;
}

/** A short description of anything thrown, for wrapping it as a cause in a message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Node's errno code of a thrown value, when it has one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
