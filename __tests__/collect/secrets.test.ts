import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ChangeCollector } from '../../src/collect/change.js';
import { CommitCollector } from '../../src/collect/commit.js';
import { EnvironmentCollector } from '../../src/collect/environment.js';
import {
  captureEnvironment,
  DEFAULT_ENV_ALLOW_LIST,
  expandKnownSecrets,
  isSecretName,
  REDACTED,
  redactDeep,
  redactKnownSecrets,
  scanForSecrets,
} from '../../src/collect/secrets.js';
import { githubAvailability } from '../../src/github/context.js';
import { testContext } from '../support/context.js';
import { FakeGitHub } from '../support/fake-github.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';

// Shaped like the real thing, valid nowhere.
const GITHUB_TOKEN = 'ghs_5hJ2kL9mN3pQ7rS1tV4wX8yZ0aB6cD2eF4gH';
const PAT = 'ghp_Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa';
const FINE_PAT = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const AWS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const AWS_SESSION_KEY_ID = 'ASIAY34FZKBOKMUTVV7A';
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvOmFjbWUvbW9kZWwiLCJhdWQiOiJzaWdzdG9yZSJ9.c2lnbmF0dXJlLWJ5dGVz';
const SLACK = 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';
const HF = 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const PEM = [
  '-----BEGIN EC PRIVATE KEY-----',
  'MHcCAQEEIBzX4rPq8sV1yJ0cE5m9lT2wQ7nH3kA6dF8gR1uY4vM2oAoGCCqGSM49',
  'AwEHoUQDQgAEy7Q0cZ3tW9kP2rV5nM8xL1sB4fH6jD0gA3eU7iO9pY2wR5tK8mN1',
  '-----END EC PRIVATE KEY-----',
].join('\n');

describe('secret-looking names', () => {
  it('are recognised in upper, lower and mixed case', () => {
    for (const name of [
      'API_TOKEN',
      'api_token',
      'ApiToken',
      'HF_TOKEN',
      'hf_token',
      'AWS_SECRET_ACCESS_KEY',
      'awsSecretAccessKey',
      'DB_PASSWORD',
      'db_passwd',
      'Db_Pwd',
      'GCP_CREDENTIALS',
      'NPM_AUTH',
      'SSH_PRIVATE_KEY',
      'GH_PAT',
      'SENTRY_DSN',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_RUNTIME_TOKEN',
      'SESSION_COOKIE',
    ]) {
      expect({ name, secret: isSecretName(name) }).toEqual({ name, secret: true });
    }
    for (const name of [
      'CI',
      'RUNNER_OS',
      'GIT_AUTHOR_NAME',
      'PYTHONHASHSEED',
      'CUDA_VISIBLE_DEVICES',
      'HF_HOME',
    ]) {
      expect({ name, secret: isSecretName(name) }).toEqual({ name, secret: false });
    }
  });

  it('are never in the default allow-list, and neither is any GitHub token variable', () => {
    expect(DEFAULT_ENV_ALLOW_LIST.filter(isSecretName)).toEqual([]);
    expect(DEFAULT_ENV_ALLOW_LIST).not.toContain('GITHUB_TOKEN');
  });
});

describe('capturing the environment', () => {
  it('records only allow-listed names, redacting secret names, known secrets and credential shapes', () => {
    const env = {
      CI: 'true',
      GITHUB_TOKEN: GITHUB_TOKEN,
      API_TOKEN: 'upper-case-name-secret-1',
      api_token: 'lower-case-name-secret-2',
      Api_Token: 'mixed-case-name-secret-3',
      DEPLOY_INFO: 'deployed with registered-with-setSecret today',
      DEPLOY_URL: `https://x-access-token:${GITHUB_TOKEN}@example.com/`, // a token's shape: redacted whole
      BUILD_LABEL: 'registered-with-setSecret',
      BUILD_NOTE: `key ${AWS_KEY_ID}`,
      SHORT: 'ab',
      OTHER: 'not allow-listed',
    };
    const captured = captureEnvironment(env, {
      variables: ['API_TOKEN', 'api_token', 'Api_Token', 'DEPLOY_*', 'BUILD_*', 'SHORT'],
      knownSecrets: [GITHUB_TOKEN, 'registered-with-setSecret', 'ab'],
    });
    expect(captured).toEqual({
      API_TOKEN: REDACTED,
      Api_Token: REDACTED,
      BUILD_LABEL: REDACTED,
      BUILD_NOTE: REDACTED,
      CI: 'true',
      DEPLOY_INFO: `deployed with ${REDACTED} today`,
      DEPLOY_URL: REDACTED,
      SHORT: REDACTED,
      api_token: REDACTED,
    });
  });

  it('can replace the default allow-list', () => {
    expect(
      captureEnvironment({ CI: 'true', SEED: '1' }, { variables: ['SEED'], replaceDefaults: true }),
    ).toEqual({ SEED: '1' });
  });
});

