/**
 * The shell scripts of VERIFY.md: each check written with coreutils, jq and openssl alone, so that
 * an auditor needs nothing of ours. Tests run them exactly as VERIFY.md prints them, on intact and
 * tampered packs, in key and keyless mode.
 */
import { PACK_MANIFEST_FILE } from '../verify/pack.js';

/** A value as one shell word. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Who signed: the ledger's key (by hint), or a certificate identity and issuer. */
export type ScriptSigner =
  | { kind: 'key'; keyHint: string }
  | { kind: 'keyless'; identity: string | null; identityRegexp: string | null; issuer: string };

/** DSSE pre-authentication encoding of bundle `$1`'s payload into "$tmp/pae" (payload in "$tmp/payload"). */
const PAE_FUNCTION = [
  '# pae BUNDLE: the DSSE payload to "$tmp/payload", the bytes its signature covers to "$tmp/pae"',
  'pae() {',
  '  type=$(jq -r .dsseEnvelope.payloadType "$1")',
  '  jq -r .dsseEnvelope.payload "$1" | base64 -d > "$tmp/payload"',
  `  { printf 'DSSEv1 %d %s %d ' "\${#type}" "$type" "$(wc -c < "$tmp/payload")"; cat "$tmp/payload"; } > "$tmp/pae"`,
  '}',
];

/**
 * `check_keyless BUNDLE SIGNED_FILE`: the Fulcio certificate chains to the trusted root at the
 * time of signing, that time is vouched for (an RFC 3161 timestamp over the signature, or the
 * transparency log's signed entry promise for an entry of this very signature), the certificate
 * names the expected identity and issuer, and its key signs SIGNED_FILE.
 */
