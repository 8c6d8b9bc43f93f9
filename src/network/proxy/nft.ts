/**
 * Runs host commands for the proxy (`nft`, `sysctl`), optionally inside another network
 * namespace through a command prefix such as `['ip', 'netns', 'exec', 'ns1']` (tests do this).
 */
import { spawn } from 'node:child_process';
import { NftApplyError } from './errors.js';

export interface HostCommands {
  /** Prepended to every command; [] runs in the engine's own namespace. */
  prefix: readonly string[];
}

export function runCommand(h: HostCommands, argv: readonly string[], stdin?: string): Promise<string> {
  const [cmd, ...args] = [...h.prefix, ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    child.on('error', (e) => reject(new NftApplyError(argv.join(' '), null, String(e))));
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new NftApplyError(argv.join(' '), code, err)),
    );
    child.stdin.end(stdin ?? '');
  });
}
