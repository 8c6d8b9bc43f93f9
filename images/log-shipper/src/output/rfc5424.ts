/**
 * RFC 5424 syslog messages with RFC 6587 octet-counting framing, the framing rsyslog's imtcp
 * accepts by default and the only one that survives newlines inside a message.
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG
 * Severity follows the record: HTTP 5xx → err, 4xx → warning, nginx error-log levels map to
 * theirs; everything else is informational.
 */

const SEVERITY_BY_LEVEL: Readonly<Record<string, number>> = {
  emerg: 0,
  alert: 1,
  crit: 2,
  error: 3,
  warn: 4,
  notice: 5,
  info: 6,
  debug: 7,
};

const STATUS = /"status":(\d)\d\d[,}]/;
const LEVEL = /"level":"([a-z]+)"/;

export function severityOf(record: string): number {
  const level = LEVEL.exec(record);
  if (level) return SEVERITY_BY_LEVEL[level[1]!] ?? 6;
  const status = STATUS.exec(record);
  if (status?.[1] === '5') return 3;
  if (status?.[1] === '4') return 4;
  return 6;
}

/** RFC 5424 header fields: printable US-ASCII without spaces, with a maximum length; `-` when empty. */
export function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
}

export interface SyslogIdentity {
  readonly facility: number;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
}

export function formatMessage(id: SyslogIdentity, time: number, record: string): string {
  const pri = id.facility * 8 + severityOf(record);
  return `<${pri}>1 ${new Date(time).toISOString()} ${id.hostname} ${id.appName} ${id.procId} - - ${record}`;
}

/** One frame: `<octet count> <message>`. */
export function frame(message: string): string {
  return `${Buffer.byteLength(message)} ${message}`;
}