function keylessFunction(signer: Extract<ScriptSigner, { kind: 'keyless' }>): string[] {
  const identityCheck = signer.identity
    ? `[ "$san" = "$identity" ]`
    : `printf '%s' "$san" | grep -Eq "$identity_regexp"`;
  return [
    ...(signer.identity
      ? [`identity=${shellWord(signer.identity)}`]
      : [`identity_regexp=${shellWord(signer.identityRegexp ?? '.')}`]),
    `issuer=${shellWord(signer.issuer)}`,
    '# The Fulcio and timestamp-authority certificates of the trusted root, as PEM',
    'pems() { while read -r der; do printf \'%s\' "$der" | base64 -d | openssl x509 -inform DER; done; }',
    `jq -r '.certificateAuthorities[].certChain.certificates[].rawBytes' trusted_root.json | pems > "$tmp/fulcio.pem"`,
    `jq -r '.timestampAuthorities[]?.certChain.certificates[].rawBytes' trusted_root.json | pems > "$tmp/tsa.pem"`,
    'check_keyless() {',
    '  b=$1',
    `  jq -r '.verificationMaterial | (.certificate // .x509CertificateChain.certificates[0]).rawBytes' "$b" | base64 -d | openssl x509 -inform DER -out "$tmp/leaf.pem"`,
    `  jq -r '.dsseEnvelope.signatures[0].sig // .messageSignature.signature' "$b" | base64 -d > "$tmp/sig"`,
    "  # When it was signed: an RFC 3161 timestamp over the signature, else the log entry's signed time",
    "  t=''",
    `  if [ "$(jq '.verificationMaterial.timestampVerificationData.rfc3161Timestamps // [] | length' "$b")" -gt 0 ]; then`,
    `    jq -r '.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp' "$b" | base64 -d > "$tmp/ts.der"`,
    '    openssl ts -verify -in "$tmp/ts.der" -data "$tmp/sig" -CAfile "$tmp/tsa.pem" -untrusted "$tmp/tsa.pem" -partial_chain > /dev/null 2>&1 \\',
    '      || { echo "$b: BAD TIMESTAMP (not over this signature, or not by a timestamp authority of the trusted root)"; return 1; }',
    `    t=$(date -d "$(openssl ts -reply -in "$tmp/ts.der" -text 2>/dev/null | sed -n 's/^Time stamp: //p')" +%s)`,
    '  fi',
    `  if [ "$(jq '.verificationMaterial.tlogEntries // [] | length' "$b")" -gt 0 ]; then`,
    '    e=.verificationMaterial.tlogEntries[0]',
    '    id=$(jq -r "$e.logId.keyId" "$b")',
    `    jq -r --arg id "$id" '.tlogs[] | select(.logId.keyId == $id) | .publicKey.rawBytes' trusted_root.json | base64 -d > "$tmp/rekor.der"`,
    '    [ -s "$tmp/rekor.der" ] || { echo "$b: logged in a transparency log the trusted root does not name"; return 1; }',
    `    jq -cj --arg logid "$(printf '%s' "$id" | base64 -d | od -An -v -tx1 | tr -d ' \\n')" \\`,
    `      "$e | {body: .canonicalizedBody, integratedTime: (.integratedTime | tonumber), logID: \\$logid, logIndex: (.logIndex | tonumber)}" "$b" > "$tmp/promise"`,
    '    jq -r "$e.inclusionPromise.signedEntryTimestamp" "$b" | base64 -d > "$tmp/promise.sig"',
    '    openssl dgst -sha256 -verify "$tmp/rekor.der" -keyform DER -signature "$tmp/promise.sig" "$tmp/promise" > /dev/null \\',
    '      || { echo "$b: BAD LOG ENTRY PROMISE"; return 1; }',
    `    logged=$(jq -r "$e.canonicalizedBody" "$b" | base64 -d | jq -r '.spec.signatures[0].signature // .spec.signature.content')`,
    '    [ "$logged" = "$(base64 -w0 < "$tmp/sig")" ] || { echo "$b: its log entry is of another signature"; return 1; }',
    '    [ -n "$t" ] || t=$(jq -r "$e.integratedTime" "$b")',
    '  fi',
    '  [ -n "$t" ] || { echo "$b: no timestamp and no log entry: nothing vouches for when it was signed"; return 1; }',
    '  openssl verify -attime "$t" -partial_chain -CAfile "$tmp/fulcio.pem" "$tmp/leaf.pem" > /dev/null 2>&1 \\',
    '    || { echo "$b: CERTIFICATE NOT ISSUED BY THE TRUSTED FULCIO, or not valid at $(date -u -d "@$t")"; return 1; }',
    '  openssl x509 -in "$tmp/leaf.pem" -noout -text > "$tmp/leaf.txt"',
    `  san=$(sed -n '/X509v3 Subject Alternative Name/{n;s/^ *URI://p;s/^ *email://p;}' "$tmp/leaf.txt")`,
    `  iss=$(sed -n '/1\\.3\\.6\\.1\\.4\\.1\\.57264\\.1\\.1:/{n;s/^ *//p;}' "$tmp/leaf.txt")`,
    `  { ${identityCheck} && [ "$iss" = "$issuer" ]; } || { echo "$b: signed by $san ($iss), not by the expected identity"; return 1; }`,
    '  openssl x509 -in "$tmp/leaf.pem" -pubkey -noout > "$tmp/key.pem"',
    '  openssl dgst -sha256 -verify "$tmp/key.pem" -signature "$tmp/sig" "$2" > /dev/null || { echo "$b: BAD SIGNATURE"; return 1; }',
    '}',
  ];
}

/** `check_signature BUNDLE`: bundle's DSSE signature by the signer (after `pae BUNDLE`). */
function signatureFunction(signer: ScriptSigner): string[] {
  if (signer.kind === 'keyless') {
    return ['check_signature() { check_keyless "$1" "$tmp/pae"; }'];
  }
  return [
    `pinned=${signer.keyHint}`,
    'check_signature() {',
    '  hint=$(jq -r .verificationMaterial.publicKey.hint "$1")',
    '  [ "$hint" = "$pinned" ] || { echo "$1: signed by key $hint, not by the key of record 0"; return 1; }',
    `  jq -r '.dsseEnvelope.signatures[0].sig' "$1" | base64 -d > "$tmp/sig"`,
    '  openssl dgst -sha256 -verify "ledger/keys/$pinned.pub.pem" -signature "$tmp/sig" "$tmp/pae" > /dev/null \\',
    '    || { echo "$1: BAD SIGNATURE"; return 1; }',
    '}',
  ];
}

