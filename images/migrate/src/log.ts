// golang-migrate's CLI logger (internal/cli/log.go): everything goes to stderr; with -verbose each line
// gets Go's standard log prefix "2006/01/02 15:04:05 " in local time.

export interface Log {
  readonly verbose: boolean;
  /** Writes one line (a trailing newline is added when missing). */
  println(...parts: unknown[]): void;
  /** Only in -verbose mode. */
  verbosePrintln(...parts: unknown[]): void;
}

function goLogPrefix(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} `;
}

export function createLog(
  verbose: boolean,
  write: (s: string) => void = (s) => process.stderr.write(s),
): Log {
  const println = (...parts: unknown[]) => {
    const line = parts.map(String).join(' ');
    write(`${verbose ? goLogPrefix(new Date()) : ''}${line.endsWith('\n') ? line : `${line}\n`}`);
  };
  return {
    verbose,
    println,
    verbosePrintln: (...parts) => {
      if (verbose) println(...parts);
    },
  };
}
