// Waits until Redis answers PING with PONG, with capped exponential backoff and an overall deadline
// (the seed's `until redis-cli ping` loop has none, and treats NOAUTH/LOADING replies as ready because
// redis-cli exits 0 on error replies). Retried: connection errors and LOADING/BUSY/MASTERDOWN replies.
// Not retried: authentication errors (NOAUTH/WRONGPASS), which are configuration errors.
import { Redis, type RedisOptions } from 'ioredis';
import type { WarmerConfig } from './config.js';
import { ConfigError, RedisUnavailable, Stopped } from './errors.js';

const RETRY_REPLIES = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN)/;
const AUTH_REPLIES = /^(NOAUTH|WRONGPASS|ERR AUTH|ERR invalid password|ERR Client sent AUTH)/;

export interface WaitDeps {
  log: (line: string) => void;
  signal: AbortSignal;
  now?: () => number;
}

export function redisOptions(c: WarmerConfig, connectTimeout: number): RedisOptions {
  return {
    host: c.host,
    port: c.port,
    db: c.db,
    ...(c.password ? { password: c.password } : {}),
    ...(c.username ? { username: c.username } : {}),
    lazyConnect: true,
    // We own the retry loop and its deadline; ioredis must not retry or queue behind our back.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
    enableOfflineQueue: false,
    connectTimeout,
  };
}

/** Returns a connected client that has answered PONG. Safe to abort via `deps.signal`. */
export async function waitForRedis(c: WarmerConfig, deps: WaitDeps): Promise<Redis> {
  const now = deps.now ?? Date.now;
  const start = now();
  const deadline = start + c.timeoutMs;
  let delay = 200;
  let attempt = 0;
  let lastReason = '';
  const where = `${c.host}:${c.port}`;
  while (!deps.signal.aborted) {
    attempt++;
    const remaining = deadline - now();
    const client = new Redis(redisOptions(c, Math.max(250, Math.min(5000, remaining))));
    let socketError = '';
    client.on('error', (err: Error & { code?: string }) => {
      socketError = err.code
        ? `${err.code}${err.message.includes(err.code) ? '' : `: ${err.message}`}`
        : err.message;
    });
    try {
      await client.connect();
      const pong = await client.ping();
      if (pong === 'PONG') {
        deps.log(
          `Redis at ${where} is ready (PONG after ${attempt} attempt${attempt === 1 ? '' : 's'}, ${((now() - start) / 1000).toFixed(1)}s)`,
        );
        return client;
      }
      lastReason = `unexpected PING reply ${JSON.stringify(pong)}`;
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      if (AUTH_REPLIES.test(message) || AUTH_REPLIES.test(socketError)) {
        client.disconnect();
        const reply = AUTH_REPLIES.test(message) ? message : socketError;
        throw new ConfigError(
          `Redis at ${where} refused authentication: ${reply} (check REDIS_PASSWORD / REDIS_USERNAME)`,
          'REDIS_PASSWORD',
        );
      }
      lastReason = RETRY_REPLIES.test(message) ? message : socketError || message;
    }
    client.disconnect();
    const left = deadline - now();
    if (left <= 0) break;
    const pause = Math.min(delay, left);
    deps.log(`waiting for Redis at ${where}: ${lastReason} (attempt ${attempt}, retry in ${pause}ms)`);
    await sleep(pause, deps.signal);
    delay = Math.min(delay * 2, 5000);
  }
  if (deps.signal.aborted) throw new Stopped(`stopped by SIGTERM while waiting for Redis at ${where}`);
  throw new RedisUnavailable(
    `Redis at ${where} did not answer PING within ${(c.timeoutMs / 1000).toFixed(0)}s (--timeout; ${attempt} attempts, last error: ${lastReason})`,
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
