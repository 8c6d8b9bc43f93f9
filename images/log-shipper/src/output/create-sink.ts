/** The output table: one constructor per `type`. */
import type { OutputConfig } from '../config/types.js';
import { HttpSink } from './http-sink.js';
import type { Sink } from './sink.js';
import { FileSink, StreamSink } from './stream-sinks.js';
import { SyslogSink } from './syslog-sink.js';

export function createSink(o: OutputConfig): Sink {
  switch (o.type) {
    case 'stdout':
      return new StreamSink(o.name, process.stdout);
    case 'file':
      return new FileSink(o.name, o.path);
    case 'http':
      return new HttpSink(o);
    case 'syslog':
      return new SyslogSink(o);
  }
}
