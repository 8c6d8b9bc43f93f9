/**
 * The certificate the HTTPS listener presents when no Ingress TLS secret covers the requested
 * name (or the client sends no SNI): self-signed, named as ingress-nginx names its own
 * ("Kubernetes Ingress Controller Fake Certificate", SAN ingress.local), made fresh at each start.
 *
 * RSA 2048, as ingress-nginx's, and for a reason: Node installs an SNI context's certificate
 * next to the listener's own in the slot of its key type (UseSNIContext), so a listener
 * certificate of the same type as a Secret's is replaced by it, and of another type stays
 * beside it for clients to prefer. Most Secrets (openssl's and kubectl docs' recipes) hold RSA
 * keys; an ECDSA one still wins with clients that list ECDSA first, as OpenSSL, curl and browsers do.
 * Loaded lazily: the X.509 library is slow to import.
 */
import { randomBytes, webcrypto } from 'node:crypto';

const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const;
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

export const fakeCertificate = (now: Date): Promise<{ cert: string; key: string }> =>
  selfSignedCertificate(
    now,
    'O=Acme Co, CN=Kubernetes Ingress Controller Fake Certificate',
    ['ingress.local'],
    'RSA',
  );

/** A self-signed serving certificate for `dnsNames` (also what tests put in TLS Secrets). */
export async function selfSignedCertificate(
  now: Date,
  subject: string,
  dnsNames: readonly string[],
  keyType: 'RSA' | 'ECDSA' = 'ECDSA',
): Promise<{ cert: string; key: string }> {
  const ALG = keyType === 'RSA' ? RSA : ECDSA;
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as never);
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16).toString('hex'),
    name: subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + ONE_YEAR_MS),
    signingAlgorithm: ALG,
    keys: keys as never,
    extensions: [
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns' as const, value }))),
    ],
  });
  const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(der, 'PRIVATE KEY') };
}
