import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LedgerError } from '../../src/errors.js';
import { loadPolicy, parsePolicy } from '../../src/policy/load.js';
import { SchemaValidator, type JsonSchema } from '../../src/record/json-schema.js';
import { policySchema } from '../../src/policy/schema.js';

const EXAMPLES = ['research', 'regulated', 'open-source'];

function examplePath(name: string): string {
  return new URL(`../../examples/policies/${name}.policy.yml`, import.meta.url).pathname;
}

/** The LedgerError a policy text is refused with. */
function refusal(text: string): LedgerError {
  try {
    parsePolicy(Buffer.from(text), 'model-ledger.policy.yml');
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
  throw new Error('expected the policy to be refused');
}

describe('loading a policy', () => {
  it.each(EXAMPLES)('loads the documented %s example, with the file’s digest', async (name) => {
    const file = examplePath(name);
    const loaded = await loadPolicy(file, `${name}.policy.yml`);
    expect(loaded.file).toBe(`${name}.policy.yml`);
    expect(loaded.sha256).toBe(
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex'),
    );
    expect(loaded.policy.version).toBe(1);
  });

  it('keeps the README’s examples and the shipped files the same', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of EXAMPLES) {
      const text = await readFile(examplePath(name), 'utf8');
      expect(readme).toContain(text.trim());
    }
  });

  it('compiles the issue’s full example: every section, defaults filled', () => {
    const { policy } = parsePolicy(
      Buffer.from(`version: 1
required:
  - path: training.run.seed
    message: Every trained model records its seed.
  - path: datasets[*].description.license
    level: warn
approvals:
  minimum: 1
  teams: [ml-leads]
  on-last-commit: true
signers:
  - identity-regexp: ^https://github\\.com/acme/.+/\\.github/workflows/release\\.yml@refs/heads/main$
    issuer: https://token.actions.githubusercontent.com
datasets:
  allow: [{ name: "fraud-*" }, { uri: "s3://acme-approved/**" }]
  deny-licenses: [CC-BY-NC-4.0]
models:
  formats: [safetensors, onnx, gguf]
  pickle: deny
  max-size-bytes: 20000000000
dependencies:
  deny: ["pkg:pypi/pickle5", "pkg:npm/event-stream@3.3.6"]
  require-lockfiles: true
retention:
  years: 10
`),
      'policy.yml',
    );
    expect(policy.required.map((rule) => [rule.path, rule.level])).toEqual([
      ['training.run.seed', 'enforce'],
      ['datasets[*].description.license', 'warn'],
    ]);
    expect(policy.approvals).toEqual({
      level: 'enforce',
      minimum: 1,
      teams: ['ml-leads'],
      onLastCommit: true,
    });
    expect(
      policy.signers?.allow[0]?.identityRegexp?.regexp.test(
        'https://github.com/acme/fraud/.github/workflows/release.yml@refs/heads/main',
      ),
    ).toBe(true);
    expect(policy.datasets?.allow?.[1]?.uri?.regexp.test('s3://acme-approved/a/b.parquet')).toBe(true);
    expect(policy.models).toEqual({
      level: 'enforce',
      formats: ['safetensors', 'onnx', 'gguf'],
      pickle: 'deny',
      maxSizeBytes: 20000000000,
    });
    expect(policy.dependencies?.deny?.map((denied) => [denied.type, denied.path, denied.version])).toEqual([
      ['pypi', 'pickle5', undefined],
      ['npm', 'event-stream', '3.3.6'],
    ]);
    expect(policy.retention).toEqual({ level: 'enforce', years: 10 });
  });

  it('reads JSON too', () => {
    const { policy } = parsePolicy(
      Buffer.from(
        '{\n  "version": 1,\n  "signers": { "allow": [{ "key-hint": "' +
          'ab'.repeat(32) +
          '" }], "level": "warn" }\n}\n',
      ),
      'policy.json',
    );
    expect(policy.signers).toEqual({ level: 'warn', allow: [{ keyHint: 'ab'.repeat(32) }] });
  });

  it('ships a schema the in-house validator accepts', () => {
    expect(() => new SchemaValidator(policySchema as JsonSchema)).not.toThrow();
  });
});

