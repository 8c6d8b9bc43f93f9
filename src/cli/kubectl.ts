/**
 * The stock kubectl, run against one podbay data dir: its kubeconfig, and a discovery cache of
 * podbay's own (`<data dir>/kubecache`) so the user's ~/.kube/cache is neither read nor written.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Overridable for machines where kubectl is elsewhere; podbay tests use the Debian path. */
export const KUBECTL = process.env.PODBAY_KUBECTL ?? '/usr/bin/kubectl';

export class KubectlError extends Error {
  readonly code = 'PODBAY_KUBECTL';
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectlEnv(dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KUBECONFIG: join(dataDir, 'kubeconfig'),
    KUBECACHEDIR: join(dataDir, 'kubecache'),
  };
}

export function runKubectl(dataDir: string, args: string[], timeoutMs = 120_000): Promise<KubectlResult> {
  if (!existsSync(KUBECTL)) {
    return Promise.reject(
      new KubectlError(`kubectl not found at ${KUBECTL} (set PODBAY_KUBECTL to its path)`),
    );
  }
  return new Promise((resolve, reject) => {
    const p = spawn(KUBECTL, args, { env: kubectlEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', reject);
    p.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr });
    });
  });
}
