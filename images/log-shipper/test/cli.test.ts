/**
 * The program as users run it: flags only with stdout (what `kubectl logs -c log-shipper` shows),
 * /health and /metrics, a clean and quick SIGTERM, a restart that neither loses nor repeats,
 * read_from tail, new files found promptly, configuration errors at start, and the Loki and
 * Elasticsearch wire formats against HTTP servers that check them.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  metricsPort,
  metricValue,
  nginxLine,
  type Shipper,
  scrape,
  startShipper,
  stateFile,
  until,
} from './helpers.js';

let dir: string;
const running: Shipper[] = [];
const servers: Server[] = [];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ls-cli-'));
});

after(async () => {
  for (const s of running) if (s.proc.exitCode === null) s.proc.kill('SIGKILL');
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], env: NodeJS.ProcessEnv = {}): Shipper {
  const s = startShipper(args, { env });
  running.push(s);
  return s;
}

function records(s: Shipper): Array<Record<string, unknown>> {
  return s.stdout.filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('flags only, stdout', () => {
  const logs = () => join(dir, 'a', 'logs');
  const state = () => join(dir, 'a', 'state');

  test('ships, enriches, serves /health and /metrics, stops quickly on SIGTERM', {
    timeout: 30_000,
  }, async () => {
    mkdirSync(logs(), { recursive: true });
    writeFileSync(join(logs(), 'access.log'), nginxLine(0) + nginxLine(1));
    const s = run(
      [
        '--input',
        join(logs(), '*.log'),
        '--parser',
        'nginx',
        '--output',
        'stdout',
        '--state',
        state(),
        '--metrics',
        '127.0.0.1:0',
      ],
      {
        POD_NAME: 'web-app-with-logging-abc',
        POD_NAMESPACE: 'development',
        NODE_NAME: 'node-1',
      },
    );
    const port = await metricsPort(s);
    await until('two records', () => records(s).length >= 2, 10_000);
    const [first] = records(s);
    assert.equal(first!.path, '/seq/0');
    assert.equal(first!.time, '2026-11-25T07:56:33+00:00');
    assert.deepEqual(first!.kubernetes, {
      pod: 'web-app-with-logging-abc',
      namespace: 'development',
      node: 'node-1',
    });
    assert.equal(first!.file, join(logs(), 'access.log'));

    // A file created while running is found promptly (directory watch), not after a long refresh.
    const created = Date.now();
    writeFileSync(join(logs(), 'other.log'), nginxLine(2));
    await until('the new file', () => records(s).length >= 3, 5000);
    assert.ok(Date.now() - created < 2000, 'new file shipped within 2 s');

    const health = await scrape(port, '/health');
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).status, 'ok');
    const m = (await scrape(port)).body;
    assert.equal(metricValue(m, 'log_shipper_lines_read_total'), 3);
    assert.equal(metricValue(m, 'log_shipper_records_shipped_total'), 3);
    assert.equal(metricValue(m, 'log_shipper_files_followed'), 2);
    assert.ok(metricValue(m, 'process_resident_memory_bytes') > 0);
    assert.equal((await scrape(port, '/nope')).status, 404);

    appendFileSync(join(logs(), 'access.log'), 'half a li');
    const stopAt = Date.now();
    s.proc.kill('SIGTERM');
    assert.equal((await s.exited).code, 0);
    assert.ok(Date.now() - stopAt < 2000, 'stops within 2 s');
    const saved = JSON.parse(readFileSync(stateFile(state()), 'utf8')) as {
      files: Array<{ offset: number; path: string }>;
    };
    const access = saved.files.find((f) => f.path.endsWith('access.log'))!;
    assert.equal(
      access.offset,
      nginxLine(0).length + nginxLine(1).length,
      'the partial line is not checkpointed',
    );
  });

  test('a restart ships only what is new, and completes the held partial line', {
    timeout: 30_000,
  }, async () => {
    appendFileSync(join(logs(), 'access.log'), `ne\n${nginxLine(3)}`);
    const s = run([
      '--input',
      join(logs(), '*.log'),
      '--output',
      'stdout',
      '--state',
      state(),
      '--metrics',
      'off',
    ]);
    await until('two new records', () => records(s).length >= 2, 10_000);
    const got = records(s);
    assert.equal(got[0]!.message, 'half a line');
    assert.equal(got[1]!.path, '/seq/3');
    s.proc.kill('SIGTERM');
    await s.exited;
    assert.equal(records(s).length, 2, 'nothing shipped twice');
  });

  test('read_from tail skips what existing files already hold, at the first start only', {
    timeout: 30_000,
  }, async () => {
    const tailLogs = join(dir, 'tail');
    mkdirSync(tailLogs);
    writeFileSync(join(tailLogs, 'access.log'), nginxLine(0));
    const s = run([
      '-i',
      join(tailLogs, '*.log'),
      '--read-from',
      'tail',
      '--state',
      join(dir, 'tail-state'),
      '--metrics',
      'off',
    ]);
    await s.waitForLog(/following file/);
    appendFileSync(join(tailLogs, 'access.log'), nginxLine(1));
    await until('one record', () => records(s).length >= 1, 10_000);
    assert.deepEqual(
      records(s).map((r) => r.path),
      ['/seq/1'],
    );
    s.proc.kill('SIGTERM');
    await s.exited;
  });
});

describe('configuration errors fail at start and name the setting', () => {
  const cases: Array<[string, string[], NodeJS.ProcessEnv, RegExp]> = [
    ['bad parser flag', ['-i', '/tmp/*.log', '--parser', 'xml'], {}, /inputs\[0\]\.parser/],
    ['bad output flag', ['-i', '/tmp/*.log', '--output', 'kafka:x'], {}, /--output kafka:x/],
    ['unknown key', ['--config', 'UNKNOWN_KEY_FILE'], {}, /state_dri: unknown setting/],
    [
      'missing config file',
      [],
      { LOG_SHIPPER_CONFIG: '/nonexistent.yaml' },
      /LOG_SHIPPER_CONFIG=\/nonexistent\.yaml/,
    ],
    [
      'unusable state dir',
      ['-i', '/tmp/*.log', '--state', '/dev/null/state'],
      {},
      /LS_ERR_STATE.*state_dir \/dev\/null\/state/,
    ],
  ];
  for (const [name, args, env, re] of cases) {
    test(name, async () => {
      const file = join(dir, 'unknown-key.yaml');
      writeFileSync(file, 'inputs: [{ path: /tmp/x.log }]\noutputs: [{ type: stdout }]\nstate_dri: /tmp\n');
      const s = run(
        args.map((a) => (a === 'UNKNOWN_KEY_FILE' ? file : a)),
        env,
      );
      const { code } = await s.exited;
      assert.equal(code, 2);
      assert.match(s.stderr.join('\n'), re);
    });
  }
});

describe('wire formats', () => {
  async function capture(
    handler: (body: string, req: import('node:http').IncomingMessage) => [number, string],
  ) {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        bodies.push(body);
        const [status, answer] = handler(body, req);
        res.writeHead(status, { 'content-type': 'application/json' }).end(answer);
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return { bodies, port: (server.address() as AddressInfo).port };
  }

  test('Loki push', { timeout: 30_000 }, async () => {
    const paths: string[] = [];
    const loki = await capture((_b, req) => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      return [204, ''];
    });
    const logs = join(dir, 'loki');
    mkdirSync(logs);
    writeFileSync(join(logs, 'access.log'), nginxLine(0) + nginxLine(0));
    const config = join(dir, 'loki.yaml');
    writeFileSync(
      config,
      `inputs: [{ path: "${logs}/*.log" }]\noutputs: [{ type: loki, url: "http://127.0.0.1:${loki.port}", labels: { job: nginx } }]\n` +
        `state_dir: ${join(dir, 'loki-state')}\nmetrics: false\nbatch: { timeout: 100ms }\n`,
    );
    const s = run(['--config', config]);
    await until('a push', () => loki.bodies.length >= 1, 10_000);
    assert.equal(paths[0], 'POST /loki/api/v1/push application/json');
    const doc = JSON.parse(loki.bodies[0]!) as {
      streams: Array<{ stream: object; values: Array<[string, string]> }>;
    };
    assert.deepEqual(doc.streams[0]!.stream, { job: 'nginx' });
    const values = doc.streams[0]!.values;
    assert.equal(values.length, 2);
    assert.match(values[0]![0], /^\d{19}$/);
    assert.notEqual(values[0]![0], values[1]![0], 'equal lines keep distinct timestamps');
    assert.equal((JSON.parse(values[0]![1]) as { path: string }).path, '/seq/0');
    s.proc.kill('SIGTERM');
    await s.exited;
  });

  test('Elasticsearch bulk: only items that failed with 429 are sent again', {
    timeout: 30_000,
  }, async () => {
    let call = 0;
    const es = await capture((body) => {
      call += 1;
      const n = body.split('\n').filter((l) => l !== '').length / 2;
      const items = Array.from({ length: n }, (_, i) => ({
        create: { status: call === 1 && i === 1 ? 429 : 201 },
      }));
      return [200, JSON.stringify({ errors: call === 1, items })];
    });
    const logs = join(dir, 'es');
    mkdirSync(logs);
    writeFileSync(join(logs, 'access.log'), nginxLine(0) + nginxLine(1) + nginxLine(2));
    const s = run([
      '-i',
      `${logs}/*.log`,
      '-o',
      `es:http://127.0.0.1:${es.port}`,
      '--state',
      join(dir, 'es-state'),
      '--metrics',
      'off',
    ]);
    await until('the retry', () => es.bodies.length >= 2, 10_000);
    const first = es.bodies[0]!.split('\n');
    assert.deepEqual(JSON.parse(first[0]!), { create: { _index: 'logs' } });
    assert.equal(first.length, 7);
    const retry = es.bodies[1]!.split('\n').filter((l) => l !== '');
    assert.equal(retry.length, 2, 'one item resent');
    assert.equal((JSON.parse(retry[1]!) as { path: string }).path, '/seq/1');
    s.proc.kill('SIGTERM');
    await s.exited;
  });
});
