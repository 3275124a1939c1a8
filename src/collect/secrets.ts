/**
 * Secrets never enter a record. Three defences:
 * 1. only allow-listed environment variables are captured, and a variable whose name looks like
 *    a secret (token, secret, password, key, credential, auth, private…) is redacted whatever it holds;
 * 2. every known secret value (the Action's `github-token`, values registered with
 *    `core.setSecret`) is replaced wherever it appears in the record;
 * 3. the serialized statement is scanned for known secret formats before signing, and a hit
 *    names the field — never the value.
 */

export const REDACTED = '[REDACTED]';

/**
 * Variables recorded by default: what describes the run and the determinism of training, none of
 * them secret. `GITHUB_TOKEN` and friends are deliberately absent.
 */
export const DEFAULT_ENV_ALLOW_LIST: readonly string[] = [
  'CI',
  'GITHUB_ACTIONS',
  'GITHUB_ACTOR',
  'GITHUB_ACTOR_ID',
  'GITHUB_TRIGGERING_ACTOR',
  'GITHUB_REPOSITORY',
  'GITHUB_REPOSITORY_ID',
  'GITHUB_REPOSITORY_OWNER',
  'GITHUB_REPOSITORY_OWNER_ID',
  'GITHUB_EVENT_NAME',
  'GITHUB_REF',
  'GITHUB_REF_NAME',
  'GITHUB_REF_TYPE',
  'GITHUB_REF_PROTECTED',
  'GITHUB_HEAD_REF',
  'GITHUB_BASE_REF',
  'GITHUB_SHA',
  'GITHUB_WORKFLOW',
  'GITHUB_WORKFLOW_REF',
  'GITHUB_WORKFLOW_SHA',
  'GITHUB_JOB',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_NUMBER',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_SERVER_URL',
  'GITHUB_API_URL',
  'GITHUB_GRAPHQL_URL',
  'RUNNER_OS',
  'RUNNER_ARCH',
  'RUNNER_NAME',
  'RUNNER_ENVIRONMENT',
  'ImageOS',
  'ImageVersion',
  'CUDA_VISIBLE_DEVICES',
  'NVIDIA_VISIBLE_DEVICES',
  'CUBLAS_WORKSPACE_CONFIG',
  'PYTHONHASHSEED',
  'TF_DETERMINISTIC_OPS',
  'TF_CUDNN_DETERMINISTIC',
  'OMP_NUM_THREADS',
  'MKL_NUM_THREADS',
];

/** Names that say "secret", anywhere in the name, in any case: `API_TOKEN`, `db_password`, `HfAuthKey`. */
const SECRET_NAME =
  /token|secret|passw(?:or)?d|passwd|pwd|pass_?phrase|key|credential|cred(?:s|_)|auth(?!or)|private|cookie|session|signature|certificate|\bpat\b|_pat_|^pat_|_pat$|dsn|connection_?string|webhook/i;

/** Whether a variable's name marks its value as secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Known secrets shorter than this are only redacted where they are a whole value, not inside text. */
export const MIN_SECRET_SUBSTRING = 4;

/**
 * The strings to hide for a list of known secrets: each secret, each long line of a multi-line
 * secret (as runners mask them), and their base64 and URL-encoded forms.
 */
export function expandKnownSecrets(knownSecrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of knownSecrets) {
    if (!secret) continue;
    forms.add(secret);
    const trimmed = secret.trim();
    if (trimmed) forms.add(trimmed);
    for (const line of secret.split(/\r?\n/)) {
      if (line.trim().length >= 8) forms.add(line.trim());
    }
    if (trimmed.length >= MIN_SECRET_SUBSTRING) {
      forms.add(Buffer.from(trimmed, 'utf8').toString('base64'));
      // Stryker disable next-line Regex: base64 has '=' only as padding at its end, so /=+/ removes the same
      forms.add(Buffer.from(trimmed, 'utf8').toString('base64').replace(/=+$/, ''));
      forms.add(encodeURIComponent(trimmed));
    }
  }
  // Longest first, so that a secret containing another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** `text` with every known secret replaced by [REDACTED]; a value equal to a short secret is redacted whole. */
export function redactKnownSecrets(text: string, expandedSecrets: readonly string[]): string {
  let result = text;
  for (const secret of expandedSecrets) {
    if (result === secret || result.trim() === secret) return REDACTED;
    if (secret.length >= MIN_SECRET_SUBSTRING && result.includes(secret))
      result = result.split(secret).join(REDACTED);
  }
  return result;
}

/**
 * A deep copy of a JSON value with every known secret replaced in every string and every key.
 * Apply it to the whole predicate before the statement is built.
 */
