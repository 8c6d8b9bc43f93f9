/** IPv4 CIDR arithmetic: enough for allocating addresses out of a range. */
export interface Cidr {
  base: number;
  bits: number;
  size: number;
  text: string;
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address ${JSON.stringify(ip)}`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255)
      throw new Error(`invalid IPv4 address ${JSON.stringify(ip)}`);
    n = n * 256 + Number(p);
  }
  return n;
}

export const intToIp = (n: number): string =>
  [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

export function parseCidr(text: string): Cidr {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  const bits = m ? Number(m[2]) : Number.NaN;
  if (!m || bits > 32) throw new Error(`invalid CIDR ${JSON.stringify(text)}: expected a.b.c.d/n`);
  const size = 2 ** (32 - bits);
  const base = Math.floor(ipToInt(m[1]!) / size) * size;
  return { base, bits, size, text: `${intToIp(base)}/${bits}` };
}

export function cidrContains(c: Cidr, ip: string): boolean {
  let n: number;
  try {
    n = ipToInt(ip);
  } catch {
    return false;
  }
  return n >= c.base && n < c.base + c.size;
}
