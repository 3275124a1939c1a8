import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { LedgerError, describeError } from '../errors.js';
import { hashSettingsFor } from '../hash/index.js';
import { silentLogger } from '../log.js';
import { pathInside } from '../oms/serialize.js';
import { DEFAULT_SIGNATURE_FILE, signModelDirectory } from '../oms/sign.js';
import { resolveSigner } from '../sign/resolve.js';
import { COMMON_OPTIONS, parseCommandArgs } from './args.js';
import type { Command, CommandContext } from './output.js';
import { instanceChoice } from './record.js';

export const SIGN_MODEL_HELP = `Usage: model-ledger sign-model MODEL (--key KEY.pem | --keyless [Sigstore options])
           [--out model.sig] [--ignore-paths PATH]... [--no-ignore-git-paths] [--json]

Signs a model directory (or a single model file) in the OpenSSF Model Signing format (OMS v1.0,
as \`model_signing sign\` writes it): a Sigstore bundle whose in-toto statement lists every file
with its sha256. \`model_signing verify\` and \`model-ledger verify-model\` verify it.

Options:
  --out FILE          where to write the signature (default ${DEFAULT_SIGNATURE_FILE}); left out of the
                      signed files when inside the model
  --key PEM           sign with this PKCS#8 ECDSA P-256 private key
  --keyless           sign keyless with Sigstore (OIDC token from GitHub Actions or SIGSTORE_ID_TOKEN)
  --sigstore NAME     keyless instance: auto, public-good or github
  --fulcio-url URL    custom Sigstore: Fulcio (with --rekor-url and/or --tsa-url)
  --rekor-url URL     custom Sigstore: Rekor transparency log
  --tsa-url URL       custom Sigstore: RFC 3161 timestamp authority
  --ignore-paths PATH leave this file or directory out (repeatable; relative to the current
                      directory, as model_signing reads it); recorded in the signature
  --no-ignore-git-paths
                      sign .git, .gitattributes, .github and .gitignore too (left out by default)
  --allow-symlinks    sign symlinks (to files inside the model) as the files they point to
  --no-cache          hash every file again instead of reusing digests of unchanged files
  --json              print what was signed as JSON
Exit status: 0 signed; 2 bad usage or input.`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  out: { type: 'string' },
  key: { type: 'string' },
  keyless: { type: 'boolean' },
  sigstore: { type: 'string' },
  'fulcio-url': { type: 'string' },
  'rekor-url': { type: 'string' },
  'tsa-url': { type: 'string' },
  'ignore-paths': { type: 'string', multiple: true },
  'no-ignore-git-paths': { type: 'boolean' },
  'allow-symlinks': { type: 'boolean' },
  'no-cache': { type: 'boolean' },
} as const;

/**
 * `--ignore-paths` as model_signing reads them: relative to the current directory, kept when
 * they lie inside the model (then relative to it), dropped otherwise.
 */
export function modelRelativePaths(
  paths: readonly string[],
  cwd: string,
  model: string,
): { inside: string[]; outside: string[] } {
  const inside: string[] = [];
  const outside: string[] = [];
  for (const path of paths) {
    const within = pathInside(model, resolve(cwd, path));
    if (within === null) outside.push(path);
    else inside.push(within);
  }
  return { inside, outside };
}

/** Sign-model and verify-model share the model argument and the ignore options. */
export function modelArguments(
  command: string,
  positionals: string[],
  values: { 'ignore-paths'?: string[]; 'no-ignore-git-paths'?: boolean; 'no-cache'?: boolean },
  context: CommandContext,
) {
  const [model] = positionals;
  if (model === undefined) {
    throw new LedgerError('USAGE', 'the model directory or file (MODEL) is missing', {
      field: command,
      fix: `see \`model-ledger ${command} --help\``,
    });
  }
  const path = resolve(context.cwd, model);
  const { inside, outside } = modelRelativePaths(values['ignore-paths'] ?? [], context.cwd, path);
  for (const ignored of outside) {
    context.output.err(`warning: --ignore-paths ${ignored} is not inside ${model}; it changes nothing`);
  }
  return {
    model,
    path,
    ignorePaths: inside,
    ignoreGitPaths: values['no-ignore-git-paths'] !== true,
    hash: hashSettingsFor(values['no-cache'] ? { noCache: true } : {}, context.env, silentLogger),
  };
}

export const signModelCommand: Command = async (argv, context) => {
  const { values, positionals } = parseCommandArgs('sign-model', argv, OPTIONS, 1);
  if (values.help) {
    context.output.out(SIGN_MODEL_HELP);
    return 0;
  }
  if ((values.key === undefined) === (values.keyless !== true)) {
    throw new LedgerError('USAGE', 'give exactly one of --key KEY.pem and --keyless', {
      field: 'sign-model',
      fix: 'sign with a key (`model-ledger keygen` makes one) or keyless with Sigstore',
    });
  }
  const model = modelArguments('sign-model', positionals, values, context);
  const { signer, notices } = await resolveSigner(
    {
      signing: values.key === undefined ? 'keyless' : 'key',
      ...(values.key === undefined ? {} : { keyFile: resolve(context.cwd, values.key) }),
      sigstore: {
        instance: instanceChoice(values.sigstore),
        ...(values['fulcio-url'] === undefined ? {} : { fulcioUrl: values['fulcio-url'] }),
        ...(values['rekor-url'] === undefined ? {} : { rekorUrl: values['rekor-url'] }),
        ...(values['tsa-url'] === undefined ? {} : { tsaUrl: values['tsa-url'] }),
      },
    },
    context.env,
  );
  const out = resolve(context.cwd, values.out ?? DEFAULT_SIGNATURE_FILE);
  const signature = await signModelDirectory({
    path: model.path,
    display: model.model,
    ignorePaths: model.ignorePaths,
    ignoreGitPaths: model.ignoreGitPaths,
    allowSymlinks: values['allow-symlinks'] === true,
    hash: model.hash,
    signer,
    signatureFile: out,
  });
  const temporary = `${out}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(temporary, signature.bytes);
    await rename(temporary, out);
  } catch (error) {
    throw new LedgerError('IO', `cannot write the signature (${describeError(error)})`, {
      file: out,
      cause: error,
    });
  }
  const { manifest } = signature;
  if (values.json) {
    context.output.out(
      JSON.stringify(
        {
          out,
          sha256: signature.sha256,
          model: manifest.modelName,
          subjectDigest: manifest.subjectDigest,
          resources: manifest.resources,
          serialization: manifest.serialization,
          signingMode: signer.mode,
          notices,
        },
        null,
        2,
      ),
    );
  } else {
    for (const notice of notices) context.output.err(`notice: ${notice}`);
    context.output.out(
      `signed ${model.model} (${manifest.resources.length} file(s), subject sha256:${manifest.subjectDigest}) → ${out}`,
    );
  }
  return 0;
};
