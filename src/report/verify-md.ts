/**
 * VERIFY.md of an evidence pack: the exact commands that check it offline — ours, then openssl +
 * jq + sha256sum alone, then the cosign and gh attestation equivalents for keyless records.
 */
import type { ClaimedSigner } from '../verify/claimed-signer.js';
import { PREDICATE_TYPE } from '../record/predicate.js';
import { PACK_MANIFEST_FILE } from '../verify/pack.js';
import { GITHUB_ACTIONS_ISSUER, type IdentityPolicy } from '../verify/identity.js';
import type { ReportData } from './report-data.js';
import { packScript, shellWord, type ScriptSigner } from './verify-md-scripts.js';

export interface VerifyInstructions {
  data: ReportData;
  /** Hints of every key in ledger/keys/. */
  keys: string[];
  /** The key that signed record 0, which every record must be signed by (key-signed ledgers). */
  pinnedKey: string | null;
  /** Keys the ledger was verified with explicitly (`--key`): the verify command names them. */
  explicitKeys: string[];
  identity: IdentityPolicy | null;
  firstSigner: ClaimedSigner | null;
  hasTrustedRoot: boolean;
  /** Path of the ledger's signed checkpoint in the pack, when it has one. */
  checkpoint?: string | null;
  /** Witness-cosigned checkpoints in the pack (`witnessed/…`). */
  witnessed?: string[];
  /** The pack holds a signed manifest of its files (MANIFEST.sigstore.json). */
  manifestSigned?: boolean;
  /** The audit figures the pack holds (`export --audit`): their one-line summaries. */
  audit?: { scope: string; completeness: string | null; replay: string | null } | null;
  missing: string[];
}

function identityFlags(input: VerifyInstructions): string[] {
  const identity = input.identity;
  if (identity) {
    return [
      ...(identity.identity ? [`--certificate-identity ${shellWord(identity.identity)}`] : []),
      ...(identity.identityRegexp
        ? [`--certificate-identity-regexp ${shellWord(identity.identityRegexp)}`]
        : []),
      ...(identity.issuer ? [`--certificate-oidc-issuer ${shellWord(identity.issuer)}`] : []),
      ...(identity.signerRepo ? [`--signer-repo ${shellWord(identity.signerRepo)}`] : []),
      ...(identity.signerWorkflow ? [`--signer-workflow ${shellWord(identity.signerWorkflow)}`] : []),
    ];
  }
  return [];
}

