/**
 * tcpSocket probes (pkg/probe/tcp): success when a TCP connection opens within the timeout; the
 * connection is closed at once. Failure texts follow Go's dialer.
 */
import net from 'node:net';
import { setLongTimeout } from '../../util/long-timeout.js';
import type { ProbeRunResult } from './probe-spec.js';

export function runTcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeRunResult> {
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: ProbeRunResult) => {
      timer.clear();
      socket.destroy();
      resolve(result);
    };
    const timer = setLongTimeout(
      () => done({ outcome: 'Failure', output: `dial tcp ${address}: i/o timeout` }),
      timeoutMs,
    );
    socket.once('connect', () => done({ outcome: 'Success', output: '' }));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const reason =
        err.code === 'ECONNREFUSED'
          ? 'connect: connection refused'
          : err.code === 'EHOSTUNREACH'
            ? 'connect: no route to host'
            : err.message;
      done({ outcome: 'Failure', output: `dial tcp ${address}: ${reason}` });
    });
  });
}
