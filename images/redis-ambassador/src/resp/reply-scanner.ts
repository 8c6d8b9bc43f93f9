/**
 * Finds where one backend reply ends, without decoding it. The proxy forwards reply bytes untouched, so
 * all it needs is the frame boundary. Handles every RESP2 and RESP3 type Redis sends (`+ - : $ *` and
 * `_ , # ( ! = % ~ > |`).
 *
 * Contract: `scanReply(buf, offset)` returns the offset just past the reply starting at `offset`, or, when
 * the buffer does not yet hold all of it, a negative number whose magnitude is a buffer length that must be
 * reached before scanning again can succeed (so a large reply arriving in many chunks is not re-scanned
 * on every chunk). A byte that cannot start a reply throws
 * `ReplySyntaxError`; the caller treats the backend connection as broken.
 */
export class ReplySyntaxError extends Error {
  constructor(
    detail: string,
    readonly byteOffset: number,
  ) {
    super(`${detail} at byte ${byteOffset}`);
    this.name = 'ReplySyntaxError';
  }
}

const CR = 13;
/** The shortest element, e.g. `_\r\n` or `+\r\n`. */
const MIN_ELEMENT_BYTES = 3;

/** Parses the integer on the line at `start` (just after the type byte) up to `cr`. */
function lineInteger(buf: Buffer, start: number, cr: number): number {
  let i = start;
  let negative = false;
  if (buf[i] === 45) {
    negative = true;
    i++;
  }
  if (buf[i] === 63 /* ? streamed aggregate */)
    throw new ReplySyntaxError('streamed aggregates are unsupported', i);
  let v = 0;
  for (; i < cr; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) throw new ReplySyntaxError('invalid length', i);
    v = v * 10 + d;
  }
  return negative ? -v : v;
}

export function scanReply(buf: Buffer, offset: number): number {
  let pos = offset;
  // Elements still to read; attributes (`|`) add pairs without consuming the element they decorate.
  let pending = 1;
  while (pending > 0) {
    // When incomplete, every element still to come takes at least MIN_ELEMENT_BYTES: a long array
    // arriving in many reads is then scanned again only as that bound is reached, not on every read.
    if (pos >= buf.length) return -(pos + pending * MIN_ELEMENT_BYTES);
    const type = buf[pos]!;
    const cr = buf.indexOf(CR, pos + 1);
    if (cr === -1 || cr + 1 >= buf.length)
      return -(Math.max(buf.length + 1, pos + MIN_ELEMENT_BYTES) + (pending - 1) * MIN_ELEMENT_BYTES);
    const next = cr + 2;
    switch (type) {
      case 43: // + simple string
      case 45: // - error
      case 58: // : integer
      case 95: // _ null
      case 44: // , double
      case 35: // # boolean
      case 40: // ( big number
        pending--;
        pos = next;
        break;
      case 36: // $ bulk string
      case 33: // ! bulk error
      case 61: {
        // = verbatim string
        const len = lineInteger(buf, pos + 1, cr);
        pending--;
        if (len < 0) {
          pos = next;
          break;
        }
        if (next + len + 2 > buf.length) return -(next + len + 2 + pending * MIN_ELEMENT_BYTES);
        pos = next + len + 2;
        break;
      }
      case 42: // * array
      case 126: // ~ set
      case 62: {
        // > push
        const n = lineInteger(buf, pos + 1, cr);
        pending += Math.max(n, 0) - 1;
        pos = next;
        break;
      }
      case 37: {
        // % map
        const n = lineInteger(buf, pos + 1, cr);
        pending += 2 * n - 1;
        pos = next;
        break;
      }
      case 124: {
        // | attribute: n pairs, then the element it decorates (still counted in `pending`)
        const n = lineInteger(buf, pos + 1, cr);
        pending += 2 * n;
        pos = next;
        break;
      }
      default:
        throw new ReplySyntaxError(`unexpected reply type byte 0x${type.toString(16)}`, pos);
    }
  }
  return pos;
}
