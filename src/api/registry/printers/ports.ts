/**
 * Port cells: a Service's Port(s) (printers.go makePortString) and the host:port pairs of an
 * Endpoints cell (net.JoinHostPort).
 */
import type { ServicePort } from 'kubernetes-types/core/v1';

/**
 * "80/TCP", or "80:30080/TCP" when a node port is allocated; several ports joined with ",".
 * The protocol is printed as stored (defaulting makes it TCP before anything is stored).
 * Returns "" for no ports: the caller decides the placeholder.
 */
export function makePortString(ports: readonly ServicePort[] | undefined): string {
  return (ports ?? [])
    .map((p) => {
      const protocol = p.protocol ?? '';
      return p.nodePort !== undefined && p.nodePort > 0
        ? `${p.port}:${p.nodePort}/${protocol}`
        : `${p.port}/${protocol}`;
    })
    .join(',');
}

/** net.JoinHostPort: IPv6 literals (anything with a colon) are bracketed. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
