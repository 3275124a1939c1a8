import { resolve } from 'node:path';

import { LedgerError } from '../errors.js';
import { resolveSigner } from '../sign/resolve.js';
import type { Signer } from '../sign/types.js';
import { instanceChoice } from './record.js';

/** The flags that sign an evidence pack's manifest (`export --sign-key` / `--sign-keyless`). */
export const PACK_SIGNER_OPTIONS = {
  'sign-key': { type: 'string' },
  'sign-keyless': { type: 'boolean' },
  sigstore: { type: 'string' },
  'fulcio-url': { type: 'string' },
  'rekor-url': { type: 'string' },
  'tsa-url': { type: 'string' },
} as const;

export const PACK_SIGNER_HELP = `  --sign-key PEM      sign the pack's manifest (every file and its sha256) with the ledger's
                      private key: index.json, report.html and the rest become its word too
  --sign-keyless      sign it keyless, as the ledger's workflow (OIDC token as for record)
  --sigstore NAME, --fulcio-url URL, --rekor-url URL, --tsa-url URL
                      the Sigstore instance for --sign-keyless (as for record); --tsa-url with
                      --sign-key timestamps the manifest`;

interface PackSignerValues {
  'sign-key'?: string;
  'sign-keyless'?: boolean;
  sigstore?: string;
  'fulcio-url'?: string;
  'rekor-url'?: string;
  'tsa-url'?: string;
}

/** The manifest's signer the flags name, or undefined for an unsigned pack. */
export async function packSignerFromFlags(
  values: PackSignerValues,
  context: { cwd: string; env: Readonly<Record<string, string | undefined>> },
): Promise<Signer | undefined> {
  const key = values['sign-key'];
  const keyless = values['sign-keyless'] === true;
  if (key !== undefined && keyless) {
    throw new LedgerError('USAGE', '--sign-key and --sign-keyless exclude each other', {
      field: 'export',
      fix: "sign the pack the way the ledger's records are signed",
    });
  }
  if (key === undefined && !keyless) return undefined;
  const sigstore = {
    instance: instanceChoice(values.sigstore),
    ...(values['fulcio-url'] === undefined ? {} : { fulcioUrl: values['fulcio-url'] }),
    ...(values['rekor-url'] === undefined ? {} : { rekorUrl: values['rekor-url'] }),
    ...(values['tsa-url'] === undefined ? {} : { tsaUrl: values['tsa-url'] }),
  };
  const { signer } = await resolveSigner(
    key === undefined
      ? { signing: 'keyless', sigstore }
      : { signing: 'key', keyFile: resolve(context.cwd, key), sigstore },
    context.env,
  );
  return signer;
}
