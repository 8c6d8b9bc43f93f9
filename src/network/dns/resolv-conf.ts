/**
 * Reads the host's upstream resolvers from a resolv.conf, for forwarding names outside the
 * cluster zone (as CoreDNS's `forward . /etc/resolv.conf`).
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

export interface Upstream {
  host: string;
  port: number;
}

export class ResolvConfError extends Error {
  readonly code = 'PODBAY_DNS_RESOLV_CONF';
  constructor(message: string) {
    super(message);
    this.name = 'ResolvConfError';
  }
}

/**
 * `nameserver` lines, in order. Addresses that would loop back to the cluster DNS itself
 * (`exclude`) are dropped, as CoreDNS's forward plugin refuses to forward to itself.
 */
export function parseResolvConf(text: string, exclude: readonly string[] = []): Upstream[] {
  const out: Upstream[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const m = /^nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const host = m[1]!.replace(/%.*$/, '');
    if (!isIP(host))
      throw new ResolvConfError(
        `resolv.conf line ${i + 1}: nameserver ${JSON.stringify(m[1])} is not an IP address`,
      );
    if (!exclude.includes(host)) out.push({ host, port: 53 });
  }
  return out;
}

export function readResolvConf(path = '/etc/resolv.conf', exclude: readonly string[] = []): Upstream[] {
  return parseResolvConf(readFileSync(path, 'utf8'), exclude);
}
