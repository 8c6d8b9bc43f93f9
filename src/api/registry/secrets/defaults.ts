/**
 * Secret defaulting: type Opaque (SetDefaults_Secret), and stringData folded into data as
 * upstream's v1 -> internal conversion does (stringData wins over data for the same key, is
 * base64-encoded, and is never stored or served). Mutates; idempotent.
 */
import type { Secret } from 'kubernetes-types/core/v1';

export function defaultSecret(secret: Secret): void {
  secret.metadata ??= {};
  secret.type ||= 'Opaque';
  if (secret.stringData) {
    const entries = Object.entries(secret.stringData);
    if (entries.length > 0) secret.data ??= {};
    for (const [k, v] of entries) secret.data![k] = Buffer.from(String(v), 'utf8').toString('base64');
    delete secret.stringData;
  }
}
