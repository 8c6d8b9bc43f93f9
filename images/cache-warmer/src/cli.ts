// Process wiring: SIGTERM/SIGINT abort the Redis wait; writes already sent finish (MULTI/EXEC is atomic).
import { main } from './main.js';

const abort = new AbortController();
process.on('SIGTERM', () => abort.abort());
process.on('SIGINT', () => abort.abort());
const code = await main(process.argv.slice(2), process.env, abort.signal);
process.exitCode = code;
setTimeout(() => process.exit(code), 50).unref();
