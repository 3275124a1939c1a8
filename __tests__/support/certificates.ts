/**
 * X.509 certificates Fulcio would never issue, signed with a test CA's key (node:crypto signs;
 * the DER is written here): for tests of the rules a verifier must hold a certificate to.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';

import { X509Certificate } from '@sigstore/core';

/** What a certificate from `issueCertificate` holds; every field not given is as Fulcio would have it. */
export interface CertificateSpec {
  /** The issuing CA: its certificate (DER) names the issuer, its key signs. */
  issuer: { certificate: Buffer; privateKey: KeyObject };
  /** The key being certified. */
  publicKey: KeyObject;
  /** The SAN (a URI, as for GitHub Actions workflows). */
  identity: string;
  /** The OIDC issuer extension (1.3.6.1.4.1.57264.1.8); none when undefined. */
  oidcIssuer?: string;
  notBefore: Date;
  notAfter: Date;
  /** A CA certificate (basicConstraints CA, keyCertSign) instead of a code-signing leaf. */
  ca?: boolean;
}

/** A certificate (DER) as specified; it never carries an SCT. */
export function issueCertificate(spec: CertificateSpec): Buffer {
  const issuer = X509Certificate.parse(Buffer.from(spec.issuer.certificate));
  const extensions = [
    extension('2.5.29.15', true, bitString(spec.ca ? 0x06 : 0x80, spec.ca ? 1 : 7)), // keyUsage
    ...(spec.ca ? [extension('2.5.29.19', true, sequence(boolean(true)))] : []), // basicConstraints
    extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.3'))), // extKeyUsage: codeSigning
    // subjectKeyIdentifier: any stable identifier of the key does; this one hashes its SPKI.
    extension('2.5.29.14', false, octetString(sha1(spec.publicKey.export({ type: 'spki', format: 'der' })))),
    ...(issuer.extSubjectKeyID
      ? [
          extension(
            '2.5.29.35',
            false,
            sequence(tlv(0x80, Buffer.from(issuer.extSubjectKeyID.keyIdentifier))),
          ),
        ]
      : []),
    extension('2.5.29.17', true, sequence(tlv(0x86, Buffer.from(spec.identity, 'ascii')))), // SAN URI
    ...(spec.oidcIssuer === undefined
      ? []
      : [extension('1.3.6.1.4.1.57264.1.8', false, tlv(0x0c, Buffer.from(spec.oidcIssuer, 'utf8')))]),
  ];
  const algorithm = sequence(oid('1.2.840.10045.4.3.2')); // ecdsa-with-SHA256
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(
      createHash('sha256')
        .update(spec.identity)
        .update(String(spec.notBefore.getTime()))
        .digest()
        .subarray(0, 16),
    ),
    algorithm,
    tlv(0x30, Buffer.from(issuer.subject)),
    sequence(time(spec.notBefore), time(spec.notAfter)),
    sequence(), // Fulcio leaves the subject empty
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, spec.issuer.privateKey);
  return sequence(tbs, algorithm, bitString(signature, 0));
}

export function pem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

// ---------------------------------------------------------------------------------------------
// DER

function tlv(tag: number, content: Buffer): Buffer {
  const length =
    content.length < 0x80
      ? Buffer.from([content.length])
      : (() => {
          const bytes: number[] = [];
          for (let rest = content.length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
          return Buffer.from([0x80 | bytes.length, ...bytes]);
        })();
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

function sequence(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

function integer(value: Buffer): Buffer {
  // Positive: a leading 0 when the top bit is set.
  return tlv(0x02, (value[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value);
}

function boolean(value: boolean): Buffer {
  return tlv(0x01, Buffer.from([value ? 0xff : 0]));
}

function octetString(value: Buffer): Buffer {
  return tlv(0x04, value);
}

/** A BIT STRING of `value` (a byte, or bytes) with `unused` bits in its last byte. */
function bitString(value: number | Buffer, unused: number): Buffer {
  const bytes = typeof value === 'number' ? Buffer.from([value]) : value;
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** UTCTime before 2050, as RFC 5280 asks. */
function time(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-12-02T13:30:00.000Z
  const digits = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, Buffer.from(digits, 'ascii'));
}

function sha1(bytes: Buffer): Buffer {
  return createHash('sha1').update(bytes).digest();
}
