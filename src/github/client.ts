/**
 * The one GitHub REST client of the project: an Octokit whose base URL comes from the run
 * (GITHUB_API_URL, so GitHub Enterprise Server works), with one request hook that retries what
 * is worth retrying — 5xx, 408, 429, rate-limit 403s, network failures, timeouts and cut-off
 * bodies — honouring `retry-after` and `x-ratelimit-reset`, within a total time budget.
 * The token is handed to Octokit's auth and never logged or put in a message.
 */
import { Octokit } from '@octokit/rest';

import { describeError, LedgerError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { TOOL_VERSION } from '../record/version.js';

export type GitHubClient = Octokit;

/** Where the REST API is when the run says nothing: GitHub.com's public API. */
export const PUBLIC_API_URL = 'https://api.github.com';

export interface RetryOptions {
  /** Most attempts of one request, the first included (default 6). */
  maxAttempts?: number;
  /** Most time one request may take, all attempts and waits included (default 120 s). */
  totalTimeoutMs?: number;
  /** First backoff delay; doubled each attempt, ±25% jitter (default 1 s). */
  baseDelayMs?: number;
  /** Longest backoff delay chosen by us; a server's `retry-after` may ask for more (default 30 s). */
  maxDelayMs?: number;
}

export interface GitHubClientOptions {
  /** A token for the API (the Action's `github-token`); never logged. Without one, requests are anonymous. */
  token?: string;
  /** REST API root; default from `env` (GITHUB_API_URL, else derived from GITHUB_SERVER_URL), else api.github.com. */
  baseUrl?: string;
  env?: Readonly<Record<string, string | undefined>>;
  log?: Logger;
  retry?: RetryOptions;
  /** Time allowed for one attempt, response body included (default 30 s). */
  requestTimeoutMs?: number;
  /** Waits between attempts; tests pass a recorder. */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULTS = {
  maxAttempts: 6,
  totalTimeoutMs: 120_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  requestTimeoutMs: 30_000,
};

/** GitHub asks for at least a minute after a secondary rate limit that names no time. */
const SECONDARY_LIMIT_WAIT_MS = 60_000;

/** The REST API root of the run: GITHUB_API_URL, else `<server>/api/v3` for a GitHub Enterprise Server. */
export function apiUrlFrom(env: Readonly<Record<string, string | undefined>>): string {
  const explicit = env.GITHUB_API_URL?.trim();
  if (explicit) return explicit.replace(/\/+$/, '');
  const server = env.GITHUB_SERVER_URL?.trim().replace(/\/+$/, '');
  if (server) {
    try {
      const url = new URL(server);
      if (url.hostname === 'github.com') return PUBLIC_API_URL;
      if (url.hostname.endsWith('.ghe.com')) return `${url.protocol}//api.${url.host}`;
      return `${server}/api/v3`;
    } catch {
      // not a URL: fall through to the default
    }
  }
  return PUBLIC_API_URL;
}

export function createGitHubClient(options: GitHubClientOptions = {}): GitHubClient {
  const log = options.log ?? silentLogger;
  const baseUrl = (options.baseUrl ?? apiUrlFrom(options.env ?? {})).replace(/\/+$/, '');
  const octokit = new Octokit({
    ...(options.token ? { auth: options.token } : {}),
    baseUrl,
    userAgent: `model-ledger/${TOOL_VERSION}`,
    // Octokit's own log lines are plain messages; extra objects (which carry headers) are dropped.
    log: {
      debug: (message: string) => log.debug(`github: ${message}`),
      info: (message: string) => log.debug(`github: ${message}`),
      warn: (message: string) => log.warn(`github: ${message}`),
      error: (message: string) => log.debug(`github: ${message}`),
    },
  });
  const policy: RetryPolicy = {
    maxAttempts: Math.max(1, options.retry?.maxAttempts ?? DEFAULTS.maxAttempts),
    totalTimeoutMs: options.retry?.totalTimeoutMs ?? DEFAULTS.totalTimeoutMs,
    baseDelayMs: options.retry?.baseDelayMs ?? DEFAULTS.baseDelayMs,
    maxDelayMs: options.retry?.maxDelayMs ?? DEFAULTS.maxDelayMs,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    log,
    baseUrl,
  };
  octokit.hook.wrap('request', (request, requestOptions) =>
    withRetries(policy, requestOptions as unknown as HookOptions, async (attemptOptions) =>
      request(attemptOptions as unknown as Parameters<typeof request>[0]),
    ),
  );
  return octokit;
}

/** The HTTP status of an Octokit error (or of the one a LedgerError wraps), when there was a response. */
export function httpStatusOf(error: unknown): number | undefined {
  const http = asHttpError(error) ?? (error instanceof LedgerError ? asHttpError(error.cause) : undefined);
  return http?.response ? http.status : undefined;
}

// ---------------------------------------------------------------------------------------------

interface RetryPolicy extends Required<RetryOptions> {
  requestTimeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
  baseUrl: string;
}

interface HookOptions {
  method?: string;
  url?: string;
  baseUrl?: string;
  request?: { signal?: AbortSignal; parseSuccessResponseBody?: boolean; [key: string]: unknown };
  [key: string]: unknown;
}

interface HookResponse {
  status: number;
  headers: Record<string, string | number | undefined>;
  data: unknown;
}

interface HttpError {
  name: string;
  status: number;
  message: string;
  response?: { status: number; headers: Record<string, string | number | undefined>; data: unknown };
}

interface Failure {
  retryable: boolean;
  /** What happened, for logs and the final message: `503 Service Unavailable`, `timed out after 30 s`. */
  description: string;
  /** How long the server asked us to wait, when it said. */
  waitMs?: number;
  /** Where that wait came from, for the message when it is longer than the budget. */
  waitSource?: string;
}

async function withRetries<R extends HookResponse>(
  policy: RetryPolicy,
  options: HookOptions,
  send: (options: HookOptions) => Promise<R>,
): Promise<R> {
  const what = describeRequest(options, policy.baseUrl);
  // A streamed body (an upload) is consumed by the first attempt: it cannot be sent again. A
  // request that is not idempotent (`request: { retries: 0 }`) is retried by its caller, which
  // first looks at what the lost attempt may have done.
  const noRetry = options.request?.retries === 0;
  const maxAttempts = isStream(options.data) || noRetry ? 1 : policy.maxAttempts;
  const started = Date.now();
  const failures: string[] = [];
  let lastError: unknown;
  for (let attempt = 1; ; attempt += 1) {
    const remaining = policy.totalTimeoutMs - (Date.now() - started);
    const timeoutMs = Math.max(1, Math.min(policy.requestTimeoutMs, remaining));
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const callerRequest = options.request;
    const callerSignal = callerRequest?.signal;
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
    // Octokit's hook chain binds the options object once: hooks registered before this one read
    // it, not the argument passed on, so the per-attempt signal is set on that same object.
    options.request = { ...callerRequest, signal };
    let failure: Failure;
    try {
      const response = await send(options);
      const damage = damagedBody(response, options);
      if (!damage) return response;
      failure = {
        retryable: true,
        description: timeout.signal.aborted
          ? `timed out after ${seconds(timeoutMs)} reading the body`
          : damage,
      };
      lastError = new Error(failure.description);
    } catch (error) {
      if (callerSignal?.aborted) throw error;
      failure = classify(error, timeout.signal.aborted, timeoutMs);
      if (!failure.retryable) throw error;
      lastError = error;
    } finally {
      clearTimeout(timer);
      options.request = callerRequest;
    }
    failures.push(`attempt ${attempt}: ${failure.description}`);
    const elapsed = Date.now() - started;
    const wait = failure.waitMs ?? backoff(policy, attempt);
    if (attempt >= maxAttempts || elapsed + wait >= policy.totalTimeoutMs) {
      throw giveUp(policy, what, failures, elapsed, failure, wait, attempt >= maxAttempts, lastError);
    }
    policy.log.info(
      `github: ${what}: ${failure.description}; retrying in ${seconds(wait)} (attempt ${attempt + 1} of ${maxAttempts})`,
    );
    await policy.sleep(wait);
  }
}

function giveUp(
  policy: RetryPolicy,
  what: string,
  failures: string[],
  elapsedMs: number,
  last: Failure,
  wait: number,
  outOfAttempts: boolean,
  cause: unknown,
): LedgerError {
  const why = outOfAttempts
    ? `gave up after ${failures.length} attempt(s) in ${seconds(elapsedMs)}`
    : last.waitSource && last.waitMs !== undefined
      ? `gave up after ${failures.length} attempt(s): the server asked to wait ${seconds(wait)} (${last.waitSource}), past the ${seconds(policy.totalTimeoutMs)} retry budget`
      : `gave up after ${failures.length} attempt(s) in ${seconds(elapsedMs)}: the next wait of ${seconds(wait)} would pass the ${seconds(policy.totalTimeoutMs)} retry budget`;
  return new LedgerError('NETWORK', `GitHub API ${what} ${why} (${failures.join('; ')})`, {
    cause,
    fix: `check that ${policy.baseUrl} is reachable and the token's rate limit is not exhausted, then run again`,
  });
}

function classify(error: unknown, timedOut: boolean, timeoutMs: number): Failure {
  if (timedOut) return { retryable: true, description: `no answer within ${seconds(timeoutMs)}` };
  const http = asHttpError(error);
  if (!http) return { retryable: false, description: describeError(error) };
  const response = http.response;
  if (!response) {
    // Octokit reports network failures (refused, reset, DNS) as status 500 without a response.
    return { retryable: true, description: `network error: ${http.message}` };
  }
  const status = response.status;
  const headers = response.headers;
  const label = `${status} ${messageOf(response.data) || http.message}`.trim();
  if (status >= 500 || status === 408) return { retryable: true, description: label };
  if (status !== 403 && status !== 429) return { retryable: false, description: label };

  const retryAfter = retryAfterMs(headers['retry-after']);
  if (retryAfter !== undefined) {
    return {
      retryable: true,
      description: label,
      waitMs: retryAfter,
      waitSource: `retry-after: ${String(headers['retry-after'])}`,
    };
  }
  if (String(headers['x-ratelimit-remaining'] ?? '') === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset) && reset > 0) {
      const waitMs = Math.max(0, reset * 1000 - Date.now()) + 1_000;
      return {
        retryable: true,
        description: label,
        waitMs,
        waitSource: `rate limit exhausted until ${new Date(reset * 1000).toISOString()} (x-ratelimit-reset)`,
      };
    }
  }
  if (status === 429 || /secondary rate limit|abuse/i.test(label)) {
    return status === 429
      ? { retryable: true, description: label }
      : {
          retryable: true,
          description: label,
          waitMs: SECONDARY_LIMIT_WAIT_MS,
          waitSource: 'secondary rate limit without retry-after',
        };
  }
  return { retryable: false, description: label };
}

