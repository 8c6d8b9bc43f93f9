/** Promise wrapper for control-plane requests (ROLE, COMMAND, SENTINEL); never used on the data path. */
import { decodeReply, type RespValue } from '../resp/decode.js';
import { encodeCommand } from '../resp/request-parser.js';
import type { BackendConnection } from './backend-connection.js';

export function request(conn: BackendConnection, args: readonly string[]): Promise<RespValue> {
  return new Promise((resolve, reject) => {
    conn.send(encodeCommand(args), {
      onReply: (reply) => {
        try {
          resolve(decodeReply(reply));
        } catch (e) {
          reject(e);
        }
      },
      onError: (text: string) => reject(new Error(text)),
    });
  });
}
