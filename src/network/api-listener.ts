/**
 * A second address for the API server: pods reach the `kubernetes` Service (10.96.0.1:443),
 * which the proxy DNATs to the bridge gateway, while the server itself listens where --listen
 * said (127.0.0.1 by default). This listener accepts on <gateway>:<port> and hands each raw
 * socket to the HTTPS server as if it had accepted it itself (`'connection'` is how Node's
 * tls.Server takes sockets in), so TLS, routing, auth and `close()` treat both alike.
 *
 * Contract: `close` stops accepting; the API server's own close ends the connections it was
 * handed. Safe to call twice.
 */
import type { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:net';

export class ApiGatewayListener {
  #server: Server | undefined;

  /** Resolves once listening; rejects with the bind error (EADDRNOTAVAIL, EADDRINUSE). */
  static async listen(api: EventEmitter, host: string, port: number): Promise<ApiGatewayListener> {
    const l = new ApiGatewayListener();
    const server = createServer((socket) => api.emit('connection', socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    l.#server = server;
    return l;
  }

  /**
   * Stops accepting at once. It does not wait for the handed-over connections (net.Server's
   * close callback would): they belong to the API server, whose close ends them.
   */
  close(): void {
    this.#server?.close();
    this.#server = undefined;
  }
}