export function redactDeep<T>(value: T, knownSecrets: readonly string[]): T {
  const expanded = expandKnownSecrets(knownSecrets);
  if (expanded.length === 0) return value;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return redactKnownSecrets(node, expanded);
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node === 'object' && node !== null) {
      const copy: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        // Defined, not assigned: assigning `__proto__` (a key JSON may hold) would set the prototype.
        Object.defineProperty(copy, redactKnownSecrets(key, expanded), {
          value: walk(child),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return copy;
    }
    return node;
  };
  return walk(value) as T;
}

/** Whether an allow-list entry (exact name, or a prefix ending in `*`) admits a name. */
function admits(entry: string, name: string): boolean {
  return entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : entry === name;
}

export interface CaptureOptions {
  /** Names (or `PREFIX_*`) to record besides the defaults. */
  variables?: readonly string[];
  /** Replace the default allow-list instead of adding to it. */
  replaceDefaults?: boolean;
  knownSecrets?: readonly string[];
}

/**
 * The allow-listed variables of an environment, values redacted where the name looks secret, where
 * they are or contain a known secret, or where they have the shape of a credential.
 */
export function captureEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  options: CaptureOptions = {},
): Record<string, string> {
  // Stryker disable next-line ArrayDeclaration: an entry admits only its own name (or prefix), and no variable is named like the placeholder entry
  const allow = [...(options.replaceDefaults ? [] : DEFAULT_ENV_ALLOW_LIST), ...(options.variables ?? [])]
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Stryker disable next-line ArrayDeclaration: a placeholder secret redacts only values that contain it, and none does
  const expanded = expandKnownSecrets(options.knownSecrets ?? []);
  const captured: Record<string, string> = {};
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value === undefined || !allow.some((entry) => admits(entry, name))) continue;
    if (isSecretName(name) || findSecretFormats(value).length > 0) {
      captured[name] = REDACTED;
      continue;
    }
    captured[name] = redactKnownSecrets(value, expanded);
  }
  return captured;
}

// ---------------------------------------------------------------------------------------------
// Scanning

interface SecretFormat {
  kind: string;
  pattern: RegExp;
}

/** Credential shapes with a recognisable prefix or frame; kept specific to keep false alarms rare. */
export const SECRET_FORMATS: readonly SecretFormat[] = [
  { kind: 'github-token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/ },
  { kind: 'github-token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/ },
  { kind: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { kind: 'private-key', pattern: /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/ },
  { kind: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'slack-token', pattern: /\bxapp-\d-[A-Za-z0-9-]{10,}/ },
  {
    kind: 'slack-webhook',
    pattern: /hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/,
  },
  { kind: 'huggingface-token', pattern: /\bhf_[A-Za-z0-9]{34,}\b/ },
  { kind: 'npm-token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: 'pypi-token', pattern: /\bpypi-AgE[A-Za-z0-9_-]{50,}/ },
];

/** The kinds of credential a text looks like it contains. */
export function findSecretFormats(text: string): string[] {
  const kinds = new Set<string>();
  for (const format of SECRET_FORMATS) if (format.pattern.test(text)) kinds.add(format.kind);
  return [...kinds];
}

export interface SecretFinding {
  /** Where in the JSON document: `predicate.environment.variables.HF_TOKEN`, `predicate.notes[2]`. */
  field: string;
  /** What it looks like: `github-token`, `aws-access-key-id`, `private-key`, `jwt`, `known-secret`... */
  kind: string;
}

/**
 * Finds secrets in a serialized JSON document (the statement about to be signed): known secret
 * values and known credential formats, in every string and every key. Returns where, never what.
 * A key that itself holds a secret is shown as `<redacted key>` in the path.
 */
export function scanForSecrets(serializedRecord: string, knownSecrets: readonly string[]): SecretFinding[] {
  const expanded = expandKnownSecrets(knownSecrets);
  const findings: SecretFinding[] = [];
  const kindsOf = (text: string): string[] => {
    const kinds = findSecretFormats(text);
    if (
      expanded.some(
        (secret) => text === secret || (secret.length >= MIN_SECRET_SUBSTRING && text.includes(secret)),
      )
    ) {
      kinds.push('known-secret');
    }
    return kinds;
  };
  const visit = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      for (const kind of kindsOf(node)) findings.push({ field: path || '(root)', kind });
    } else if (Array.isArray(node)) {
      node.forEach((child, index) => visit(child, `${path}[${index}]`));
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        const keyKinds = kindsOf(key);
        const plain = keyKinds.length > 0 || /^[A-Za-z_$][\w$]*$/.test(key);
        const segment = keyKinds.length > 0 ? '<redacted key>' : key;
        const childPath = plain ? `${path ? `${path}.` : ''}${segment}` : `${path}[${JSON.stringify(key)}]`;
        for (const kind of keyKinds) findings.push({ field: childPath, kind });
        visit(child, childPath);
      }
    }
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(serializedRecord);
  } catch {
    // Not JSON: scan it as one text.
    return kindsOf(serializedRecord).map((kind) => ({ field: '(document)', kind }));
  }
  visit(parsed, '');
  return findings;
}
