/**
 * Process identity helpers: a pid alone can be recycled, so the runtime records a process's start
 * time (field 22 of /proc/<pid>/stat) and only signals a pid whose start time still matches.
 */
import { readFileSync } from 'node:fs';

export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

/** True when `pid` is still the process that had `startTime` (and is not a zombie). */
export function isSameProcessAlive(pid: number, startTime: number): boolean {
  if (pid <= 0) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] !== 'Z' && Number(fields[19]) === startTime;
  } catch {
    return false;
  }
}

export function signalIfSame(pid: number, startTime: number, signal: NodeJS.Signals): boolean {
  if (!isSameProcessAlive(pid, startTime)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

export async function waitUntil(predicate: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return predicate();
}
