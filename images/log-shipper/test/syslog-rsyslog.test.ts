/**
 * The syslog output against a real rsyslogd (Debian's): RFC 5424 with octet-counting framing
 * over TCP, received by imtcp and written to a file with rsyslog's own RFC 5424 parser fields.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '@podbay/test-support';
import { nginxLine, type Shipper, sleep, startShipper, until } from './helpers.js';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const LINES = 2000;

let dir: string;
let rsyslogPid = 0;
let shipper: Shipper | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ls-syslog-'));
  mkdirSync(join(dir, 'logs'));
  mkdirSync(join(dir, 'rsyslog'));
});

after(async () => {
  if (shipper && shipper.proc.exitCode === null) shipper.proc.kill('SIGKILL');
  if (rsyslogPid > 0) {
    try {
      process.kill(rsyslogPid, 'SIGTERM');
    } catch {
      // already gone
    }
    await until('rsyslogd to exit', () => !existsSync(`/proc/${rsyslogPid}`), 5000).catch(() => {});
  }
  rmSync(dir, { recursive: true, force: true });
});

test('lines arrive in a real rsyslog as RFC 5424 messages', {
  skip: !existsSync(RSYSLOGD) && 'rsyslogd not installed',
  timeout: 60_000,
}, async () => {
  const port = await freePort();
  const work = join(dir, 'rsyslog');
  const out = join(work, 'received.log');
  const conf = join(work, 'rsyslog.conf');
  writeFileSync(
    conf,
    [
      `global(workDirectory="${work}")`,
      'module(load="imtcp")',
      `input(type="imtcp" address="127.0.0.1" port="${port}")`,
      'template(name="fields" type="string" string="%protocol-version%|%syslogfacility%|%syslogseverity%|%app-name%|%hostname%|%msg%\\n")',
      `*.* action(type="omfile" file="${out}" template="fields")`,
    ].join('\n'),
  );
  execFileSync(RSYSLOGD, ['-N1', '-f', conf], { stdio: 'ignore' });
  const pidFile = join(work, 'rsyslogd.pid');
  execFileSync(RSYSLOGD, ['-f', conf, '-i', pidFile]);
  await until('rsyslogd pid file', () => existsSync(pidFile), 5000);
  rsyslogPid = Number(readFileSync(pidFile, 'utf8').trim());
  await until(
    'rsyslogd to listen',
    async () => {
      try {
        execFileSync('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore' });
        return true;
      } catch {
        await sleep(50);
        return false;
      }
    },
    10_000,
  );

  let text = '';
  for (let i = 0; i < LINES; i++) text += nginxLine(i);
  writeFileSync(join(dir, 'logs', 'access.log'), text);
  shipper = startShipper(
    [
      '--input',
      join(dir, 'logs', '*.log'),
      '--output',
      `syslog:127.0.0.1:${port}`,
      '--state',
      join(dir, 'state'),
      '--metrics',
      'off',
    ],
    { env: { POD_NAME: 'web-app-1' } },
  );
  const received = () =>
    existsSync(out)
      ? readFileSync(out, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
      : [];
  await until(`${LINES} messages in rsyslog`, () => received().length >= LINES, 30_000);
  const lines = received();
  assert.equal(lines.length, LINES);
  const seqs = new Set<number>();
  for (const line of lines) {
    const [version, facility, severity, app, host, ...msg] = line.split('|');
    assert.equal(version, '1', 'parsed as RFC 5424');
    assert.equal(facility, '16', 'local0');
    assert.equal(app, 'log-shipper');
    assert.equal(host, 'web-app-1');
    const record = JSON.parse(msg.join('|').trim()) as { path: string; status: number };
    assert.equal(severity, record.status === 404 ? '4' : '6');
    seqs.add(Number(record.path.replace('/seq/', '')));
  }
  assert.equal(seqs.size, LINES, 'every line once');
  shipper.proc.kill('SIGTERM');
  assert.equal((await shipper.exited).code, 0);
});
