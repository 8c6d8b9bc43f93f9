/**
 * Turns configured host[:port] entries into addresses. A name may resolve to several addresses (a headless
 * Service lists every pod), and each address becomes its own backend. When a name resolves to both IPv4
 * and IPv6 (typically `localhost`) only the IPv4 addresses are kept, so one server is not counted twice.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { HostPort } from '../config/config.js';

export async function resolveAll(
  entries: readonly HostPort[],
): Promise<{ addresses: HostPort[]; errors: string[] }> {
  const addresses: HostPort[] = [];
  const errors: string[] = [];
  await Promise.all(
    entries.map(async (e) => {
      if (isIP(e.host)) {
        addresses.push(e);
        return;
      }
      try {
        const found = await lookup(e.host, { all: true });
        const v4 = found.filter((f) => f.family === 4);
        for (const f of v4.length > 0 ? v4 : found) addresses.push({ host: f.address, port: e.port });
      } catch (err) {
        errors.push(`${e.host}: ${(err as Error).message}`);
      }
    }),
  );
  return { addresses, errors };
}
