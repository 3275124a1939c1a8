/** model-ledger's library API: exports only. */
export { record, ledgerOrigin, DEVELOPMENT_KEY_NOTICE } from './record/record.js';
export type { RecordOptions, RecordResult } from './record/record.js';
export { verifyLedger } from './verify/ledger.js';
export type { LedgerVerification, RecordSummary, VerifyLedgerOptions } from './verify/ledger.js';
export type { Problem, ProblemCode } from './verify/problems.js';
export { VerificationFailure } from './verify/problems.js';
export { LedgerError, exitCodeFor } from './errors.js';
export type { LedgerErrorCode } from './errors.js';
export { LocalStore, DEFAULT_LEDGER_DIR } from './store/local.js';
export type { Store, RecordRef, PutRequest, Attachment } from './store/types.js';
export { generateKeyPair, writeKeyPair, keyHint } from './sign/keys.js';
export type { Signer, SigningMode } from './sign/types.js';
export { buildStatement, serializeStatement, subjectsFor } from './record/statement.js';
export { assertValidStatement, recordSchema } from './record/schema.js';
export { PREDICATE_TYPE, STATEMENT_TYPE, DSSE_PAYLOAD_TYPE } from './record/predicate.js';
export type * from './record/predicate.js';
export type { Logger } from './log.js';
export { TOOL_VERSION } from './record/version.js';
