/**
 * A client's input not parsed yet: the bytes `buf[pos..]` the parser works on, plus reads listed aside
 * while joining them would be wasted work.
 *
 * States (ClientSession moves between them; `push` reports when the parser should run):
 *   parsing    each read is appended to `buf` and parsed at once.
 *   gathering  the command at `pos` is still short of `needBytes`: reads are listed and joined once the
 *              command may be complete, or after GATHER_IDLE_MS of silence (so a bad argument header
 *              sent before a pause is still answered). Joining on every read would copy a 60 MiB value
 *              a thousand times and stall every other client.
 *   held       parsing waits (a barrier, the pipeline bound): reads are listed, not joined, until
 *              parsing resumes (`ready`). A client blocked in `BLPOP k 0` is read on in this state, so
 *              the list can grow to the query-buffer limit; joining it per read would be quadratic.
 */

const EMPTY = Buffer.alloc(0);
/** A client silent this long mid-command has what it sent parsed. */
const GATHER_IDLE_MS = 10;

export class ClientInput {
  buf: Buffer = EMPTY;
  pos = 0;
  /** Bytes from `pos` that the command being read needs before it can be parsed (0: unknown/none). */
  needBytes = 0;
  /** Parsing waits: reads are listed until `ready()`. */
  held = false;
  private later: Buffer[] = [];
  private laterBytes = 0;
  private gatherTimer: NodeJS.Timeout | undefined;

  /** `onGathered` runs when a gathering pause ends with the reads joined: parse them. */
  constructor(private readonly onGathered: () => void) {}

  /** Bytes read and not parsed yet. */
  get unparsedBytes(): number {
    return this.buf.length - this.pos + this.laterBytes;
  }

  get hasUnparsed(): boolean {
    return this.pos < this.buf.length || this.laterBytes > 0;
  }

  /** Adds one read; true when the parser should run now. */
  push(chunk: Buffer): boolean {
    if (this.held || this.needBytes > 0) {
      this.later.push(chunk);
      this.laterBytes += chunk.length;
      if (this.held) return false;
      if (this.buf.length - this.pos + this.laterBytes < this.needBytes) {
        if (this.gatherTimer) this.gatherTimer.refresh();
        else this.gatherTimer = setTimeout(() => this.gatherIdle(), GATHER_IDLE_MS);
        return false;
      }
      this.join();
      return true;
    }
    this.buf = this.pos >= this.buf.length ? chunk : Buffer.concat([this.buf.subarray(this.pos), chunk]);
    this.pos = 0;
    return true;
  }

  /** Before a parse pass: ends `held`, and makes listed reads parseable unless the command still lacks bytes. */
  ready(): void {
    if (this.laterBytes > 0 && (this.held || this.buf.length - this.pos + this.laterBytes >= this.needBytes))
      this.join();
    this.held = false;
  }

  /** Everything unparsed, as one buffer, and the input emptied (the tunnel passes it on). */
  take(): Buffer {
    if (this.laterBytes > 0) this.join();
    const rest = this.buf.subarray(this.pos);
    this.clear();
    return rest;
  }

  /** Drops everything unparsed (QUIT, protocol error, close). */
  clear(): void {
    clearTimeout(this.gatherTimer);
    this.gatherTimer = undefined;
    this.buf = EMPTY;
    this.pos = 0;
    this.needBytes = 0;
    this.later = [];
    this.laterBytes = 0;
  }

  private join(): void {
    clearTimeout(this.gatherTimer);
    this.gatherTimer = undefined;
    this.buf = Buffer.concat([this.buf.subarray(this.pos), ...this.later]);
    this.pos = 0;
    this.later = [];
    this.laterBytes = 0;
  }

  private gatherIdle(): void {
    this.gatherTimer = undefined;
    if (this.laterBytes === 0 || this.held) return;
    this.join();
    this.onGathered();
  }
}
