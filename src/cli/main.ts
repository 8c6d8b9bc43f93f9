/**
 * The `podbay` command. Subcommands live in their own modules; this file only dispatches and
 * turns a thrown error into a one-line message and exit code 1 (a usage error exits 2).
 */
import { PODBAY_VERSION, VERSION_INFO } from '../api/version.js';
import { klog } from './log.js';
import { SERVER_USAGE, serverCommand } from './server.js';

const USAGE = `podbay ${PODBAY_VERSION}: run and learn Kubernetes multi-container pods on one machine

Usage: podbay <command> [flags]

Commands:
  server     run the API server in the foreground (podbay server --help)
  version    print podbay's and the served Kubernetes API's versions
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'server':
      return serverCommand(rest);
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    const usage = (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    klog('E', e.message);
    if (usage) process.stderr.write(`\n${SERVER_USAGE}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
