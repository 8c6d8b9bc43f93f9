/**
 * The CRI container log format (kubelet pkg/kubelet/kuberuntime/logs): one record per line,
 * `<RFC3339Nano time> <stdout|stderr> <P|F> <content>\n`. A line longer than the runtime's buffer
 * is cut into P (partial) records ended by one F (full) record; the parser joins them, per stream,
 * into one log line stamped with its first record's time.
 *
 * Pure and incremental: feed it chunks in file order, it returns the lines completed so far.
 */

export type LogStream = 'stdout' | 'stderr';

/** One log line as `kubectl logs` shows it. */
export interface LogLine {
  /** The record's time, normalised to 9 fraction digits (kubelet's output format). */
  timestamp: string;
  /** Milliseconds since the epoch, for sinceTime/sinceSeconds filtering. */
  timeMs: number;
  stream: LogStream;
  /** The line's bytes including its trailing newline (a line still partial at EOF has none). */
  content: Buffer;
}

export class CriLogFormatError extends Error {
  override readonly name = 'CriLogFormatError';
  readonly code = 'CRI_LOG_FORMAT';
}

interface CriRecord {
  timestamp: string;
  timeMs: number;
  stream: LogStream;
  partial: boolean;
  content: Buffer;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Go's RFC3339Nano with any fraction length, normalised to exactly nine digits. */
export function normaliseTimestamp(raw: string): { timestamp: string; timeMs: number } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(raw);
  if (!m) throw new CriLogFormatError(`timestamp ${JSON.stringify(raw)} is not RFC3339`);
  const timeMs = Date.parse(raw);
  if (Number.isNaN(timeMs))
    throw new CriLogFormatError(`timestamp ${JSON.stringify(raw)} is not a valid time`);
  if (m[3] !== 'Z') {
    // Re-express in UTC, keeping the sub-millisecond digits the Date cannot hold.
    const frac = (m[2] ?? '').padEnd(9, '0');
    const utc = new Date(Math.floor(timeMs / 1000) * 1000).toISOString().slice(0, 19);
    return { timestamp: `${utc}.${frac}Z`, timeMs };
  }
  return { timestamp: `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z`, timeMs };
}

/** Parses one record (without its newline). Throws CriLogFormatError naming the bad field. */
export function parseCriRecord(line: Buffer): CriRecord {
  const s1 = line.indexOf(SPACE);
  if (s1 < 0) throw new CriLogFormatError('record has no space after the timestamp');
  const s2 = line.indexOf(SPACE, s1 + 1);
  if (s2 < 0) throw new CriLogFormatError(`record has no space after the stream at byte ${s1 + 1}`);
  const stream = line.toString('latin1', s1 + 1, s2);
  if (stream !== 'stdout' && stream !== 'stderr') {
    throw new CriLogFormatError(`stream ${JSON.stringify(stream)} at byte ${s1 + 1} is not stdout or stderr`);
  }
  // The tag is one of P/F; containerd also allows a tag list (`F:x`), so take the text up to the space.
  let s3 = line.indexOf(SPACE, s2 + 1);
  if (s3 < 0) s3 = line.length; // an empty F record may end right after its tag
  const tag = line.toString('latin1', s2 + 1, s3).split(':')[0];
  if (tag !== 'P' && tag !== 'F') {
    throw new CriLogFormatError(`tag ${JSON.stringify(tag)} at byte ${s2 + 1} is not P or F`);
  }
  return {
    ...normaliseTimestamp(line.toString('latin1', 0, s1)),
    stream,
    partial: tag === 'P',
    content: line.subarray(Math.min(s3 + 1, line.length)),
  };
}

/**
 * Incremental parser for one container's log files, in write order. Partial records are held
 * per stream until their F record arrives; bytes after the last newline are held until the
 * next chunk completes them.
 */
export class CriLogParser {
  #carry: Buffer = Buffer.alloc(0);
  readonly #partials = new Map<LogStream, { first: CriRecord; parts: Buffer[] }>();
  /** Records that did not parse, counted rather than failing the whole log (kubelet logs and skips them). */
  skipped = 0;

  push(chunk: Buffer): LogLine[] {
    const data = this.#carry.length ? Buffer.concat([this.#carry, chunk]) : chunk;
    const out: LogLine[] = [];
    let start = 0;
    for (let nl = data.indexOf(NEWLINE); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
      const line = this.#onRecord(data.subarray(start, nl));
      if (line) out.push(line);
      start = nl + 1;
    }
    this.#carry = Buffer.from(data.subarray(start));
    return out;
  }

  /** Ends the input: partial lines still pending are returned without a newline. */
  flush(): LogLine[] {
    const out: LogLine[] = [];
    for (const [stream, p] of this.#partials) {
      out.push({ ...stamp(p.first), stream, content: Buffer.concat(p.parts) });
    }
    this.#partials.clear();
    return out;
  }

  #onRecord(raw: Buffer): LogLine | undefined {
    let r: CriRecord;
    try {
      r = parseCriRecord(raw);
    } catch (e) {
      if (!(e instanceof CriLogFormatError)) throw e;
      this.skipped++;
      return undefined;
    }
    const pending = this.#partials.get(r.stream);
    if (r.partial) {
      if (pending) pending.parts.push(r.content);
      else this.#partials.set(r.stream, { first: r, parts: [r.content] });
      return undefined;
    }
    const first = pending?.first ?? r;
    const parts = pending ? [...pending.parts, r.content] : [r.content];
    this.#partials.delete(r.stream);
    return { ...stamp(first), stream: r.stream, content: Buffer.concat([...parts, Buffer.from('\n')]) };
  }
}

const stamp = (r: CriRecord) => ({ timestamp: r.timestamp, timeMs: r.timeMs });
