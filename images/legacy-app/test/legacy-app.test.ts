// The legacy app as a process: its stats count exactly the traffic it served, in the custom format the
// seed's converter (busybox wget | awk) turns into Prometheus samples that promtool parses.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { LEGACY_APP_BIN, type RunningLegacyApp, startLegacyApp } from './support/app.js';

const run = promisify(execFile);

function parseStats(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.trim().split('\n')) {
    const m = /^([a-z_]+) (\d+(?:\.\d+)?)$/.exec(line);
    assert.ok(m, `stats line "${line}" is not "name value"`);
    out[m[1] as string] = Number(m[2]);
  }
  return out;
}

describe('legacy-app', () => {
  let app: RunningLegacyApp;
  before(async () => {
    app = await startLegacyApp({ METRICS_ENDPOINT: '/admin/stats', METRICS_FORMAT: 'custom' });
  });
  after(() => app?.kill());

  test('stats start at zero, in exactly the three lines the converter reads', async () => {
    const r = await app.get('/admin/stats', true);
    assert.equal(r.status, 200);
    assert.equal(r.text, 'requests_total 0\nresponse_time 0\nerrors_total 0\n');
  });

  test('every traffic response is counted, 5xx as errors, and the mean time reflects /work', async () => {
    const statuses: number[] = [];
    for (const path of [
      '/',
      '/',
      '/health',
      '/fail',
      '/fail',
      '/work?ms=150',
      '/work?ms=150',
      '/nope',
      '/work?ms=x',
    ]) {
      statuses.push((await app.get(path)).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 500, 500, 200, 200, 404, 400]);
    const post = await fetch(`http://127.0.0.1:${app.port}/`, { method: 'POST' });
    assert.equal(post.status, 405);
    await post.text();
    // Stats reads in between must not count as traffic.
    await app.get('/admin/stats', true);
    const stats = parseStats((await app.get('/admin/stats', true)).text);
    assert.equal(stats.requests_total, 10);
    assert.equal(stats.errors_total, 2);
    // Two 150 ms responses among ten: the mean is at least 30 ms, and far below one of them.
    assert.ok(
      (stats.response_time as number) >= 0.03 && (stats.response_time as number) < 0.15,
      String(stats.response_time),
    );
  });

  test('concurrent requests are all counted', async () => {
    const before = parseStats((await app.get('/admin/stats', true)).text);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => app.get(i % 3 === 0 ? '/fail' : '/')),
    );
    assert.equal(results.filter((r) => r.status === 500).length, 20);
    const now = parseStats((await app.get('/admin/stats', true)).text);
    assert.equal((now.requests_total as number) - (before.requests_total as number), 60);
    assert.equal((now.errors_total as number) - (before.errors_total as number), 20);
  });

  test("the seed's converter (busybox wget | awk, without the stray .prom) yields samples promtool parses", async () => {
    // The seed's loop body; Debian's busybox has no applet links on PATH, so the applets are named.
    const script = `busybox wget -q -O - http://127.0.0.1:${app.adminPort}/admin/stats | busybox awk '
      /^requests_total/ { print "legacy_" $0 }
      /^response_time/ { print "legacy_" $0 }
      /^errors_total/ { print "legacy_" $0 }'`;
    const { stdout } = await run('busybox', ['sh', '-c', script], { timeout: 10_000 });
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 3, stdout);
    assert.match(lines[0] as string, /^legacy_requests_total \d+$/);
    assert.match(lines[1] as string, /^legacy_response_time \d+(\.\d+)?$/);
    assert.match(lines[2] as string, /^legacy_errors_total \d+$/);
    const promtool = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    promtool.stdout.on('data', (d) => {
      out += d;
    });
    promtool.stderr.on('data', (d) => {
      out += d;
    });
    promtool.stdin.end(stdout);
    const code = await new Promise((r) => promtool.once('exit', r));
    // Exit 3 is lint only; every finding must be the missing HELP text the seed's awk does not write.
    assert.ok(code === 0 || code === 3, `promtool exit ${code}: ${out}`);
    for (const finding of out.trim().split('\n').filter(Boolean)) assert.match(finding, /no help text$/);
  });

  test('the stats path answers only at METRICS_ENDPOINT', async () => {
    const r = await app.get('/stats', true);
    assert.equal(r.status, 404);
    assert.match(r.text, /stats are at \/admin\/stats/);
  });

  test('SIGTERM lets an in-flight request finish, counts it, and exits 0', async () => {
    const inFlight = app.get('/work?ms=300');
    await new Promise((r) => setTimeout(r, 50));
    const exited = app.stop();
    assert.equal((await inFlight).status, 200);
    assert.equal(await exited, 0);
    assert.match(app.logs(), /SIGTERM: draining/);
    assert.match(app.logs(), /stopped after 71 requests \(22 errors\)/);
  });
});

test('a custom METRICS_ENDPOINT moves the stats', async () => {
  const app = await startLegacyApp({ METRICS_ENDPOINT: '/stats.txt' });
  try {
    assert.equal((await app.get('/stats.txt', true)).status, 200);
    assert.equal((await app.get('/admin/stats', true)).status, 404);
  } finally {
    app.kill();
  }
});

test('an unsupported METRICS_FORMAT exits 2 naming it', async () => {
  const child = spawn(process.execPath, [LEGACY_APP_BIN], {
    env: { PATH: process.env.PATH ?? '', METRICS_FORMAT: 'prometheus' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  assert.equal(await new Promise((r) => child.once('exit', r)), 2);
  assert.match(stderr, /error: METRICS_FORMAT: only "custom" is supported, got "prometheus"/);
});
