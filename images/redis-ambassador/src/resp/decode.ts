/**
 * Full decoder for the few replies the ambassador reads itself (ROLE, COMMAND, SENTINEL, HELLO). Not on
 * the data path: client traffic is only framed (reply-scanner.ts), never decoded.
 */
import { ReplySyntaxError, scanReply } from './reply-scanner.js';

/** A decoded reply. Errors are returned as `RespError` values, not thrown, because they are data here. */
export type RespValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | RespError
  | RespValue[]
  | Map<string, RespValue>;

export class RespError {
  constructor(readonly message: string) {}
}

/** Decodes exactly one complete reply (the caller has framed it with scanReply). */
export function decodeReply(buf: Buffer): RespValue {
  if (scanReply(buf, 0) < 0) throw new ReplySyntaxError('incomplete reply', buf.length);
  return decodeAt(buf, 0)[0];
}

function line(buf: Buffer, pos: number): [string, number] {
  const cr = buf.indexOf(13, pos);
  return [buf.toString('utf8', pos, cr), cr + 2];
}

function decodeAt(buf: Buffer, pos: number): [RespValue, number] {
  const type = String.fromCharCode(buf[pos]!);
  const [text, next] = line(buf, pos + 1);
  switch (type) {
    case '+':
      return [text, next];
    case '-':
      return [new RespError(text), next];
    case ':':
      return [Number(text), next];
    case '_':
      return [null, next];
    case ',':
      return [Number(text), next];
    case '#':
      return [text === 't', next];
    case '(':
      return [BigInt(text), next];
    case '$':
    case '!':
    case '=': {
      const len = Number(text);
      if (len < 0) return [null, next];
      const s = buf.toString('utf8', next, next + len);
      return [type === '!' ? new RespError(s) : type === '=' ? s.slice(4) : s, next + len + 2];
    }
    case '*':
    case '~':
    case '>': {
      const n = Number(text);
      if (n < 0) return [null, next];
      const out: RespValue[] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const [v, q] = decodeAt(buf, p);
        out.push(v);
        p = q;
      }
      return [out, p];
    }
    case '%':
    case '|': {
      const n = Number(text);
      const out = new Map<string, RespValue>();
      let p = next;
      for (let i = 0; i < n; i++) {
        const [k, q] = decodeAt(buf, p);
        const [v, r] = decodeAt(buf, q);
        out.set(String(k), v);
        p = r;
      }
      // An attribute decorates the next value: skip it and return that value.
      return type === '|' ? decodeAt(buf, p) : [out, p];
    }
    default:
      throw new ReplySyntaxError(`unexpected reply type '${type}'`, pos);
  }
}
