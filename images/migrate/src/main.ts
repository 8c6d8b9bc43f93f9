// Entry point of `migrate`: wires signals to the stop controller and exits with the CLI's status.
import { run } from './cli/run.js';
import { StopController } from './migrate/stop.js';

const stop = new StopController();
process.on('SIGINT', () => {
  process.stderr.write('Stopping after this running migration ...\n');
  stop.request('graceful');
});
process.on('SIGTERM', () => stop.request('terminate'));

const code = await run(process.argv.slice(2), { stderr: (s) => process.stderr.write(s), stop });
process.exitCode = code;
// Leave no handle (a cancelled query's socket, stdin) keeping the process alive after the work is done.
setTimeout(() => process.exit(code), 50).unref();
