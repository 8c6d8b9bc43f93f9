import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from 'node:test';
import {
  ROUTE_LOCALNET,
  ROUTE_LOCALNET_PROC,
  routeLocalnetStateFile,
} from '../network/proxy/route-localnet.js';
import { machineLeftovers } from './machine-check.js';

const sysctlLines = (dataDir: string): string[] =>
  machineLeftovers(dataDir).filter((l) => l.startsWith('sysctl '));

test('route_localnet is a leftover only while its saved value differs from the live one', () => {
  const dataDir = mkdtempSync('/tmp/podbay-machine-check-');
  try {
    const now = readFileSync(ROUTE_LOCALNET_PROC, 'utf8').trim();
    assert.deepEqual(sysctlLines(dataDir), [], 'nothing saved: the engine never changed it');
    const file = routeLocalnetStateFile(dataDir);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${now}\n`);
    assert.deepEqual(sysctlLines(dataDir), [], 'saved value equals the live one: nothing to put back');
    const other = now === '1' ? '0' : '1';
    writeFileSync(file, `${other}\n`);
    assert.deepEqual(sysctlLines(dataDir), [
      `sysctl ${ROUTE_LOCALNET}=${now} (${other} before podbay, saved in ${file})`,
    ]);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