export function verifyInstructions(input: VerifyInstructions): string {
  const { data } = input;
  const head = data.records.filter((record) => record.index === data.range.to).at(-1);
  const total = data.records.length;
  const keyless = data.records.some((record) => record.signingMode === 'keyless');
  const flags = [
    input.manifestSigned ? '--pack .' : '--store ledger',
    ...input.explicitKeys.map((hint) => `--key ledger/keys/${hint}.pub.pem`),
    ...(input.hasTrustedRoot ? ['--trusted-root trusted_root.json'] : []),
    ...identityFlags(input),
  ];
  const development = data.records.filter((record) => record.signingMode === 'development-key').length;
  const verdict = data.verification.ok
    ? `every one of the ${total} records verified (signature, signer and chain link)${development > 0 ? `, but ${development} of them are signed with a development key — not evidence` : ''}`
    : `${data.verification.problems.length} problem(s) were found — they are listed in index.json and report.html, and the commands below will report them too`;
  const out: string[] = [
    '# Verifying this evidence pack',
    '',
    ...(development > 0
      ? [
          `> **Development key — not evidence.** ${development} of the ${total} records are signed with a development key: a key made on one machine for trying model-ledger out. The checks below can show that the records are intact, not who made them.`,
          '',
        ]
      : []),
    `Ledger \`${data.origin ?? 'unknown'}\`, records ${data.range.from} to ${data.range.to}. The pack holds records 0 to ${data.range.to}: the range and the chain back to the first record.`,
    `It was made by model-ledger ${data.tool.version} at ${data.generatedAt}; at that time ${verdict}.`,
    '',
    'Everything below runs offline, from this folder alone. Unzip the pack and enter it first:',
    '',
    '```sh',
    'unzip evidence.zip -d evidence && cd evidence',
    '```',
    '',
    '## 1. The files are the ones that were packed',
    '',
    '```sh',
    'sha256sum -c SHA256SUMS        # macOS: shasum -a 256 -c SHA256SUMS',
    '```',
    '',
    ...(input.manifestSigned
      ? [
          `SHA256SUMS is not signed: it shows the files are intact, not who packed them. \`${PACK_MANIFEST_FILE}\` is: a`,
          "Sigstore bundle, signed by the ledger's signer, of an in-toto statement whose subjects are every",
          'file of the pack with its sha256 — `index.json` and `report.html` included. Section 2 and the',
          'script of section 3 check it, and that no file was added or removed.',
          '',
        ]
      : [
          '**This pack is not signed as a whole** (it was exported without `--sign-key` or `--sign-keyless`):',
          "`SHA256SUMS`, `index.json`, `report.html` and `exports/` are the packer's word. Only the records",
          'and the checkpoint are signed, and the checks below rest on those alone.',
          '',
        ]),
    '## 2. With model-ledger: one command',
    '',
    '```sh',
    '# The CLI is one file, dist/cli.js of a model-ledger release, run with plain node (20 or newer):',
    'curl -fsSL -o model-ledger.mjs https://raw.githubusercontent.com/model-ledger/model-ledger/v0/dist/cli.js',
    `node model-ledger.mjs verify ${flags.join(' ')}`,
    '```',
    '',
    `It checks every record: the signature and that the signer is ${input.pinnedKey ? `the key that signed record 0 (\`ledger/keys/${input.pinnedKey}.pub.pem\`)` : 'the certificate identity of record 0 (or the identity given)'}, the statement against the record schema, and the chain — indexes 0, 1, 2… without gaps, each record's link to the exact statement and bundle before it, no forks. Expect exit status 0 and a line \`ok: ${total} record(s) verified in …/ledger; head is record ${data.range.to} (${head?.statementSha256 ?? '…'})\`${input.manifestSigned ? `, then \`pack: N file(s) as signed in ${PACK_MANIFEST_FILE} by …\`: the manifest is signed by the same signer and every file of the pack is the one signed` : ''}.`,
    '',
  ];
  out.push(...withoutModelLedger(input));
  out.push(...keylessEquivalents(input, keyless));
  out.push(...checkpointSection(input));
  out.push(
    '## What is in the pack',
    '',
    '| path | what |',
    '| --- | --- |',
    '| `ledger/NNNNNN-<statement sha256 prefix>.sigstore.json` | the records: Sigstore bundles (v0.3) whose DSSE payload is an in-toto statement |',
    `| \`ledger/keys/<hint>.pub.pem\` | public keys of key-signed records, named by the hint in each bundle (${input.keys.length} key(s)) |`,
    '| `ledger/manifests/<sha256>.manifest.txt` | directory manifests too large to keep inside a record; each hashes to the digest its record gives |',
    ...(input.hasTrustedRoot
      ? [
          '| `trusted_root.json` | the Sigstore trusted root (Fulcio, Rekor, timestamp authorities) that verifies keyless records offline |',
        ]
      : []),
    ...(input.audit?.completeness
      ? [
          `| \`audit/completeness.json\` | \`model-ledger audit completeness\` for the range: ${input.audit.completeness} (${input.audit.scope}) |`,
        ]
      : []),
    ...(input.audit?.replay
      ? [
          `| \`audit/replay.json\` | \`model-ledger audit replay\` of the range's records: ${input.audit.replay} |`,
        ]
      : []),
    '| `index.json` | every record with its verification verdict, and every file with its sha256 |',
    '| `report.html` | the same, readable: timeline, filters, record details, comparisons, regulatory mapping. Open it in a browser; it loads nothing from the network |',
    "| `ledger/checkpoints/model-ledger-NNNNNN.checkpoint` | the ledger's signed checkpoint of the records in the pack (C2SP signed note: origin, size, RFC 6962 root, signature); keyless ledgers keep beside it the Sigstore bundle (`….checkpoint.sigstore.json`) whose certificate holds the note's key |",
    '| `exports/ledger.cdx.json`, `exports/ledger.spdx.json` | the range as CycloneDX 1.6 ML-BOM and SPDX 3.0.1 (AI and Dataset profiles), for SBOM tools; derived from the records, not signed on their own |',
    ...(input.witnessed && input.witnessed.length > 0
      ? [
          "| `witnessed/…` | checkpoints of the ledger cosigned by witnesses (C2SP tlog-cosignature), checked with each witness's own key (section 5) |",
        ]
      : []),
    '| `proofs/inclusion.json` | for each record of the range, its RFC 9162 inclusion proof in that tree (`ledger-root.py --inclusion` checks it, section 5) |',
    "| `ledger-root.py` | recomputes the Merkle root with Python 3's standard library alone (section 5) |",
    ...(input.manifestSigned
      ? [
          `| \`${PACK_MANIFEST_FILE}\` | the signed manifest: a Sigstore bundle over an in-toto statement listing every other file with its sha256, signed by the ledger's signer |`,
          '| `SHA256SUMS` | sha256 of every other file. **Not signed** itself; the manifest above covers it and everything else |',
        ]
      : [
          "| `SHA256SUMS` | sha256 of every other file. **Not signed**: it shows the files are the ones packed, not who packed them; `index.json`, `report.html` and the `exports/` are the packer's summary, unsigned. Only the records and the checkpoint are signed |",
        ]),
    '',
  );
  if (input.missing.length > 0) {
    out.push('## Not included', '', ...input.missing.map((line) => `- ${line}`), '');
  }
  return out.join('\n');
}

