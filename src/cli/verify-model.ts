import { resolve } from 'node:path';

import { LedgerError } from '../errors.js';
import { loadAnyPublicKey, readInput } from './input-files.js';
import { parseCertificates, verifyModelSignature, type ModelSignatureTrust } from '../oms/verify.js';
import { resolvePolicy } from '../verify/identity.js';
import { VerificationFailure } from '../verify/problems.js';
import { COMMON_OPTIONS, parseCommandArgs } from './args.js';
import type { Command, CommandContext } from './output.js';
import { modelArguments } from './sign-model.js';
import { TRUST_HELP, TRUST_OPTIONS, identityFromFlags, trustedRootLoader } from './trust-options.js';

export const VERIFY_MODEL_HELP = `Usage: model-ledger verify-model MODEL --signature model.sig
           (--key PUB.pem | --certificate-chain CA.pem... | --certificate-identity ID --certificate-oidc-issuer URL)
           [--ignore-paths PATH]... [--no-ignore-git-paths] [--json]

Verifies an OpenSSF Model Signing (OMS v1.0) signature, made by \`model-ledger sign-model\` or by
\`model_signing sign\` (key, certificate or Sigstore), against a model directory or file: who
signed, and that the model's files are exactly the signed ones. The signature's own ignore paths,
the signature file and git files (.git, .gitattributes, .github, .gitignore) are left out.

Options:
  --signature FILE          the signature to verify (required)
  --key PUB.pem             signed with the private half of this public key (model_signing: key)
  --certificate-chain FILE  CA certificate(s) (PEM) the signing certificate must chain to
                            (repeatable; model_signing: certificate)
${TRUST_HELP}
  --ignore-paths PATH       also leave this file or directory out (repeatable; relative to the
                            current directory)
  --no-ignore-git-paths     compare git files too
  --no-cache                hash every file again instead of reusing digests of unchanged files
  --json                    print the result as JSON
Exit status: 0 verified; 1 the signature or the model does not verify (what differs on one
line); 2 bad usage or an unreadable input (key, certificate, trusted root).`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  signature: { type: 'string' },
  key: { type: 'string' },
  'certificate-chain': { type: 'string', multiple: true },
  ...TRUST_OPTIONS,
  'ignore-paths': { type: 'string', multiple: true },
  'no-ignore-git-paths': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
} as const;

function usage(message: string, fix = 'see `model-ledger verify-model --help`'): LedgerError {
  return new LedgerError('USAGE', message, { field: 'verify-model', fix });
}

export const verifyModelCommand: Command = async (argv, context) => {
  const { values, positionals } = parseCommandArgs('verify-model', argv, OPTIONS, 1);
  if (values.help) {
    context.output.out(VERIFY_MODEL_HELP);
    return 0;
  }
  if (values.signature === undefined) throw usage('--signature FILE is required');
  const model = modelArguments('verify-model', positionals, values, context);
  const trust = await trustFromFlags(values, context);
  const signaturePath = resolve(context.cwd, values.signature);
  const signature = await readInput(signaturePath, values.signature, 'signature');
  try {
    const verified = await verifyModelSignature({
      path: model.path,
      display: model.model,
      signature,
      signatureFile: values.signature,
      signaturePath,
      trust,
      ignorePaths: model.ignorePaths,
      ignoreGitPaths: model.ignoreGitPaths,
      hash: model.hash,
    });
    const { manifest, signer } = verified;
    if (values.json) {
      context.output.out(
        JSON.stringify(
          {
            ok: true,
            model: model.model,
            signature: values.signature,
            subject: { name: manifest.modelName, sha256: manifest.subjectDigest },
            files: verified.files,
            signer,
          },
          null,
          2,
        ),
      );
    } else {
      const who =
        signer.kind === 'key'
          ? `key ${signer.keyHint.slice(0, 16)}…`
          : signer.kind === 'certificate-chain'
            ? `certificate "${signer.subject}" (chained to "${signer.issuer}")`
            : `${signer.identity} (issuer ${signer.issuer})`;
      context.output.out(
        `ok: ${model.model}: ${verified.files} file(s) match ${values.signature}, signed by ${who}; subject sha256:${manifest.subjectDigest}`,
      );
    }
    return 0;
  } catch (error) {
    if (values.json && error instanceof VerificationFailure) {
      context.output.out(
        JSON.stringify(
          { ok: false, model: model.model, problem: error.problem, message: error.message },
          null,
          2,
        ),
      );
    }
    throw error;
  }
};

async function trustFromFlags(
  values: Parameters<typeof identityFromFlags>[0] & { key?: string; 'certificate-chain'?: string[] },
  context: CommandContext,
): Promise<ModelSignatureTrust> {
  const identity = identityFromFlags(values);
  const chains = values['certificate-chain'] ?? [];
  const given = [values.key !== undefined, chains.length > 0, Object.keys(identity).length > 0].filter(
    Boolean,
  );
  if (given.length !== 1) {
    throw usage(
      given.length === 0
        ? 'say who must have signed: --key, --certificate-chain or a certificate identity'
        : '--key, --certificate-chain and the certificate identity options exclude each other',
    );
  }
  if (values.key !== undefined) {
    return { kind: 'key', key: await loadAnyPublicKey(resolve(context.cwd, values.key), values.key) };
  }
  if (chains.length > 0) {
    const certificates = [];
    for (const file of chains) {
      const pem = (await readInput(resolve(context.cwd, file), file, 'certificate chain')).toString('utf8');
      certificates.push(...parseCertificates(pem, file));
    }
    return { kind: 'certificate-chain', certificates };
  }
  resolvePolicy(identity);
  const root = await trustedRootLoader(values, context, 'verify-model')();
  return { kind: 'identity', identity, trustedRoot: root.json };
}
