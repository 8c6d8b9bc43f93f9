/**
 * Runs host commands for the proxy (`nft`, `sysctl`), optionally inside another network
 * namespace through a command prefix such as `['ip', 'netns', 'exec', 'ns1']` (tests do this).
 */
import { spawn } from 'node:child_process';
import { NftApplyError } from './errors.js';

/** The proxy's nftables table (kube-proxy's is `kube-proxy`); never the runtime's `podbay`. */
export const PROXY_NFT_TABLE = 'podbay-proxy';

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
    // A command that exits without reading its stdin (sysctl) closes the pipe: EPIPE is not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(stdin ?? '');
  });
}