function withoutModelLedger(input: VerifyInstructions): string[] {
  const out = ['## 3. Without model-ledger: openssl, jq, base64 and coreutils', ''];
  const signer = scriptSigner(input);
  if (!signer) {
    out.push(
      'Record 0 is unreadable, so this pack names no signer to check the records against; the',
      'problems listed in index.json say why.',
      '',
    );
    return out;
  }
  out.push(
    'Each record is signed over the DSSE pre-authentication encoding (PAE) of its payload; each',
    "record's `predicate.chain.previous` holds the sha256 of the previous payload and bundle.",
    ...(input.manifestSigned
      ? [
          'The script first checks the signed manifest against every file in this folder, so run it before',
          'anything else is written here.',
        ]
      : []),
    '',
  );
  if (signer.kind === 'keyless') {
    out.push(
      'The records are signed keyless: each signature verifies with the key of its Fulcio certificate.',
      "The script checks that certificate's chain to the Fulcio CA of `trusted_root.json` at the time of",
      'signing (`openssl verify -attime`), that time itself (the RFC 3161 timestamp over the signature with',
      "`openssl ts -verify`, or the transparency log's signed promise for an entry of this very signature),",
      `and the identity the certificate names: SAN \`${signer.identity ?? signer.identityRegexp ?? ''}\`${signer.identity ? '' : ' (a regular expression)'} and OIDC issuer \`${signer.issuer}\`.`,
      '',
      '**Compare both with what you obtained outside this pack.** The identity above is the one',
      `${input.identity ? 'the pack was verified against when it was made' : 'record 0 carries'}: check it against the workflow the ledger's owners told you`,
      "signs their records. And `trusted_root.json` is the packer's copy: compare it with one you fetch",
      'yourself (`gh attestation trusted-root`, or `cosign trusted-root` / the Sigstore TUF repository for',
      'the public-good instance) — a pack made with a Sigstore instance of its own would otherwise verify.',
      'The certificate transparency SCT is not checked here; `model-ledger verify` and cosign check it.',
      '',
    );
  }
  out.push(
    '```sh',
    ...packScript({
      signer,
      manifest: input.manifestSigned === true,
      keylessCheckpoint: signer.kind === 'keyless' ? (input.checkpoint ?? null) : null,
    }),
    '```',
    '',
    'A record whose file name, index or payload was changed, a missing record (the first ones',
    'included) and a renamed file fail here as they fail `model-ledger verify`',
    input.manifestSigned
      ? 'and so does any file of the pack edited, added or removed after signing. What this cannot show'
      : '. What this cannot show',
    'alone is a record removed from the end, or a history rewritten with the signing key: for that,',
    "compare the pack's checkpoint with one you obtained before (section 5).",
    '',
  );
  return out;
}

