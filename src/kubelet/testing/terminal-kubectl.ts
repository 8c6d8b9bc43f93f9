/**
 * The stock kubectl on a terminal, for the interactive CKAD workflows (`kubectl run -it`,
 * `kubectl attach -it`, `kubectl debug -it`): util-linux `script` gives it a pty whose size is
 * set to ROWS x COLS before kubectl starts. Output (the terminal's, echo included) accumulates
 * in `output`; `stop` kills `script` by pid if a test left it running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { KUBECTL, type TestServer, waitFor } from '../../../test/e2e/harness.js';

export class TerminalKubectl {
  readonly proc: ChildProcess;
  output = '';
  readonly exited: Promise<number>;

  constructor(server: TestServer, args: string[], rows: number, cols: number) {
    const command = `stty rows ${rows} cols ${cols}; exec ${KUBECTL} ${args.join(' ')}`;
    this.proc = spawn('script', ['-q', '-f', '-e', '-c', command, '/dev/null'], {
      env: {
        ...process.env,
        KUBECONFIG: server.kubeconfig,
        KUBECACHEDIR: server.cacheDir,
        HOME: server.cacheDir,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const collect = (d: Buffer) => {
      this.output += d.toString();
    };
    this.proc.stdout!.on('data', collect);
    this.proc.stderr!.on('data', collect);
    this.exited = new Promise((resolve) => this.proc.on('close', (code) => resolve(code ?? 128)));
  }

  type(text: string): void {
    this.proc.stdin!.write(text);
  }

  /** Waits until the output matches; a timeout reports the output as it is then. */
  async waitFor(pattern: RegExp, what: string, timeoutMs = 30_000): Promise<void> {
    try {
      await waitFor(async () => pattern.test(this.output), what, timeoutMs);
    } catch (err) {
      throw new Error(`${(err as Error).message} in:\n${this.output}`);
    }
  }

  /** Stops `script` (and kubectl under it) by pid if the test left it running. Safe to call twice. */
  stop(): void {
    if (this.proc.exitCode === null && this.proc.pid) process.kill(this.proc.pid, 'SIGKILL');
  }
}
