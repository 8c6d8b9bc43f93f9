/**
 * Regenerates testdata/*.pb (what the stock kubectl POSTs) and testdata/*.json (kubectl's own
 * `--dry-run=client -o json` of the same object) for every case in kubectl-cases.ts.
 * Run after compiling: node <outDir>/src/api/protobuf/testing/capture-fixtures.js
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixtureDir } from './fixtures.js';
import { captureCase, KUBECTL_CASES } from './kubectl-cases.js';

const dir = fixtureDir();
for (const c of KUBECTL_CASES) {
  const captured = await captureCase(c);
  await writeFile(join(dir, `${c.name}.pb`), captured.body);
  await writeFile(join(dir, `${c.name}.json`), `${JSON.stringify(captured.expectedJson, null, 2)}\n`);
  console.log(`${c.name}: ${captured.body.length} bytes (${captured.contentType})`);
}
