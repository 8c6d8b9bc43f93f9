/**
 * exec probes (pkg/probe/exec): the command runs inside the container through the runtime; exit
 * code 0 is success, anything else failure; output (stdout then stderr) is kept up to 10 KiB; a
 * command that outlives timeoutSeconds fails the probe (ExecProbeTimeout, on since 1.20).
 */
import { goQuote } from '../env-fields.js';
import { MAX_PROBE_OUTPUT_BYTES, type ProbeRunResult } from './probe-spec.js';

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/**
 * CRI ExecSync, shaped like the runtime's StreamingRuntime.execSync so the runtime can be passed
 * as is.
 */
export interface ExecRunner {
  /**
   * Runs `cmd` in the container's namespaces and root, killing it after timeoutSeconds. A
   * rejection is a timeout when it is an ExecTimeoutError or comes once the timeout has elapsed
   * (the runtime's own timeout error); any other rejection is a runtime error (container gone).
   */
  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecResult>;
}

export class ExecTimeoutError extends Error {
  override readonly name = 'ExecTimeoutError';
  constructor(cmd: readonly string[]) {
    // The CRI client's text: fmt.Errorf("command %q timed out", strings.Join(cmd, " ")).
    super(`command ${goQuote(cmd.join(' '))} timed out`);
  }
}

/** Resolves Failure on timeout; rejects (a prober error, result thrown away) on runtime errors. */
export async function runExecProbe(
  runner: ExecRunner,
  containerId: string,
  cmd: readonly string[],
  timeoutMs: number,
): Promise<ProbeRunResult> {
  const started = Date.now();
  try {
    const result = await runner.execSync(containerId, [...cmd], Math.max(1, Math.ceil(timeoutMs / 1000)));
    const output = Buffer.concat([result.stdout, result.stderr])
      .subarray(0, MAX_PROBE_OUTPUT_BYTES)
      .toString('utf8');
    return { outcome: result.exitCode === 0 ? 'Success' : 'Failure', output };
  } catch (err) {
    if (err instanceof ExecTimeoutError) return { outcome: 'Failure', output: err.message };
    if (Date.now() - started >= timeoutMs)
      return { outcome: 'Failure', output: new ExecTimeoutError(cmd).message };
    throw err;
  }
}