describe('redacting known secrets everywhere', () => {
  it('replaces secrets in every string and key of a value, including encoded forms and lines of multi-line secrets', () => {
    const pemLine = PEM.split('\n')[1] as string;
    const redacted = redactDeep(
      {
        message: `token ${GITHUB_TOKEN} and again ${GITHUB_TOKEN}`,
        nested: [{ deep: `b64 ${Buffer.from(GITHUB_TOKEN).toString('base64')}` }, `line ${pemLine}`],
        [GITHUB_TOKEN]: 'as a key',
        count: 3,
        flag: true,
        none: null,
      },
      [GITHUB_TOKEN, PEM],
    );
    expect(redacted).toEqual({
      message: `token ${REDACTED} and again ${REDACTED}`,
      nested: [{ deep: `b64 ${REDACTED}` }, `line ${REDACTED}`],
      [REDACTED]: 'as a key',
      count: 3,
      flag: true,
      none: null,
    });
  });

  it('replaces the URL-encoded form of a secret with characters URLs escape', () => {
    const secret = 'p@ss/w0rd+key=';
    const encoded = encodeURIComponent(secret);
    expect(encoded).not.toBe(secret);
    expect(redactDeep({ url: `https://user:${encoded}@example.org/` }, [secret])).toEqual({
      url: `https://user:${REDACTED}@example.org/`,
    });
  });

  it('keeps a key named __proto__ as a key, as JSON holds it, instead of dropping it', () => {
    const parsed = JSON.parse(`{"__proto__": {"note": "token ${GITHUB_TOKEN}"}, "other": 1}`) as object;
    const redacted = redactDeep(parsed, [GITHUB_TOKEN]);
    expect(JSON.stringify(redacted)).toBe(`{"__proto__":{"note":"token ${REDACTED}"},"other":1}`);
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
  });

  it('puts a secret containing another before it, so the longer is replaced whole', () => {
    const order = expandKnownSecrets(['abcd', 'abcdefgh']);
    expect(order.indexOf('abcdefgh')).toBeLessThan(order.indexOf('abcd'));
    expect(redactDeep('xx abcdefgh yy', ['abcd', 'abcdefgh'])).toBe(`xx ${REDACTED} yy`);
  });

  it('leaves a value alone when there are no known secrets', () => {
    const value = { a: 'b' };
    expect(redactDeep(value, [])).toBe(value);
  });
});

