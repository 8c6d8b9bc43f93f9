/**
 * net.ipv4.conf.all.route_localnet, the one host-wide sysctl podbay changes: the Service proxy turns it on
 * so NodePorts answer on 127.0.0.1 (see proxier.ts). The value from before is kept in the engine's data dir
 * until teardown puts it back, so the file still being there after a stop means the host was not restored.
 */
import { join } from 'node:path';

export const ROUTE_LOCALNET = 'net.ipv4.conf.all.route_localnet';

/** The same setting read without spawning sysctl. */
export const ROUTE_LOCALNET_PROC = '/proc/sys/net/ipv4/conf/all/route_localnet';

/** Where an engine with this data dir keeps route_localnet's value from before it started. */
export function routeLocalnetStateFile(dataDir: string): string {
  return join(dataDir, 'proxy', 'route_localnet.before');
}
