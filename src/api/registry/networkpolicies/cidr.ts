/**
 * CIDRs as Go's net.ParseCIDR reads them (what upstream's NetworkPolicy validation uses): an IPv4
 * or IPv6 address, a slash and a prefix length within the family's width; the address need not
 * be the network's first one (`10.0.0.1/24` is accepted and means 10.0.0.0/24). IPv4 octets with
 * leading zeros are refused, as Go has done since 1.17.
 */
import { isIPv6 } from 'node:net';

export interface ParsedCidr {
  family: 4 | 6;
  /** The network address (host bits cleared). */
  network: bigint;
  bits: number;
  contains(address: bigint): boolean;
}

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function v4ToBig(ip: string): bigint {
  return ip.split('.').reduce((n, o) => (n << 8n) | BigInt(o), 0n);
}

function v6ToBig(ip: string): bigint {
  let text = ip;
  const v4tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4tail) {
    const n = v4ToBig(v4tail[1]!);
    text = `${text.slice(0, -v4tail[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((n, g) => (n << 16n) | BigInt(`0x${g}`), 0n);
}

export function parseGoCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = text.slice(0, slash);
  const len = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(len)) return undefined;
  const bits = Number(len);
  let family: 4 | 6;
  let addr: bigint;
  if (V4.test(ip)) {
    family = 4;
    addr = v4ToBig(ip);
  } else if (isIPv6(ip) && !ip.includes('%')) {
    family = 6;
    addr = v6ToBig(ip);
  } else return undefined;
  const width = family === 4 ? 32 : 128;
  if (bits > width) return undefined;
  const hostBits = BigInt(width - bits);
  const network = (addr >> hostBits) << hostBits;
  return {
    family,
    network,
    bits,
    contains: (a) => a >> hostBits === network >> hostBits,
  };
}
