/**
 * Interprets a decoded `ROLE` reply (redis.io "ROLE"):
 *   master:  ["master", offset, [[ip, port, ackOffset], …]]
 *   replica: ["slave", masterHost, masterPort, state, offset]   (state "connected" when in sync)
 *   sentinel: ["sentinel", [names…]]
 */
import { RespError, type RespValue } from '../resp/decode.js';

export type RoleInfo =
  | { readonly role: 'master'; readonly offset: number }
  | {
      readonly role: 'replica';
      readonly offset: number;
      readonly linkUp: boolean;
      readonly masterHost: string;
      readonly masterPort: number;
    }
  | { readonly role: 'sentinel' };

export function parseRole(reply: RespValue): RoleInfo {
  if (reply instanceof RespError) throw new Error(`ROLE failed: ${reply.message}`);
  if (!Array.isArray(reply) || typeof reply[0] !== 'string') throw new Error('ROLE reply is not an array');
  switch (reply[0]) {
    case 'master':
      return { role: 'master', offset: Number(reply[1]) || 0 };
    case 'slave':
    case 'replica':
      return {
        role: 'replica',
        masterHost: String(reply[1]),
        masterPort: Number(reply[2]),
        linkUp: reply[3] === 'connected',
        offset: Number(reply[4]) || 0,
      };
    case 'sentinel':
      return { role: 'sentinel' };
    default:
      throw new Error(`ROLE reply names unknown role "${reply[0]}"`);
  }
}
