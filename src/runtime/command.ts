/**
 * Kubernetes' rule for the process a container runs, combining the pod spec's command/args with the
 * image's ENTRYPOINT/CMD (kubernetes.io "Define a Command and Arguments for a Container";
 * kubelet kuberuntime `makeContainerCommand` semantics):
 *   command and args set  -> command + args (image entrypoint and cmd ignored)
 *   only command set      -> command        (image cmd ignored too)
 *   only args set         -> image entrypoint + args
 *   neither               -> image entrypoint + image cmd
 * `$(VAR)` expansion happens before this, in the kubelet.
 */
import { InvalidArgumentError } from './errors.js';

export interface CommandSources {
  command?: readonly string[];
  args?: readonly string[];
  entrypoint: readonly string[];
  cmd: readonly string[];
}

export function resolveCommand(s: CommandSources): string[] {
  const argv =
    s.command && s.command.length > 0
      ? [...s.command, ...(s.args ?? [])]
      : [...s.entrypoint, ...(s.args && s.args.length > 0 ? s.args : s.cmd)];
  if (argv.length === 0) {
    throw new InvalidArgumentError('command', 'no command specified: the image has no entrypoint or cmd');
  }
  return argv;
}
