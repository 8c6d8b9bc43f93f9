/**
 * Service link environment variables (kubelet getServiceEnvVarMap + envvars.FromServices):
 * `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT[_<PORT NAME>]` and the Docker-link style
 * `<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]`. The `kubernetes` service of the
 * `default` namespace is always linked; the pod's own namespace only with enableServiceLinks.
 */
import type { Service } from 'kubernetes-types/core/v1';

const MASTER_SERVICE_NAMESPACE = 'default';
const MASTER_SERVICES = new Set(['kubernetes']);

export function serviceEnv(
  services: readonly Service[],
  namespace: string,
  enableServiceLinks: boolean,
): Map<string, string> {
  const chosen = new Map<string, Service>();
  for (const service of services) {
    if (!isServiceIPSet(service)) continue;
    const name = service.metadata?.name ?? '';
    const ns = service.metadata?.namespace ?? '';
    if (ns === MASTER_SERVICE_NAMESPACE && MASTER_SERVICES.has(name)) {
      if (!chosen.has(name)) chosen.set(name, service);
    } else if (ns === namespace && enableServiceLinks) {
      chosen.set(name, service);
    }
  }
  const env = new Map<string, string>();
  for (const name of [...chosen.keys()].sort()) {
    for (const [k, v] of fromService(chosen.get(name) as Service)) env.set(k, v);
  }
  return env;
}

function isServiceIPSet(service: Service): boolean {
  const ip = service.spec?.clusterIP;
  return ip !== undefined && ip !== '' && ip !== 'None';
}

const envName = (s: string) => s.replaceAll('-', '_').toUpperCase();

function fromService(service: Service): [string, string][] {
  const prefix = envName(service.metadata?.name ?? '');
  const ip = service.spec?.clusterIP ?? '';
  const ports = service.spec?.ports ?? [];
  const out: [string, string][] = [[`${prefix}_SERVICE_HOST`, ip]];
  if (ports[0]) out.push([`${prefix}_SERVICE_PORT`, String(ports[0].port)]);
  for (const port of ports) {
    if (port.name) out.push([`${prefix}_SERVICE_PORT_${envName(port.name)}`, String(port.port)]);
  }
  const hostPort = (port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
  ports.forEach((port, i) => {
    const protocol = port.protocol || 'TCP';
    const url = `${protocol.toLowerCase()}://${hostPort(port.port)}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${port.port}_${protocol.toUpperCase()}`;
    out.push(
      [portPrefix, url],
      [`${portPrefix}_PROTO`, protocol.toLowerCase()],
      [`${portPrefix}_PORT`, String(port.port)],
      [`${portPrefix}_ADDR`, ip],
    );
  });
  return out;
}
