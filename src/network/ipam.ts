/**
 * Pod IP allocation, persisted like the CNI host-local plugin: one file per allocated address under
 * `<dataDir>/network/ipam/<ip>`, holding the owner's sandbox id. Creating the file with O_EXCL is
 * the allocation, so two allocators cannot hand out one address, and a restarted engine sees every
 * address still in use. This module is the only writer of that directory.
 */
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Cidr, intToIp, ipToInt, parseCidr } from './cidr.js';

export class IpPoolExhaustedError extends Error {
  override readonly name = 'IpPoolExhaustedError';
}

export class IpAllocator {
  readonly cidr: Cidr;
  readonly dir: string;
  /** Where the next search starts, so freed addresses are not reused at once (host-local does the same). */
  #cursor = 0;

  constructor(dataDir: string, cidrText: string) {
    this.cidr = parseCidr(cidrText);
    if (this.cidr.bits > 30) throw new Error(`pod CIDR ${cidrText}: needs at least 4 addresses (/30)`);
    this.dir = join(dataDir, 'network', 'ipam');
  }

  /** The bridge's own address: the first usable address of the range. */
  get gateway(): string {
    return intToIp(this.cidr.base + 1);
  }

  async allocate(owner: string): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    // Usable: base+2 (after the gateway) .. broadcast-1.
    const first = this.cidr.base + 2;
    const count = this.cidr.size - 3;
    for (let i = 0; i < count; i++) {
      const n = first + ((this.#cursor + i) % count);
      const ip = intToIp(n);
      try {
        const fh = await open(join(this.dir, ip), 'wx');
        await fh.writeFile(owner);
        await fh.close();
        this.#cursor = n - first + 1;
        return ip;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    throw new IpPoolExhaustedError(`no free address left in pod CIDR ${this.cidr.text}`);
  }

  /** Releases `ip` if `owner` holds it. Safe to call twice. */
  async release(ip: string, owner: string): Promise<void> {
    const file = join(this.dir, intToIp(ipToInt(ip)));
    const holder = await readFile(file, 'utf8').catch(() => undefined);
    if (holder === owner) await unlink(file).catch(() => {});
  }

  /** Every allocation, address -> owner. */
  async list(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const n of names) out.set(n, await readFile(join(this.dir, n), 'utf8').catch(() => ''));
    return out;
  }
}
