/**
 * terminationMessagePath / terminationMessagePolicy (kuberuntime_container.go makeMounts and
 * getTerminationMessage): each container start gets a fresh empty file (0666) under the pod dir,
 * bind-mounted at terminationMessagePath; its host path travels as a container annotation, so a
 * restarted kubelet still finds it. When the container exited, the file's first 4 KiB become the
 * terminated state's message; with FallbackToLogsOnError, an empty file and a non-zero exit, the
 * last 80 lines (at most 2 KiB) of the container's log are used instead.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1';
import type { Mount } from '../runtime/types.js';

export const TERMINATION_MESSAGE_HOST_PATH = 'podbay.io/termination-message-host-path';
export const TERMINATION_MESSAGE_POLICY = 'io.kubernetes.container.terminationMessagePolicy';
const DEFAULT_PATH = '/dev/termination-log';
const MAX_MESSAGE_BYTES = 4096;
const MAX_LOG_BYTES = 2048;
const MAX_LOG_LINES = 80;

/** Creates the file and returns the mount plus the annotations to record on the container. */
export async function prepareTerminationMessage(
  podDir: string,
  container: Container,
): Promise<{ mount: Mount; annotations: Record<string, string> } | undefined> {
  const target = container.terminationMessagePath ?? DEFAULT_PATH;
  if (!target) return undefined;
  const dir = join(podDir, 'containers', container.name);
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const hostPath = join(dir, randomBytes(4).toString('hex'));
  await writeFile(hostPath, '');
  await chmod(hostPath, 0o666); // any container user may write it, whatever the umask
  return {
    mount: { hostPath, containerPath: target, readonly: false, propagation: 'private' },
    annotations: {
      [TERMINATION_MESSAGE_HOST_PATH]: hostPath,
      [TERMINATION_MESSAGE_POLICY]: container.terminationMessagePolicy ?? 'File',
    },
  };
}

/** The message for an exited container, or '' (read synchronously: a few KiB at most). */
export function readTerminationMessage(
  annotations: Readonly<Record<string, string>>,
  exitCode: number,
  logPath: string,
): string {
  const file = annotations[TERMINATION_MESSAGE_HOST_PATH];
  const message = file ? readHead(file, MAX_MESSAGE_BYTES) : '';
  if (message || annotations[TERMINATION_MESSAGE_POLICY] !== 'FallbackToLogsOnError' || exitCode === 0) {
    return message;
  }
  return lastLogLines(readTail(logPath, 64 * 1024));
}

/** The message text of the last CRI log lines (`<time> <stream> <P|F> <text>`), joined. */
export function lastLogLines(cri: string): string {
  let text = '';
  for (const line of cri.split('\n')) {
    const m = /^\S+ (?:stdout|stderr) ([PF]) ?(.*)$/.exec(line);
    if (!m) continue;
    text += m[2] + (m[1] === 'F' ? '\n' : '');
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const tail = `${lines.slice(-MAX_LOG_LINES).join('\n')}${lines.length > 0 ? '\n' : ''}`;
  return Buffer.byteLength(tail) > MAX_LOG_BYTES
    ? Buffer.from(tail).subarray(-MAX_LOG_BYTES).toString('utf8')
    : tail;
}

function readHead(path: string, max: number): string {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(max);
      const n = readSync(fd, buf, 0, max, 0);
      return buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

function readTail(path: string, max: number): string {
  try {
    const size = statSync(path).size;
    const fd = openSync(path, 'r');
    try {
      const len = Math.min(size, max);
      const buf = Buffer.alloc(len);
      const n = readSync(fd, buf, 0, len, size - len);
      return buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}
