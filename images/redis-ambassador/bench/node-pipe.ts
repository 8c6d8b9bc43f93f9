/**
 * The benchmark's floor for any Node.js proxy: each client connection gets its own connection to the
 * master and bytes are piped both ways with no parsing at all (what HAProxy does in `mode tcp`). It
 * separates what the ambassador's own work costs from what Node's socket layer costs: if this program is
 * not faster than the ambassador, the gap to HAProxy is the runtime's, not the ambassador's.
 *
 *   node images/redis-ambassador/dist/bench/node-pipe.js LISTEN_PORT MASTER_PORT
 *
 * Listens on 127.0.0.1 only; exits on SIGTERM/SIGINT.
 */
import net from 'node:net';

const [listenPort, masterPort] = process.argv.slice(2).map(Number);
if (!Number.isInteger(listenPort) || !Number.isInteger(masterPort)) {
  console.error('usage: node-pipe.js LISTEN_PORT MASTER_PORT');
  process.exit(2);
}

const server = net.createServer({ noDelay: true }, (client) => {
  const backend = net.connect({ host: '127.0.0.1', port: masterPort!, noDelay: true });
  client.pipe(backend);
  backend.pipe(client);
  const close = (): void => {
    client.destroy();
    backend.destroy();
  };
  for (const s of [client, backend]) {
    s.on('error', close);
    s.on('close', close);
  }
});
server.listen(listenPort, '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
