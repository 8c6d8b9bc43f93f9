/**
 * Must show: `promtool check metrics` (Debian's prometheus package) passes on the adapter's output in
 * both formats for a realistic source, served over HTTP by a stand-in legacy app.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AdapterProcess, sampleValue, scrape } from './helpers/adapter-process.js';
import { LegacyApp, SEED_STATS } from './helpers/legacy-app.js';
import { tempDir } from './helpers/ports-and-dirs.js';
import { promtoolCheck } from './helpers/promtool.js';

export const REALISTIC_STATS = `${SEED_STATS}status: OK
http_200_count 1200
http_500_count 41
queue.depth{queue="mail"} 4
queue.depth{queue="sms"} 0
cache_hit_ratio 0.93
`;

export const REALISTIC_RULES = `prefix: legacy_
mappings:
  - match: requests_total
    help: Requests the legacy app served since it started.
  - match: errors_total
    help: Requests that failed.
  - match: response_time
    name: response_time_seconds
    help: Mean response time in seconds.
  - match: response_time_p99
    name: response_time_p99_seconds
    help: 99th percentile response time in seconds.
  - match: status
    values: { OK: 0, DEGRADED: 1, FAIL: 2 }
    help: App state (0 OK, 1 DEGRADED, 2 FAIL).
  - match: version
    name: build_info
    value_label: version
    help: Build of the legacy app; the value is always 1.
  - match: http_*_count
    name: http_responses
    type: counter
    labels: { code: "$1" }
    help: Responses by status code.
  - match: queue.depth
    name: queue_depth
    help: Messages waiting, by queue.
  - match: last_error
    action: drop
`;

describe('promtool check metrics on a realistic source', () => {
  let app: LegacyApp;
  let adapter: AdapterProcess;
  const dir = tempDir('promtool');

  before(async () => {
    app = await LegacyApp.start();
    app.behaviour = { kind: 'ok', body: REALISTIC_STATS };
    const rules = join(dir.path, 'rules.yaml');
    writeFileSync(rules, REALISTIC_RULES);
    adapter = await AdapterProcess.start(['--source', app.url, '--rules', rules, '--cache', '0']);
  });
  after(async () => {
    await adapter?.stop();
    await app?.close();
    dir.remove();
  });

  test('text 0.0.4: exit 0, expected values', async () => {
    const res = await scrape(adapter.metricsUrl);
    assert.equal(res.contentType, 'text/plain; version=0.0.4; charset=utf-8');
    const check = await promtoolCheck(res.body);
    assert.equal(check.code, 0, check.output);
    assert.equal(sampleValue(res.body, 'legacy_requests_total'), 1241);
    assert.equal(sampleValue(res.body, 'legacy_response_time_seconds'), 0.25);
    assert.equal(sampleValue(res.body, 'legacy_response_time_p99_seconds'), 1.9);
    assert.equal(sampleValue(res.body, 'legacy_status'), 0);
    assert.equal(sampleValue(res.body, 'legacy_build_info{version="1.0.3"}'), 1);
    assert.equal(sampleValue(res.body, 'legacy_http_responses_total{code="500"}'), 41);
    assert.equal(sampleValue(res.body, 'legacy_queue_depth{queue="mail"}'), 4);
    assert.equal(sampleValue(res.body, 'legacy_up'), 1);
    assert.equal(sampleValue(res.body, 'legacy_dropped_samples_total{reason="rule_drop"}'), 1);
    assert.ok(!res.body.includes('last_error'));
    assert.ok(!res.body.includes('.prom'), 'the seed awk bug appended .prom to values');
  });

  test('OpenMetrics 1.0: parses, ends in # EOF; only findings are the OM counter-family HELP names', async () => {
    const res = await scrape(
      adapter.metricsUrl,
      'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5',
    );
    assert.equal(res.contentType, 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    assert.ok(res.body.endsWith('# EOF\n'));
    assert.match(res.body, /^# TYPE legacy_requests counter\nlegacy_requests_total 1241$/m);
    const check = await promtoolCheck(res.body);
    // promtool 2.42 reads OpenMetrics with its text parser: a parse error would be exit 1. In OpenMetrics a
    // counter's HELP is on the family (`legacy_requests`) while the sample keeps `_total`, so the text linter
    // reports "no help text" for exactly the counter samples, and nothing else.
    assert.notEqual(check.code, 1, check.output);
    const findings = check.output.trim().split('\n').filter(Boolean);
    const counters = [...res.body.matchAll(/^# TYPE (\S+) counter$/gm)].map(
      (m) => `${m[1]}_total no help text`,
    );
    assert.deepEqual(findings.sort(), counters.sort());
  });

  test('JSON source: exit 0', async () => {
    app.behaviour = {
      kind: 'ok',
      contentType: 'application/json',
      body: JSON.stringify({
        requests_total: 99,
        response_time: 0.5,
        status: 'DEGRADED',
        db: { pool: { active: 3 } },
      }),
    };
    try {
      const res = await scrape(adapter.metricsUrl);
      const check = await promtoolCheck(res.body);
      assert.equal(check.code, 0, check.output);
      assert.equal(sampleValue(res.body, 'legacy_requests_total'), 99);
      assert.equal(sampleValue(res.body, 'legacy_status'), 1);
      assert.equal(sampleValue(res.body, 'legacy_db_pool_active'), 3);
    } finally {
      app.behaviour = { kind: 'ok', body: REALISTIC_STATS };
    }
  });
});