describe('a malformed policy is refused at load time, naming the line', () => {
  it('an unknown key, with the fields that section takes', () => {
    const error = refusal('version: 1\napprovals:\n  minimum: 1\n  minimun: 2\n');
    expect(error.code).toBe('BAD_INPUT');
    expect(error.field).toBe('line 4');
    expect(error.message).toBe(
      'model-ledger.policy.yml: line 4: approvals.minimun is not a known field — approvals takes: minimum, teams, on-last-commit, level, message',
    );
  });

  it('an unknown top-level section', () => {
    const error = refusal('version: 1\n\nrequire:\n  - path: change.reason\n');
    expect(error.message).toMatch(
      /^model-ledger\.policy\.yml: line 3: require is not a known field — a policy takes: version, required, approvals/,
    );
  });

  it('a bad regular expression', () => {
    const error = refusal(
      'version: 1\nsigners:\n  - identity: https://a.example/x\n    issuer: https://issuer.example\n  - identity-regexp: ^https://(github\\.com/acme\n    issuer: https://token.actions.githubusercontent.com\n',
    );
    expect(error.field).toBe('line 5');
    expect(error.message).toMatch(
      /^model-ledger\.policy\.yml: line 5: signers\[1\]\.identity-regexp is not a valid regular expression \(Invalid regular expression: .*\)/,
    );
  });

  it('a wrong type', () => {
    const error = refusal('version: 1\nmodels:\n  formats: safetensors\n  max-size-bytes: 20GB\n');
    expect(error.field).toBe('line 3');
    expect(error.message).toMatch(
      /^model-ledger\.policy\.yml: line 3: models\.formats must be array, found string \(also: line 4: models\.max-size-bytes must be integer, found string\)/,
    );
  });

  it('a wrong level, inside the object form of signers', () => {
    const error = refusal(
      'version: 1\nsigners:\n  allow:\n    - key-hint: "' + 'ab'.repeat(32) + '"\n  level: block\n',
    );
    expect(error.message).toMatch(
      /^model-ledger\.policy\.yml: line 5: signers\.level must be one of "enforce", "warn"/,
    );
  });

  it('a signer entry with no issuer, or naming two signers', () => {
    expect(refusal('version: 1\nsigners:\n  - identity: https://github.com/acme\n').message).toMatch(
      /line 3: signers\[0\] needs the issuer of its identity/,
    );
    const both = refusal(
      'version: 1\nsigners:\n  - identity: https://github.com/acme\n    key-hint: "' +
        'ab'.repeat(32) +
        '"\n',
    );
    expect(both.message).toMatch(
      /line 3: signers\[0\] names more than one signer — give exactly one of identity, identity-regexp/,
    );
  });

  it('a bad glob and a bad package URL', () => {
    const error = refusal(
      'version: 1\ndatasets:\n  allow:\n    - name: "fraud-{2023,2024"\ndependencies:\n  deny: ["pkg:npm/"]\n',
    );
    expect(error.field).toBe('line 4');
    expect(error.message).toMatch(/datasets\.allow\[0\]\.name "fraud-\{2023,2024" is not a valid glob/);
    expect(error.message).toMatch(/also: line 6: dependencies\.deny\[0\] "pkg:npm\/" is not a package URL/);
  });

  it('a required path no record can have, suggesting where the field lives', () => {
    const error = refusal('version: 1\nrequired:\n  - path: change.reason\n  - path: training.seed\n');
    expect(error.field).toBe('line 4');
    expect(error.message).toMatch(
      /line 4: required\[1\]\.path is not a field a record can have: training has no field "seed" \(it has source, sourceSha256, sourceKind, run\); did you mean training\.run\.seed\?/,
    );
    expect(refusal('version: 1\nrequired:\n  - path: datasets.license\n').message).toMatch(
      /datasets is a list: write datasets\[\*\]\.license/,
    );
    expect(refusal('version: 1\nrequired:\n  - path: chain.index\n').message).toMatch(
      /a policy cannot require "chain"/,
    );
  });

  it('a missing or unknown version, invalid YAML, duplicate keys', () => {
    expect(refusal('approvals:\n  minimum: 1\n').message).toMatch(
      /^model-ledger\.policy\.yml: line 1: version is required/,
    );
    expect(refusal('version: 2\n').message).toMatch(/line 1: version must be 1/);
    const syntax = refusal('version: 1\nrequired:\n  - path: [unclosed\n');
    expect(syntax.message).toMatch(
      /^model-ledger\.policy\.yml: line 4: is not valid YAML or JSON: Flow sequence/,
    );
    expect(refusal('version: 1\nmodels:\n  pickle: deny\nmodels:\n  pickle: warn\n').message).toMatch(
      /line 4: is not valid YAML or JSON: Map keys must be unique/,
    );
  });

  it('a file that cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'model-ledger-policy-'));
    try {
      await expect(loadPolicy(join(dir, 'absent.yml'), 'absent.yml')).rejects.toThrow(
        /^absent\.yml: cannot read the policy file: there is no such file — check the path given with --policy/,
      );
      await writeFile(join(dir, 'binary.yml'), Buffer.from([0xff, 0xfe, 0x00]));
      await expect(loadPolicy(join(dir, 'binary.yml'), 'binary.yml')).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: expect.stringMatching(/is not UTF-8 text/) as unknown as string,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