/** Checks MANIFEST.sigstore.json and every file of the pack against it: nothing edited, added or removed. */
function manifestCheck(): string[] {
  const m = PACK_MANIFEST_FILE;
  return [
    `# The signed manifest: every file of the pack, and only those, with the digest that was signed`,
    `pae ${m}`,
    `check_signature ${m}`,
    `jq -r '.subject[] | "\\(.digest.sha256)  \\(.name)"' "$tmp/payload" | sha256sum -c --quiet \\`,
    '  || { echo "a file of the pack differs from the signed manifest"; exit 1; }',
    `find . -type f ! -path ./${m} | sed 's|^\\./||' | LC_ALL=C sort > "$tmp/present"`,
    `jq -r '.subject[].name' "$tmp/payload" | LC_ALL=C sort > "$tmp/signed"`,
    'cmp -s "$tmp/signed" "$tmp/present" || { echo "files were added to or removed from the pack after signing:"; diff "$tmp/signed" "$tmp/present" || true; exit 1; }',
    `echo "${m}: signature OK; every file is the one signed"`,
  ];
}

/** The chain: numbered 0, 1, 2… with no gap, each name its index and digest, each linked to the one before. */
function chainLoop(): string[] {
  return [
    "prev=''",
    'n=0',
    'for b in ledger/*.sigstore.json; do',
    '  # Records are numbered 0, 1, 2… with no gap: a missing or renamed file stops here.',
    `  case "$b" in "$(printf 'ledger/%06d-' "$n")"*) ;; *) echo "$b: expected record $n here: a record is missing or renamed"; exit 1;; esac`,
    '  pae "$b"',
    '  check_signature "$b" || exit 1',
    `  digest=$(sha256sum < "$tmp/payload" | cut -c1-12)`,
    `  [ "$b" = "$(printf 'ledger/%06d-%s.sigstore.json' "$n" "$digest")" ] || { echo "$b: its name is not its index and statement digest: renamed"; exit 1; }`,
    `  [ "$(jq -r .predicate.chain.index "$tmp/payload")" = "$n" ] || { echo "$b: holds another record than number $n"; exit 1; }`,
    `  if [ "$n" = 0 ]; then [ "$(jq -c .predicate.chain.previous "$tmp/payload")" = null ] || { echo "$b: record 0 links to a record before it: records were removed from the start"; exit 1; }; fi`,
    '  if [ -n "$prev" ]; then',
    `    want="$(jq -r .dsseEnvelope.payload "$prev" | base64 -d | sha256sum | cut -d' ' -f1) $(sha256sum < "$prev" | cut -d' ' -f1)"`,
    `    got=$(jq -r '.predicate.chain.previous | "\\(.statementSha256) \\(.bundleSha256)"' "$tmp/payload")`,
    '    [ "$want" = "$got" ] || { echo "$b: BROKEN LINK to $prev"; exit 1; }',
    '  fi',
    '  echo "$b: signature and link OK"',
    '  prev=$b',
    '  n=$((n + 1))',
    'done',
  ];
}

export interface PackScriptOptions {
  signer: ScriptSigner;
  /** The pack holds MANIFEST.sigstore.json. */
  manifest: boolean;
  /** Keyless: the checkpoint and its bundle, whose certificate signature is checked last. */
  keylessCheckpoint: string | null;
}

/** The whole offline check of section 3, as one script to paste into a shell in the pack's folder. */
export function packScript(options: PackScriptOptions): string[] {
  const out = [
    '# Check the pack with openssl, jq, base64 and coreutils',
    'set -eu',
    'tmp=$(mktemp -d)',
    ...PAE_FUNCTION,
    ...(options.signer.kind === 'keyless' ? keylessFunction(options.signer) : []),
    ...signatureFunction(options.signer),
    ...(options.manifest ? manifestCheck() : []),
    ...chainLoop(),
  ];
  if (options.keylessCheckpoint && options.signer.kind === 'keyless') {
    const cp = options.keylessCheckpoint;
    out.push(
      "# The checkpoint's body, signed by the same identity (its bundle's certificate)",
      `sed '/^$/,$d' ${cp} > "$tmp/checkpoint-body"`,
      `check_keyless ${cp}.sigstore.json "$tmp/checkpoint-body" || exit 1`,
      `echo "${cp}: signature OK"`,
    );
  }
  out.push('rm -r "$tmp"');
  return out;
}
