/** Untrusted JSON to a Sigstore bundle: the media types this verifier knows, field errors in words. */
import {
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
  bundleFromJSON,
  type Bundle,
} from '@sigstore/bundle';

import { describeError } from '../errors.js';
import { VerificationFailure } from './problems.js';

const MEDIA_TYPES = [
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
];

const FIELD_WORDS: Record<string, string> = {
  content: 'it holds no signature (neither messageSignature nor dsseEnvelope)',
  verificationMaterial:
    'it has no verificationMaterial (no certificate or public key to check the signature with)',
  'verificationMaterial.content':
    'its verificationMaterial holds no certificate, certificate chain or public key',
};

/** Parses untrusted JSON into a bundle; anything that is not a valid Sigstore bundle is CORRUPT. */
export function parseBundle(json: unknown, file: string): Bundle {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new VerificationFailure('CORRUPT', 'is not a Sigstore bundle (expected a JSON object)', { file });
  }
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  if (typeof mediaType !== 'string' || !MEDIA_TYPES.includes(mediaType)) {
    throw new VerificationFailure(
      'CORRUPT',
      mediaType === undefined
        ? 'is not a Sigstore bundle (it has no mediaType)'
        : `has media type ${JSON.stringify(mediaType)}, which is not a Sigstore bundle version this verifier knows (v0.1, v0.2, v0.3)`,
      { file, field: 'mediaType' },
    );
  }
  try {
    return bundleFromJSON(json);
  } catch (error) {
    const fields = (error as { fields?: unknown }).fields;
    const detail = Array.isArray(fields)
      ? fields
          .map((field: unknown) => FIELD_WORDS[String(field)] ?? `${String(field)} is missing or invalid`)
          .join('; ')
      : describeError(error);
    throw new VerificationFailure('CORRUPT', `is not a valid Sigstore bundle: ${detail}`, {
      file,
      cause: error,
    });
  }
}
