/**
 * Error catalog for the ambassador. Every error the program raises or sends to a client is built here,
 * so the texts stay stable (tests and the README quote them) and carry a code a log search can find.
 */

/** A configuration problem found at start; `setting` names the flag/env/file key at fault. */
export class ConfigError extends Error {
  readonly code = 'RA_CONFIG';
  constructor(
    readonly setting: string,
    detail: string,
  ) {
    super(`invalid setting ${setting}: ${detail}`);
    this.name = 'ConfigError';
  }
}

/**
 * Malformed client input. `message` is what Redis itself would say (so client libraries that match on
 * "Protocol error" keep working) followed by where in the stream it happened.
 */
export class ProtocolError extends Error {
  readonly code = 'RA_PROTOCOL';
  constructor(
    redisText: string,
    readonly byteOffset: number,
  ) {
    super(`Protocol error: ${redisText} (at byte ${byteOffset} of the request buffer)`);
    this.name = 'ProtocolError';
  }
}

/** A reply from a backend that is not valid RESP: the connection to that backend is dropped. */
export class BackendProtocolError extends Error {
  readonly code = 'RA_BACKEND_PROTOCOL';
  constructor(backend: string, detail: string) {
    super(`backend ${backend} sent invalid RESP: ${detail}`);
    this.name = 'BackendProtocolError';
  }
}

/**
 * The `-ERR` texts the ambassador itself answers with. Each starts with "ambassador:" so an operator can
 * tell a proxy-made error from one Redis returned.
 */
export const replyErrors = {
  noMaster: (why: string) => `ERR ambassador: no master available (${why})`,
  backendDown: (backend: string, why: string) => `ERR ambassador: backend ${backend} unavailable: ${why}`,
  timeout: (backend: string, ms: number) =>
    `ERR ambassador: backend ${backend} did not answer within ${ms} ms`,
  unsupported: (what: string) => `ERR ambassador: ${what} is not supported through the ambassador`,
  shuttingDown: () => 'ERR ambassador: shutting down',
  tooManyClients: () => 'ERR ambassador: max number of clients reached',
} as const;

/** Encodes an error text as a RESP error reply (`-TEXT\r\n`), stripping CR/LF that would break framing. */
export function errorReply(text: string): Buffer {
  return Buffer.from(`-${text.replace(/[\r\n]+/g, ' ')}\r\n`, 'utf8');
}
