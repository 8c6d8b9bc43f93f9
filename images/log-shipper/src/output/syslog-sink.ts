/**
 * Syslog output: RFC 5424 over TCP (RFC 6587 octet counting), one connection, reconnected on
 * failure. Plain TCP syslog has no acknowledgements, so a batch counts as delivered once the kernel
 * accepted its bytes; if the connection then breaks, bytes still in socket buffers can be lost.
 * This is the limit of the protocol (rsyslog's own omfwd has it too); use the HTTP outputs when
 * end-to-end acknowledgement matters.
 */
import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import type { OutputConfig } from '../config/types.js';
import { SinkError } from '../errors.js';
import { type Batch, batchRecords } from '../pipeline/batch.js';
import { formatMessage, frame, headerField, type SyslogIdentity } from './rfc5424.js';
import { ALL_ACCEPTED, type SendResult, type Sink } from './sink.js';

type SyslogOutput = Extract<OutputConfig, { type: 'syslog' }>;

export class SyslogSink implements Sink {
  readonly name: string;
  readonly #config: SyslogOutput;
  readonly #id: SyslogIdentity;
  #socket: Socket | null = null;

  constructor(config: SyslogOutput, host = process.env.POD_NAME ?? hostname()) {
    this.name = config.name;
    this.#config = config;
    this.#id = {
      facility: config.facility,
      hostname: headerField(host, 255),
      appName: headerField(config.appName, 48),
      procId: String(process.pid),
    };
  }

  async send(batch: Batch): Promise<SendResult> {
    let payload = '';
    const records = batchRecords(batch);
    for (let i = 0; i < records.length; i++) {
      payload += frame(formatMessage(this.#id, batch.times[i]!, records[i]!));
    }
    const socket = await this.#connected();
    await new Promise<void>((resolve, reject) => {
      socket.write(payload, (err) => {
        if (err) {
          this.#drop();
          reject(new SinkError(true, `${this.name}: ${err.message}`, { cause: err }));
        } else resolve();
      });
    });
    return ALL_ACCEPTED;
  }

  async close(): Promise<void> {
    const s = this.#socket;
    this.#socket = null;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.end(() => resolve());
      setTimeout(resolve, 1000).unref();
    });
    s.destroy();
  }

  #drop(): void {
    this.#socket?.destroy();
    this.#socket = null;
  }

  #connected(): Promise<Socket> {
    if (this.#socket && !this.#socket.destroyed) return Promise.resolve(this.#socket);
    const { host, port, timeoutMs } = this.#config;
    return new Promise((resolve, reject) => {
      const s = connect({ host, port });
      const timer = setTimeout(
        () => s.destroy(new Error(`connect timeout after ${timeoutMs} ms`)),
        timeoutMs,
      );
      s.once('connect', () => {
        clearTimeout(timer);
        s.setNoDelay(true);
        s.on('close', () => {
          if (this.#socket === s) this.#socket = null;
        });
        // The peer never talks; data or errors after connect just mean the connection is gone.
        s.on('data', () => {});
        s.on('error', () => this.#drop());
        this.#socket = s;
        resolve(s);
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(new SinkError(true, `${this.name} ${host}:${port}: ${err.message}`, { cause: err }));
      });
    });
  }
}
