/** Parsers for setting values; each throws ConfigError naming the setting. */
import { ConfigError } from '../errors.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)?$/;

/** `500ms`, `2s`, `1.5s`, `1m`, or a bare number of seconds; returns milliseconds. */
export function parseDuration(text: string, setting: string): number {
  const m = DURATION.exec(text.trim());
  if (!m) throw new ConfigError(setting, `"${text}" is not a duration (e.g. 500ms, 2s, 1m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000);
}

/** `1048576`, `512KiB`, `16MiB`. */
export function parseBytes(text: string, setting: string): number {
  const m = /^(\d+)(B|KiB|MiB|GiB)?$/.exec(text.trim());
  if (!m) throw new ConfigError(setting, `"${text}" is not a size (e.g. 16MiB, 512KiB, 1048576)`);
  const scale = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[m[2] ?? 'B'] ?? 1;
  const n = Number(m[1]) * scale;
  if (n < 1) throw new ConfigError(setting, 'must be at least 1 byte');
  return n;
}

export interface ListenAddress {
  /** Undefined means every interface (`:9090`), as node-exporter's `--web.listen-address`. */
  readonly host: string | undefined;
  readonly port: number;
}

/** `:9090`, `127.0.0.1:9090`, `[::1]:9090`, `localhost:9090`. Port 0 picks a free port (tests). */
export function parseListen(text: string, setting: string): ListenAddress {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!m)
    throw new ConfigError(setting, `"${text}" is not HOST:PORT (e.g. :9090, 127.0.0.1:9090, [::1]:9090)`);
  const port = Number(m[3]);
  if (port > 65535) throw new ConfigError(setting, `port ${port} is above 65535`);
  const host = m[1] ?? m[2];
  return { host: host === '' ? undefined : host, port };
}
