/**
 * klog-style lines on stderr (`I1125 08:00:13.123456 12345 msg`), what Kubernetes operators
 * expect from a control-plane process. stdout stays free for command output.
 */
export function klog(level: 'I' | 'W' | 'E', msg: string): void {
  const d = new Date();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`;
  process.stderr.write(`${level}${stamp} ${String(process.pid).padStart(7)} ${msg}\n`);
}
