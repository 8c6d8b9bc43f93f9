/**
 * Where a Service sends new connections, seen from this host: one GET per connection, each
 * answered by a busybox httpd serving its pod's hostname (the services e2e's web pods).
 */
import { get } from 'node:http';

/** One HTTP GET over a new connection from this host; the body (a pod's hostname) or ERR. */
export function fetchOnce(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = get({ host, port, path: '/', agent: false, timeout: 1000 }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve(body.trim()));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve(`ERR:${e.message}`));
  });
}

/**
 * Milliseconds from `since` until `n` new connections in a row to host:port all miss `gone`
 * (with the other two backends each connection would hit it with p = 1/3: (2/3)^30 < 1e-5).
 */
export async function msUntilNotServed(host: string, port: number, gone: string, since: number, n = 30) {
  const deadline = Date.now() + 10_000;
  let streak = 0;
  let firstMiss = 0;
  while (Date.now() < deadline) {
    const t = Date.now();
    const who = await fetchOnce(host, port);
    // A failed connection proves nothing about where the Service sends traffic: it resets too.
    if (who === gone || who.startsWith('ERR:')) streak = 0;
    else if (streak++ === 0) firstMiss = t;
    if (streak >= n) return firstMiss - since;
  }
  throw new Error(`${gone} still served through ${host}:${port} after 10 s`);
}