/** A 2xx whose body did not arrive whole: JSON that does not parse, or fewer bytes than announced. */
function damagedBody(response: HookResponse, options: HookOptions): string | undefined {
  if (options.request?.parseSuccessResponseBody === false) return undefined;
  if (response.status === 204 || response.status === 205 || options.method === 'HEAD') return undefined;
  const type = String(response.headers['content-type'] ?? '');
  const { data } = response;
  if (/^application\/(scim\+)?json/i.test(type) && typeof data === 'string') {
    return 'the JSON body was cut off or does not parse';
  }
  const encoding = String(response.headers['content-encoding'] ?? 'identity');
  const announced = Number(response.headers['content-length']);
  if (
    encoding === 'identity' &&
    Number.isInteger(announced) &&
    response.headers['content-length'] !== undefined
  ) {
    const received =
      typeof data === 'string'
        ? Buffer.byteLength(data)
        : data instanceof ArrayBuffer
          ? data.byteLength
          : undefined;
    if (received !== undefined && received !== announced) {
      return `the body was cut off (${received} of ${announced} bytes)`;
    }
  }
  return undefined;
}

function backoff(policy: RetryPolicy, attempt: number): number {
  const base = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/** `retry-after` as seconds or an HTTP date, in milliseconds. */
function retryAfterMs(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const secondsValue = Number(value);
  if (Number.isFinite(secondsValue) && secondsValue >= 0) return secondsValue * 1000;
  const date = Date.parse(String(value));
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function isStream(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  return (
    typeof (body as { pipe?: unknown }).pipe === 'function' ||
    typeof (body as { getReader?: unknown }).getReader === 'function'
  );
}

function asHttpError(error: unknown): HttpError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as Partial<HttpError>;
  return typeof candidate.status === 'number' && typeof candidate.message === 'string'
    ? (candidate as HttpError)
    : undefined;
}

function messageOf(data: unknown): string {
  if (typeof data === 'object' && data !== null && 'message' in data) {
    const message = data.message;
    if (typeof message === 'string') return message.slice(0, 200);
  }
  return '';
}

function describeRequest(options: HookOptions, baseUrl: string): string {
  const method = (options.method ?? 'GET').toUpperCase();
  let url = options.url ?? '';
  // Expand `{owner}`-style placeholders from the options, as Octokit will.
  url = url.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = options[name];
    return typeof value === 'string' || typeof value === 'number' ? encodeURIComponent(String(value)) : whole;
  });
  // RFC 6570 query templates (`{?name,label}` of an upload_url) are not part of what people read.
  url = url.replace(/\{\?[^}]*\}/g, '');
  const base = (options.baseUrl ?? baseUrl).replace(/\/+$/, '');
  return `${method} ${url.startsWith(base) ? url.slice(base.length) || '/' : url}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/**
 * One sentence about a failed GitHub call, for a record's notes and a warning; undefined when the
 * error is not a GitHub failure (a bug), which callers then rethrow.
 */
export function gitHubFailureText(error: unknown): string | undefined {
  if (error instanceof LedgerError) return error.code === 'NETWORK' ? error.message : undefined;
  const http = asHttpError(error);
  if (!http) return undefined;
  if (!http.response) return `GitHub could not be reached: ${http.message}`;
  const detail = messageOf(http.response.data) || http.message;
  switch (http.status) {
    case 401:
      return `GitHub refused the token (401 ${detail})`;
    case 403:
      return `GitHub refused access (403 ${detail}); the token needs \`contents: read\` and \`pull-requests: read\``;
    case 404:
      return `GitHub answered 404 Not Found (the token cannot see the repository, or the object is not on GitHub)`;
    default:
      return `GitHub answered ${http.status} ${detail}`;
  }
}