describe('scanning a serialized record', () => {
  const planted: [string, string][] = [
    ['github-token', GITHUB_TOKEN],
    ['github-token', PAT],
    ['github-token', FINE_PAT],
    ['aws-access-key-id', AWS_KEY_ID],
    ['aws-access-key-id', AWS_SESSION_KEY_ID],
    ['private-key', PEM],
    ['jwt', JWT],
    ['slack-token', SLACK],
    ['huggingface-token', HF],
  ];

  it.each(planted)('finds a %s and names the field, not the value', (kind, secret) => {
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      predicate: { notes: ['fine', `oops: ${secret}`], environment: { variables: { 'odd name': secret } } },
    };
    const findings = scanForSecrets(JSON.stringify(statement), []);
    expect(findings).toEqual([
      { field: 'predicate.notes[1]', kind },
      { field: 'predicate.environment.variables["odd name"]', kind },
    ]);
    expect(JSON.stringify(findings)).not.toContain(secret.slice(4, 20));
  });

  it('finds known secret values, also where the JSON escapes them, and hides a key that is a secret', () => {
    const known = 'multi\nline "secret" value';
    const serialized = JSON.stringify({ a: { b: [`x ${known} y`] }, [known]: 1, c: 'clean' });
    expect(serialized).not.toContain(known); // escaped in the JSON text
    expect(scanForSecrets(serialized, [known])).toEqual([
      { field: 'a.b[0]', kind: 'known-secret' },
      { field: '<redacted key>', kind: 'known-secret' },
    ]);
  });

  it('finds nothing in an ordinary record', () => {
    const statement = {
      subject: [{ name: 'models/model.onnx', digest: { sha256: 'a'.repeat(64) } }],
      predicate: {
        commit: { sha: 'b'.repeat(40), message: 'Retrain on Q3 data (AKIA is not a key by itself)' },
        dependencies: {
          lockfiles: [
            {
              packages: [
                { purl: 'pkg:npm/jsonwebtoken@9.0.2', integrity: 'sha512-' + 'A'.repeat(86) + '==' },
              ],
            },
          ],
        },
        environment: { variables: { GITHUB_REPOSITORY: 'acme/model' } },
      },
    };
    expect(scanForSecrets(JSON.stringify(statement), ['']).length).toBe(0);
  });

  it('scans text that is not JSON as one document', () => {
    expect(scanForSecrets(`not json ${PAT}`, [])).toEqual([{ field: '(document)', kind: 'github-token' }]);
  });
});

describe('no planted secret survives a record', () => {
  let repo: TempRepo;
  let fake: FakeGitHub;
  beforeEach(async () => {
    repo = await createTempRepo();
    fake = await FakeGitHub.start();
    fake.token = GITHUB_TOKEN;
  });
  afterEach(async () => {
    await fake.close();
    await repo.cleanup();
  });

  it('from env vars of any case, files, commit messages, pull request text and the event payload', async () => {
    const dbPassword = 'correct horse battery staple';
    const knownSecrets = [GITHUB_TOKEN, dbPassword, PEM];

    // Secrets in file contents: committed files and the event payload.
    await repo.write('config/.env', `HF_TOKEN=${HF}\nAWS_ACCESS_KEY_ID=${AWS_KEY_ID}\n`);
    await repo.write('deploy/key.pem', `${PEM}\n`);
    await repo.write('model.onnx', 'weights');
    const sha = repo.commit(`rotate the database credentials (${dbPassword})`);
    const eventPath = join(repo.dir, '.home', 'event.json');
    await writeFile(eventPath, JSON.stringify({ after: sha, pusher: { token: GITHUB_TOKEN }, key: PEM }));

    fake.addCommit('acme/model', { sha });
    fake.addPull('acme/model', {
      number: 4,
      title: 'Rotate credentials',
      body: `Tested with ${GITHUB_TOKEN}; the old password was ${dbPassword}.`,
      head: { ref: 'rotate', sha },
      reviews: [{ user: 'alice', state: 'APPROVED', commitId: sha }],
    });

    const env = {
      ...repo.env,
      ...fake.env(),
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_TOKEN,
      API_TOKEN: 'upper-case-name-secret-1',
      hf_token: HF,
      Db_Password: dbPassword,
      awsSecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      SIGNING_KEY: PEM,
      DEPLOY_NOTE: `pushed by the service account (${dbPassword})`,
      BUILD_TAG: AWS_SESSION_KEY_ID,
    };
    const test = testContext(repo.dir, env);
    const github = githubAvailability(env, { token: GITHUB_TOKEN }, test.log);
    const commit = await new CommitCollector({ github }).collect(test.context);
    const change = await new ChangeCollector({ github }, commit).collect(test.context);
    const environment = await new EnvironmentCollector({
      variables: [
        'API_TOKEN',
        'hf_token',
        'Db_Password',
        'awsSecretAccessKey',
        'SIGNING_KEY',
        'DEPLOY_NOTE',
        'BUILD_TAG',
        'GITHUB_TOKEN',
      ],
      knownSecrets,
    }).collect(test.context);
    expect(change.pullRequest?.number).toBe(4);

    const predicate = redactDeep({ commit, change, environment, notes: test.notes }, knownSecrets);
    const serialized = JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', predicate }, null, 2);

    for (const secret of [
      GITHUB_TOKEN,
      dbPassword,
      HF,
      AWS_KEY_ID,
      AWS_SESSION_KEY_ID,
      'upper-case-name-secret-1',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      ...PEM.split('\n'),
    ]) {
      expect({
        secret,
        found: serialized.includes(secret) || serialized.includes(JSON.stringify(secret).slice(1, -1)),
      }).toEqual({
        secret,
        found: false,
      });
    }
    expect(scanForSecrets(serialized, knownSecrets)).toEqual([]);
    expect(predicate.environment.variables).toMatchObject({
      API_TOKEN: REDACTED,
      hf_token: REDACTED,
      Db_Password: REDACTED,
      awsSecretAccessKey: REDACTED,
      SIGNING_KEY: REDACTED,
      DEPLOY_NOTE: `pushed by the service account (${REDACTED})`,
      BUILD_TAG: REDACTED,
      GITHUB_TOKEN: REDACTED,
    });
    expect(predicate.change.reason).toBe(
      `Rotate credentials\n\nTested with ${REDACTED}; the old password was ${REDACTED}.`,
    );
    // The files were recorded by name only.
    expect(predicate.commit?.changedFiles?.map((file) => file.path)).toEqual([
      '.gitignore',
      'config/.env',
      'deploy/key.pem',
      'model.onnx',
    ]);
  });

  it('leaves a secret nobody declared for the scan to find, by field', async () => {
    await repo.write('a.txt', '1\n');
    repo.commit(`debug: export AWS_ACCESS_KEY_ID=${AWS_KEY_ID}`);
    const test = testContext(repo.dir, repo.env);
    const commit = await new CommitCollector().collect(test.context);
    const change = await new ChangeCollector({}, commit).collect(test.context);
    const serialized = JSON.stringify({ predicate: redactDeep({ commit, change }, [GITHUB_TOKEN]) });
    const findings = scanForSecrets(serialized, [GITHUB_TOKEN]);
    expect(findings).toEqual([
      { field: 'predicate.commit.message', kind: 'aws-access-key-id' },
      { field: 'predicate.change.reason', kind: 'aws-access-key-id' },
    ]);
    expect(JSON.stringify(findings)).not.toContain(AWS_KEY_ID);
  });
});

