/**
 * Tunnel mode for SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE/MONITOR: the client's private master connection becomes
 * a byte pipe in both directions (push messages cannot be matched to requests). Backpressure runs both
 * ways: a side whose socket buffer is full pauses reading from the other.
 */
import type { BackendConnection } from '../backend/backend-connection.js';
import type { ClientSocket } from './client-socket.js';

export function enterTunnel(
  from: ClientSocket,
  backend: BackendConnection,
  first: Buffer,
  onEnd: () => void,
): void {
  const client = from.socket;
  backend.becomeTunnel((b) => {
    if (!client.write(b)) {
      backend.pauseReading();
      client.once('drain', () => backend.resumeReading());
    }
  }, onEnd);
  backend.writeRaw(first);
  from.setReader((b) => {
    if (!backend.writeRaw(b)) {
      client.pause();
      backend.onDrain(() => client.resume());
    }
  });
  client.resume();
}
