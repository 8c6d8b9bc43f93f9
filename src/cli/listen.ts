/** Parses `HOST:PORT` (IPv6 as `[::1]:6443`); a clear error names the flag and the value. */
export function parseListen(value: string, flag = '--listen'): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535) {
    throw new Error(
      `${flag}: invalid value ${JSON.stringify(value)}: expected HOST:PORT, e.g. 127.0.0.1:6443 or [::1]:6443`,
    );
  }
  return { host: (m[1] ?? m[2])!, port };
}