/** Who the script checks signatures against: record 0's key, or the expected certificate identity. */
function scriptSigner(input: VerifyInstructions): ScriptSigner | null {
  if (input.pinnedKey) return { kind: 'key', keyHint: input.pinnedKey };
  const first = input.firstSigner;
  const identity =
    input.identity?.identity ??
    (input.identity?.identityRegexp ? null : first?.kind === 'certificate' ? first.identity : null);
  const identityRegexp = input.identity?.identityRegexp ?? null;
  const issuer =
    input.identity?.issuer ?? (first?.kind === 'certificate' ? first.issuer : null) ?? GITHUB_ACTIONS_ISSUER;
  if (identity === null && identityRegexp === null) return null;
  return { kind: 'keyless', identity, identityRegexp, issuer };
}

function keylessEquivalents(input: VerifyInstructions, keyless: boolean): string[] {
  const signer = input.firstSigner;
  const identity =
    input.identity?.identity ?? (signer?.kind === 'certificate' ? signer.identity : '<certificate identity>');
  const issuer =
    input.identity?.issuer ??
    (signer?.kind === 'certificate' ? signer.issuer : 'https://token.actions.githubusercontent.com');
  const repository = /^github\.com\/([^/]+\/[^#]+)#/.exec(input.data.origin ?? '')?.[1] ?? 'OWNER/REPO';
  const root = input.hasTrustedRoot ? ' --trusted-root trusted_root.json' : '';
  const out = ['## 4. cosign and gh attestation equivalents', ''];
  out.push(
    'These check one record at a time against the model file it names as its subject (have the',
    'file at hand; `sha256sum MODEL_FILE` must print the subject digest). They do not check the chain.',
    '',
  );
  if (keyless) {
    out.push(
      '```sh',
      'b=ledger/NNNNNN-XXXXXXXXXXXX.sigstore.json   # the record to check',
      `cosign verify-blob-attestation --bundle "$b" --new-bundle-format${root} \\`,
      `  --certificate-identity ${shellWord(identity)} \\`,
      `  --certificate-oidc-issuer ${shellWord(issuer)} \\`,
      `  --type ${PREDICATE_TYPE} MODEL_FILE`,
      `gh attestation verify MODEL_FILE --bundle "$b" --repo ${repository} \\`,
      `  --predicate-type ${PREDICATE_TYPE}${input.hasTrustedRoot ? ' --custom-trusted-root trusted_root.json' : ''}`,
      '```',
      '',
      'cosign 2.4 or later (`--new-bundle-format` is the default from cosign 3); a record whose subject is',
      'a commit rather than a file is checked with `--check-claims=false` in place of MODEL_FILE checks.',
      '',
    );
  }
  if (input.pinnedKey) {
    out.push(
      'Key-signed records carry no certificate and no transparency-log entry, so `gh attestation verify`',
      'does not apply to them; cosign checks them with the key:',
      '',
      '```sh',
      'b=ledger/NNNNNN-XXXXXXXXXXXX.sigstore.json   # the record to check',
      `cosign verify-blob-attestation --bundle "$b" --new-bundle-format --key ledger/keys/${input.pinnedKey}.pub.pem \\`,
      `  --insecure-ignore-tlog --type ${PREDICATE_TYPE} MODEL_FILE`,
      '```',
      '',
    );
  }
  return out;
}

/** Section 5: the checkpoint, its signature, and what it proves given one held from before. */
function checkpointSection(input: VerifyInstructions): string[] {
  const out = ['## 5. The checkpoint: nothing removed from the end, nothing rewritten', ''];
  if (!input.checkpoint) {
    out.push(
      'This pack holds no signed checkpoint (records made before checkpoints have none).',
      '`python3 ledger-root.py ledger` still prints the size and root of the records here;',
      'compare them with a checkpoint a witness cosigned.',
      '',
    );
    return out;
  }
  const cp = input.checkpoint;
  out.push(
    'The checkpoint names the ledger, the number of records and the RFC 6962 Merkle root over their',
    'DSSE payloads (leaf `SHA-256(0x00 || payload)`, node `SHA-256(0x01 || left || right)`). Recompute',
    "the root from the records with Python's standard library alone:",
    '',
    '```sh',
    `python3 ledger-root.py ledger ${cp}`,
    '```',
    '',
    `Each record of the range (${input.data.range.from} to ${input.data.range.to}) is in that tree: its RFC 9162 inclusion proof in`,
    '`proofs/inclusion.json` leads from the record alone to the root, so this holds without the records',
    'before the range (it reads only the files the proofs name):',
    '',
    '```sh',
    `python3 ledger-root.py --inclusion proofs/inclusion.json ${cp}`,
    '```',
    '',
    ...(input.pinnedKey
      ? [
          "Its signature, by the ledger's key (a C2SP signed note: the signature line carries a 4-byte key",
          'ID, then an ECDSA signature over the lines above the blank line):',
          '',
          '```sh',
          'tmp=$(mktemp -d)',
          `sed '/^$/,$d' ${cp} > "$tmp/checkpoint-body"`,
          `grep '^— ' ${cp} | head -n 1 | awk '{print $3}' | base64 -d | tail -c +5 > "$tmp/checkpoint-sig"`,
          `openssl dgst -sha256 -verify ledger/keys/${input.pinnedKey}.pub.pem -signature "$tmp/checkpoint-sig" "$tmp/checkpoint-body"   # Verified OK`,
          '```',
          '',
          `Compare the key's fingerprint (\`${input.pinnedKey.slice(0, 16)}…\`, the sha256 of \`openssl pkey -pubin -in ledger/keys/${input.pinnedKey}.pub.pem -outform DER\`) with the one the ledger's owners gave you outside this pack (their website, a signed letter, the repository's README): a pack made by someone else verifies with their own key.`,
          '',
        ]
      : [
          "Its signature: the script of section 3 checked, as its last step, the checkpoint's body against",
          `the certificate of \`${cp}.sigstore.json\` — the same identity as the records.`,
          '',
        ]),
    ...(input.witnessed && input.witnessed.length > 0
      ? [
          `Witnesses cosigned ${input.witnessed.length === 1 ? 'this checkpoint' : 'these checkpoints'} of the ledger: ${input.witnessed.map((path) => `\`${path}\``).join(', ')}. A cosignature is`,
          "the witness's statement that the ledger it saw then extended everything it had cosigned before.",
          "Check it with the witness's public key, obtained from the witness (never from this pack):",
          '',
          '```sh',
          `node model-ledger.mjs verify ${input.manifestSigned ? '--pack .' : '--store ledger'} --checkpoint ${input.witnessed[0] ?? ''} --witness-key WITNESS.pub.pem`,
          '```',
          '',
        ]
      : []),
    'A pack proves that its records agree with each other and with its own checkpoint. That they are',
    "still the records you were shown before needs a checkpoint you kept from then (an earlier pack's,",
    "the Action's `checkpoint` output, a witness's cosigned copy). Give it to the same script: it exits 1",
    'unless the first records of this pack have that older root — nothing removed, nothing rewritten:',
    '',
    '```sh',
    'python3 ledger-root.py ledger OLD.checkpoint',
    '```',
    '',
  );
  return out;
}
