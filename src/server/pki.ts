/**
 * The server's PKI, made on first start and kept in the data dir: a CA, a serving certificate
 * signed by it (SANs: loopback, localhost and this host's name), and the admin bearer token.
 * ECDSA P-256 keeps generation in milliseconds (an RSA key in JS would take seconds).
 * Private files are written 0600 in a 0700 directory, as kubeadm does for /etc/kubernetes/pki.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 is typed against the DOM's WebCrypto; Node's is the same API under other names.
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
x509.cryptoProvider.set(webcrypto as never);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export interface Pki {
  caCert: string;
  cert: string;
  key: string;
  token: string;
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function generate(serverNames: string[]): Promise<Omit<Pki, 'token'>> {
  const now = new Date();
  const notAfter = new Date(now.getTime() + TEN_YEARS_MS);
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16).toString('hex'),
    name: 'CN=podbay-ca',
    notBefore: new Date(now.getTime() - 60_000),
    notAfter,
    signingAlgorithm: ALG,
    keys: caKeys as never,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey as never),
    ],
  });
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ips = serverNames.filter((n) => /^[\d.]+$|:/.test(n));
  const dns = serverNames.filter((n) => !ips.includes(n));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(16).toString('hex'),
    subject: 'CN=kube-apiserver',
    issuer: ca.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter,
    signingAlgorithm: ALG,
    publicKey: keys.publicKey as never,
    signingKey: caKeys.privateKey as never,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dns.map((value) => ({ type: 'dns' as const, value })),
        ...ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
    ],
  });
  return {
    caCert: ca.toString('pem'),
    cert: cert.toString('pem'),
    key: await exportKey(keys.privateKey),
  };
}

/** Loads the PKI from `dir/pki`, creating what is missing. The CA key is not kept: nothing else is ever signed. */
export async function loadOrCreatePki(dir: string, extraNames: string[] = []): Promise<Pki> {
  const pki = join(dir, 'pki');
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  const files = {
    ca: join(pki, 'ca.crt'),
    cert: join(pki, 'apiserver.crt'),
    key: join(pki, 'apiserver.key'),
    token: join(pki, 'admin.token'),
  };
  if (!existsSync(files.ca) || !existsSync(files.cert) || !existsSync(files.key)) {
    const names = [...new Set(['localhost', '127.0.0.1', '::1', hostname(), ...extraNames])];
    const g = await generate(names);
    writeFileSync(files.ca, g.caCert, { mode: 0o644 });
    writeFileSync(files.cert, g.cert, { mode: 0o644 });
    writeFileSync(files.key, g.key, { mode: 0o600 });
  }
  if (!existsSync(files.token))
    writeFileSync(files.token, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return {
    caCert: readFileSync(files.ca, 'utf8'),
    cert: readFileSync(files.cert, 'utf8'),
    key: readFileSync(files.key, 'utf8'),
    token: readFileSync(files.token, 'utf8').trim(),
  };
}