describe('the edges of each defence', () => {
  it('captures every variable of the default allow-list, and nothing else by default', () => {
    const env: Record<string, string> = { OTHER: 'not listed', PATH: '/usr/bin' };
    for (const name of DEFAULT_ENV_ALLOW_LIST) env[name] = `value of ${name}`;
    const captured = captureEnvironment(env);
    expect(Object.keys(captured)).toEqual([...DEFAULT_ENV_ALLOW_LIST].sort());
    for (const name of DEFAULT_ENV_ALLOW_LIST) expect(captured[name]).toBe(`value of ${name}`);
  });

  it('trims allow-list entries, ignores empty ones, admits PREFIX_* and exact names only, in name order', () => {
    const env = {
      SEED: '1',
      SEED_EXTRA: '2',
      TRAIN_A: 'a',
      TRAIN_B: 'b',
      TRAINER: 'c',
      UNSET: undefined,
      CI: 'true',
    };
    const captured = captureEnvironment(env, {
      variables: ['  SEED  ', '', '   ', 'TRAIN_*', 'UNSET'],
      replaceDefaults: true,
    });
    expect(Object.keys(captured)).toEqual(['SEED', 'TRAIN_A', 'TRAIN_B']);
    // A blank entry admits nothing, not even a variable with an empty name.
    expect(
      captureEnvironment({ '': 'v', SEED: '1' }, { variables: ['', ' '], replaceDefaults: true }),
    ).toEqual({});
    expect(captured).toEqual({ SEED: '1', TRAIN_A: 'a', TRAIN_B: 'b' });
    // An entry of `*` alone admits every name; its values still pass every check.
    expect(
      captureEnvironment({ Z: 'z', A: `x ${PAT}` }, { variables: ['*'], replaceDefaults: true }),
    ).toEqual({
      A: REDACTED,
      Z: 'z',
    });
  });

  it('knows every secret-looking name the pattern lists, and not its near misses', () => {
    for (const name of [
      'MY_SECRET',
      'PASSWORD',
      'PASSWD',
      'DB_PWD',
      'GPG_PASSPHRASE',
      'GPG_PASS_PHRASE',
      'SIGNING_KEY',
      'GCP_CREDENTIAL',
      'GCP_CREDS',
      'CRED_FILE',
      'AUTH_HEADER',
      'PRIVATE_REPO_URL',
      'COOKIE',
      'SESSION_ID',
      'SIGNATURE',
      'CERTIFICATE',
      'PAT',
      'gh.pat',
      'MY_PAT_VALUE',
      'PAT_VALUE',
      'GH_PAT',
      'SENTRY_DSN',
      'DB_CONNECTION_STRING',
      'DB_CONNECTIONSTRING',
      'SLACK_WEBHOOK',
    ]) {
      expect({ name, secret: isSecretName(name) }).toEqual({ name, secret: true });
    }
    for (const name of [
      'GIT_AUTHOR_EMAIL',
      'AUTHOR',
      'PATH',
      'MY_PATH',
      'SPAT',
      'SPAT_FILE',
      'PATTERN',
      'CREDIT_LIMIT',
      'PASS_COUNT',
      'CONNECTION_COUNT',
      'HOOK_URL',
    ]) {
      expect({ name, secret: isSecretName(name) }).toEqual({ name, secret: false });
    }
  });

  it('expands a secret into itself, its trimmed form, its long lines and its encodings, longest first', () => {
    const secret = ' line-one-long\r\nshort\nline-three-is-long \n';
    const trimmed = secret.trim();
    const base64 = Buffer.from(trimmed, 'utf8').toString('base64');
    expect(new Set(expandKnownSecrets([secret, '']))).toEqual(
      new Set([
        secret,
        trimmed,
        'line-one-long',
        'line-three-is-long',
        base64,
        base64.replace(/=+$/, ''),
        encodeURIComponent(trimmed),
      ]),
    );
    const order = expandKnownSecrets([secret]);
    expect(order.map((form) => form.length)).toEqual(order.map((form) => form.length).sort((a, b) => b - a));
    // Lines of eight characters count; of seven, not.
    expect(expandKnownSecrets(['12345678\n1234567\nx'])).toEqual(expect.arrayContaining(['12345678']));
    expect(expandKnownSecrets(['12345678\n1234567\nx'])).not.toContain('1234567');
    // Counted without the whitespace around them.
    expect(expandKnownSecrets(['x\n 1234567 \ny'])).not.toContain('1234567');
    // Secrets shorter than four characters are not encoded (their encodings would be everywhere).
    expect(expandKnownSecrets(['abc'])).toEqual(['abc']);
    expect(expandKnownSecrets(['abcd']).sort()).toEqual(['YWJjZA', 'YWJjZA==', 'abcd'].sort());
    expect(expandKnownSecrets(['  '])).toEqual(['  ']);
    expect(expandKnownSecrets([''])).toEqual([]);
  });

  it('redacts a value that is a short secret with its own whitespace, or one padded around it', () => {
    expect(redactKnownSecrets(' a ', [' a '])).toBe(REDACTED);
    expect(redactKnownSecrets('  ab\n', ['ab'])).toBe(REDACTED);
    expect(redactKnownSecrets('x ab', ['ab'])).toBe('x ab');
  });

  it('redacts a short secret only where it is the whole value, and a four-character one anywhere', () => {
    expect(redactDeep({ a: 'abc', b: ' abc ', c: 'xabcx', d: 'xabcdx' }, ['abc', 'abcd'])).toEqual({
      a: REDACTED,
      b: REDACTED,
      c: 'xabcx',
      d: `x${REDACTED}x`,
    });
  });

  it('gives a copy whose properties can be changed and removed like any object', () => {
    const redacted = redactDeep({ note: `t ${GITHUB_TOKEN}`, keep: 1 }, [GITHUB_TOKEN]) as Record<
      string,
      unknown
    >;
    redacted.keep = 2;
    delete redacted.note;
    expect(redacted).toEqual({ keep: 2 });
  });

  it('finds every credential format, and not the near misses of each', () => {
    const found: [string, string][] = [
      ['slack-token', 'xapp-1-A0123456789-abcdef'],
      ['slack-webhook', 'https://hooks.slack.com/services/T0001/B0002/abcXYZ123'],
      ['npm-token', `npm_${'a1B2'.repeat(9)}`],
      ['pypi-token', `pypi-AgE${'x'.repeat(50)}`],
      ['private-key', '-----BEGIN OPENSSH PRIVATE KEY-----'],
      ['private-key', '-----BEGIN PGP PRIVATE KEY BLOCK-----'],
      ['private-key', '-----BEGIN PRIVATE KEY-----'],
      ['github-token', `gho_${'A'.repeat(36)}`],
      ['github-token', `ghu_${'A'.repeat(36)}`],
      ['github-token', `ghr_${'A'.repeat(36)}`],
      ['slack-token', 'xoxp-1234567890'],
    ];
    for (const [kind, text] of found) {
      expect({ text, kinds: scanForSecrets(JSON.stringify({ v: `see ${text} here` }), []) }).toEqual({
        text,
        kinds: [{ field: 'v', kind }],
      });
    }
    for (const text of [
      `ghp_${'A'.repeat(35)}`,
      `ghx_${'A'.repeat(36)}`,
      `xghp_${'A'.repeat(36)}`,
      `github_pat_${'A'.repeat(21)}`,
      'AKIAIOSFODNN7EXAMPL',
      'AKIAIOSFODNN7EXAMPLEX',
      '-----BEGIN PUBLIC KEY-----',
      'eyJhbGciOiJ.eyJzdWIiOi.sig',
      'xoxb-123456789',
      'xapp-x-A0123456789',
      'https://hooks.slack.com/services/',
      `hf_${'A'.repeat(33)}`,
      `npm_${'A'.repeat(35)}`,
      `pypi-AgE${'x'.repeat(49)}`,
    ]) {
      expect({ text, kinds: scanForSecrets(JSON.stringify({ v: text }), []) }).toEqual({ text, kinds: [] });
    }
  });

  it('reports each kind once per string, and every kind a string holds', () => {
    expect(scanForSecrets(JSON.stringify({ v: `${PAT} ${GITHUB_TOKEN} ${AWS_KEY_ID}` }), [])).toEqual([
      { field: 'v', kind: 'github-token' },
      { field: 'v', kind: 'aws-access-key-id' },
    ]);
  });

  it('names fields from the root: a document that is one string, arrays, odd keys and secret keys', () => {
    expect(scanForSecrets(JSON.stringify(PAT), [])).toEqual([{ field: '(root)', kind: 'github-token' }]);
    expect(scanForSecrets(JSON.stringify([['ok', PAT]]), [])).toEqual([
      { field: '[0][1]', kind: 'github-token' },
    ]);
    expect(
      scanForSecrets(
        JSON.stringify({ $ok_1: { '1st': PAT, 'a-b': [PAT], [AWS_KEY_ID]: { inner: HF } } }),
        [],
      ),
    ).toEqual([
      { field: '$ok_1["1st"]', kind: 'github-token' },
      { field: '$ok_1["a-b"][0]', kind: 'github-token' },
      { field: '$ok_1.<redacted key>', kind: 'aws-access-key-id' },
      { field: '$ok_1.<redacted key>.inner', kind: 'huggingface-token' },
    ]);
    // Numbers, booleans and null hold nothing.
    expect(scanForSecrets(JSON.stringify({ a: 1, b: true, c: null }), ['1', 'true'])).toEqual([]);
  });

  it('finds a short known secret only where it is a whole string', () => {
    expect(scanForSecrets(JSON.stringify({ a: 'abc', b: 'xabcx', c: 'xabcdx' }), ['abc', 'abcd'])).toEqual([
      { field: 'a', kind: 'known-secret' },
      { field: 'c', kind: 'known-secret' },
    ]);
    expect(scanForSecrets('not json, abc', ['abc'])).toEqual([]);
    expect(scanForSecrets('abc', ['abc'])).toEqual([{ field: '(document)', kind: 'known-secret' }]);
  });
});
