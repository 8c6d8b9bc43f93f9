/**
 * The standard process metrics (names and meanings as in the Prometheus client guidelines and
 * prom-client): CPU, start time, memory from /proc/self/status, file descriptors, V8 heap.
 * Read at scrape time only. On a system without /proc the /proc-based families render empty.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { checkFamily, type MetricFamily, type Sample } from './exposition.js';

const START_TIME_SECONDS = Math.round(Date.now() / 1000 - process.uptime());

function one(value: number): readonly Sample[] {
  return [{ value }];
}

/** `VmRSS`-style lines of /proc/self/status, in bytes; empty when /proc is not there. */
function procStatusBytes(): Map<string, number> {
  const out = new Map<string, number>();
  let text: string;
  try {
    text = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return out;
  }
  for (const m of text.matchAll(/^(Vm\w+):\s+(\d+) kB$/gm)) out.set(m[1] as string, Number(m[2]) * 1024);
  return out;
}

function statusSample(key: string): readonly Sample[] {
  const v = procStatusBytes().get(key);
  return v === undefined ? [] : one(v);
}

function openFds(): readonly Sample[] {
  try {
    // The listing itself holds one descriptor open while it runs; do not count it.
    return one(readdirSync('/proc/self/fd').length - 1);
  } catch {
    return [];
  }
}

function maxFds(): readonly Sample[] {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? one(Number(m[1])) : [];
  } catch {
    return [];
  }
}

const [major, minor, patch] = process.versions.node.split('.');

const FAMILIES: MetricFamily[] = [
  {
    name: 'process_cpu_user_seconds_total',
    help: 'Total user CPU time spent in seconds.',
    type: 'counter',
    collect: () => one(process.cpuUsage().user / 1e6),
  },
  {
    name: 'process_cpu_system_seconds_total',
    help: 'Total system CPU time spent in seconds.',
    type: 'counter',
    collect: () => one(process.cpuUsage().system / 1e6),
  },
  {
    name: 'process_cpu_seconds_total',
    help: 'Total user and system CPU time spent in seconds.',
    type: 'counter',
    collect: () => {
      const u = process.cpuUsage();
      return one((u.user + u.system) / 1e6);
    },
  },
  {
    name: 'process_start_time_seconds',
    help: 'Start time of the process since unix epoch in seconds.',
    type: 'gauge',
    collect: () => one(START_TIME_SECONDS),
  },
  {
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    type: 'gauge',
    collect: () => statusSample('VmRSS'),
  },
  {
    name: 'process_virtual_memory_bytes',
    help: 'Virtual memory size in bytes.',
    type: 'gauge',
    collect: () => statusSample('VmSize'),
  },
  {
    name: 'process_heap_bytes',
    help: 'Process heap size in bytes.',
    type: 'gauge',
    collect: () => statusSample('VmData'),
  },
  { name: 'process_open_fds', help: 'Number of open file descriptors.', type: 'gauge', collect: openFds },
  {
    name: 'process_max_fds',
    help: 'Maximum number of open file descriptors.',
    type: 'gauge',
    collect: maxFds,
  },
  {
    name: 'nodejs_heap_size_total_bytes',
    help: 'Process heap size from Node.js in bytes.',
    type: 'gauge',
    collect: () => one(process.memoryUsage().heapTotal),
  },
  {
    name: 'nodejs_heap_size_used_bytes',
    help: 'Process heap size used from Node.js in bytes.',
    type: 'gauge',
    collect: () => one(process.memoryUsage().heapUsed),
  },
  {
    name: 'nodejs_external_memory_bytes',
    help: 'Node.js external memory size in bytes.',
    type: 'gauge',
    collect: () => one(process.memoryUsage().external),
  },
  {
    name: 'nodejs_version_info',
    help: 'Node.js version info.',
    type: 'gauge',
    collect: () => [
      {
        labels: { version: process.version, major: major ?? '', minor: minor ?? '', patch: patch ?? '' },
        value: 1,
      },
    ],
  },
];

export const PROCESS_FAMILIES: readonly MetricFamily[] = FAMILIES.map(checkFamily);
