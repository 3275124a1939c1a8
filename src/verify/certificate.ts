/** A bundle's signing certificate: the chain a client may accept, and Fulcio's extensions by name. */
import type { Bundle } from '@sigstore/bundle';
import { ASN1Obj, X509Certificate } from '@sigstore/core';

import { describeError } from '../errors.js';
import { VerificationFailure } from './problems.js';

/** The bundle's signing certificate, after refusing chains a client must not accept. */
export function leafCertificate(bundle: Bundle, file: string): X509Certificate {
  const material = bundle.verificationMaterial.content;
  const raw =
    material.$case === 'certificate'
      ? [material.certificate.rawBytes]
      : material.$case === 'x509CertificateChain'
        ? material.x509CertificateChain.certificates.map((certificate) => certificate.rawBytes)
        : [];
  let certificates: X509Certificate[];
  try {
    certificates = raw.map((bytes) => X509Certificate.parse(Buffer.from(bytes)));
  } catch (error) {
    throw new VerificationFailure(
      'CORRUPT',
      `holds a certificate that cannot be parsed (${describeError(error)})`,
      { file, cause: error },
    );
  }
  const [leaf] = certificates;
  if (!leaf) throw new VerificationFailure('CORRUPT', 'holds no signing certificate', { file });
  // Roots come from the trusted root only; one shipped inside the bundle means the bundle tries
  // to bring its own trust (sigstore-conformance `bundle-with-root-cert_fail`).
  if (
    certificates.some((certificate) => certificate.isCA && certificate.subject.equals(certificate.issuer))
  ) {
    throw new VerificationFailure(
      'UNTRUSTED',
      'its certificate chain includes a root certificate: roots must come from the trusted root, never from the bundle',
      { file },
    );
  }
  if (leaf.isCA)
    throw new VerificationFailure('UNTRUSTED', 'is signed with a CA certificate, not a signing certificate', {
      file,
    });
  return leaf;
}

const FULCIO_OID = '1.3.6.1.4.1.57264.1.';
/** Fulcio's extensions (docs/oid-info.md): the first ones hold raw text, the later DER UTF8Strings. */
const FULCIO_EXTENSIONS: Record<number, { name: string; der: boolean }> = {
  1: { name: 'issuer', der: false },
  2: { name: 'githubWorkflowTrigger', der: false },
  3: { name: 'githubWorkflowSHA', der: false },
  4: { name: 'githubWorkflowName', der: false },
  5: { name: 'githubWorkflowRepository', der: false },
  6: { name: 'githubWorkflowRef', der: false },
  8: { name: 'issuer', der: true },
  9: { name: 'buildSignerURI', der: true },
  10: { name: 'buildSignerDigest', der: true },
  11: { name: 'runnerEnvironment', der: true },
  12: { name: 'sourceRepositoryURI', der: true },
  13: { name: 'sourceRepositoryDigest', der: true },
  14: { name: 'sourceRepositoryRef', der: true },
  15: { name: 'sourceRepositoryIdentifier', der: true },
  16: { name: 'sourceRepositoryOwnerURI', der: true },
  17: { name: 'sourceRepositoryOwnerIdentifier', der: true },
  18: { name: 'buildConfigURI', der: true },
  19: { name: 'buildConfigDigest', der: true },
  20: { name: 'buildTrigger', der: true },
  21: { name: 'runInvocationURI', der: true },
  22: { name: 'sourceRepositoryVisibilityAtSigning', der: true },
};

/** Fulcio's extensions of a certificate, by name; the DER issuer (…1.8) wins over the raw one (…1.1). */
export function certificateExtensions(certificate: X509Certificate): Record<string, string> {
  const found: Record<string, string> = {};
  for (const number of Object.keys(FULCIO_EXTENSIONS)
    .map(Number)
    .sort((a, b) => a - b)) {
    const spec = FULCIO_EXTENSIONS[number];
    const extension = spec && readOrUndefined(() => certificate.extension(`${FULCIO_OID}${number}`));
    if (!spec || !extension) continue;
    const value = spec.der
      ? readOrUndefined(() => ASN1Obj.parseBuffer(Buffer.from(extension.value)).value)
      : extension.value;
    if (value) found[spec.name] = Buffer.from(value).toString('utf8');
  }
  return found;
}

/** The value `read` returns, or undefined when it throws (an absent or unparsable extension). */
export function readOrUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
