/**
 * Test helper: where the committed protobuf fixtures live. Compiled tests run from dist/ or .build/<x>/,
 * so the source tree is found by walking up to the directory that holds src/api/protobuf/testdata.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RELATIVE = join('src', 'api', 'protobuf', 'testdata');

export function fixtureDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, RELATIVE)) && existsSync(join(dir, 'package.json'))) return join(dir, RELATIVE);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no ${RELATIVE} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export interface Fixture {
  readonly body: Buffer;
  readonly expectedJson: unknown;
}

export async function loadFixture(name: string): Promise<Fixture> {
  const dir = fixtureDir();
  const [body, json] = await Promise.all([
    readFile(join(dir, `${name}.pb`)),
    readFile(join(dir, `${name}.json`), 'utf8'),
  ]);
  return { body, expectedJson: JSON.parse(json) };
}
