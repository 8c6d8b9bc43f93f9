/**
 * The `podbay` command. Subcommands live in their own modules; this file only dispatches and
 * turns a thrown error into a one-line message and exit code 1 (a usage error exits 2, after the
 * command's usage).
 */
import { PODBAY_VERSION, VERSION_INFO } from '../api/version.js';
import { downCommand } from './down.js';
import { klog } from './log.js';
import { SERVER_USAGE, serverCommand } from './server.js';
import { statusCommand } from './status.js';
import { upCommand } from './up.js';
import { DOWN_USAGE, STATUS_USAGE, UP_USAGE } from './up-args.js';
import { UsageError } from './usage-error.js';

const USAGE = `podbay ${PODBAY_VERSION}: run and learn Kubernetes multi-container pods on one machine

Usage: podbay <command> [flags]

Commands:
  up         start podbay in the background, apply manifests (default: the four patterns),
             wait until their pods are Ready (podbay up --help)
  status     is the server running, its node, pods Ready per namespace
  down       stop everything, leave nothing behind, remove the "podbay" kubeconfig context
  server     run the API server in the foreground (podbay server --help)
  version    print podbay's and the served Kubernetes API's versions
`;

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  server: { run: serverCommand, usage: SERVER_USAGE },
  up: { run: upCommand, usage: UP_USAGE },
  status: { run: statusCommand, usage: STATUS_USAGE },
  down: { run: downCommand, usage: DOWN_USAGE },
};

/** `server` logs klog lines like a control-plane process; the user-facing commands say plainly. */
let reportError = (e: Error) => klog('E', e.message);

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd !== undefined && cmd !== 'server')
    reportError = (e) => process.stderr.write(`podbay ${cmd}: ${e.message}\n`);
  const command = cmd === undefined ? undefined : COMMANDS[cmd];
  if (command) {
    if (cmd !== 'server' && (rest.includes('--help') || rest.includes('-h'))) {
      process.stdout.write(`${command.usage}\n`);
      return 0;
    }
    try {
      return await command.run(rest);
    } catch (e) {
      // server parses its own flags with parseArgs; its errors carry node's ERR_PARSE_ARGS codes.
      if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
        throw new UsageError((e as Error).message, command.usage);
      throw e;
    }
  }
  switch (cmd) {
    case 'version':
    case '--version':
      process.stdout.write(`podbay ${PODBAY_VERSION} (Kubernetes API ${VERSION_INFO.gitVersion})\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`podbay: unknown command ${JSON.stringify(cmd)}\n\n${USAGE}`);
      return 2;
  }
}

// `podbay up | head`: a reader that stops early is not an error of ours.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    reportError(e);
    if (e instanceof UsageError) process.stderr.write(`\n${e.usage}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
