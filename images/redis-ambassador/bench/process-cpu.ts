/**
 * CPU time of a process and all its descendants and threads, in nanoseconds, from
 * /proc/<pid>/task/<tid>/schedstat (its first field is the time spent on the CPU, in ns; /proc/<pid>/stat
 * only has 10 ms ticks, too coarse for a one-second benchmark). Descendants count so that
 * `--workers 2` (a primary and its forked workers) is measured whole, like HAProxy's threads.
 */
import { readdirSync, readFileSync } from 'node:fs';

function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of stat is the parent pid; the command name (field 2) may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return kids;
}

function threadsCpuNs(pid: number): number {
  let total = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    }
  } catch {
    // exited while we looked
  }
  return total;
}

export function processTreeCpuNs(pid: number): number {
  let total = threadsCpuNs(pid);
  for (const child of childrenOf(pid)) total += processTreeCpuNs(child);
  return total;
}
