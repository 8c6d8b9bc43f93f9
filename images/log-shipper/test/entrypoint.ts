/**
 * The image's node flags, read from the one place that sets them: the Dockerfile's exec-form
 * ENTRYPOINT (`["node", FLAG..., "/app/bin/log-shipper.js"]`). The integration tests and the
 * benchmark run the shipper with exactly these, so what is measured is what ships.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DOCKERFILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../Dockerfile');

/** Throws naming the Dockerfile when its ENTRYPOINT is not `node FLAGS… SCRIPT` in exec form. */
export function entrypointNodeFlags(dockerfile = readFileSync(DOCKERFILE, 'utf8')): string[] {
  const line = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (!line) throw new Error(`${DOCKERFILE}: no exec-form ENTRYPOINT line`);
  const argv = JSON.parse(line[1] as string) as unknown;
  if (
    !Array.isArray(argv) ||
    argv.length < 2 ||
    argv[0] !== 'node' ||
    !argv.every((a): a is string => typeof a === 'string')
  ) {
    throw new Error(`${DOCKERFILE}: ENTRYPOINT must be ["node", flags..., script], got ${line[1]}`);
  }
  const flags = argv.slice(1, -1);
  const bad = flags.find((f) => !f.startsWith('--'));
  if (bad !== undefined) throw new Error(`${DOCKERFILE}: ENTRYPOINT argument ${bad} is not a node flag`);
  return flags;
}
