import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { entrypointNodeFlags } from './entrypoint.js';

const README = resolve(dirname(fileURLToPath(import.meta.url)), '../../README.md');

test('the Dockerfile ENTRYPOINT gives the node flags, and the README shows the same ones', () => {
  const flags = entrypointNodeFlags();
  assert.ok(
    flags.some((f) => f.startsWith('--max-old-space-size=')),
    flags.join(' '),
  );
  const readme = readFileSync(README, 'utf8');
  const quoted = flags.map((f) => `"${f}"`).join(', ');
  assert.ok(
    readme.includes(`ENTRYPOINT ["node", ${quoted}, "/app/bin/log-shipper.js"]`),
    'README image line',
  );
  assert.ok(readme.includes(`entrypoint: [node, ${flags.join(', ')}, `), 'README catalog entry');
});

test('a malformed ENTRYPOINT is refused with the reason', () => {
  assert.throws(() => entrypointNodeFlags('FROM x\n'), /no exec-form ENTRYPOINT/);
  assert.throws(() => entrypointNodeFlags('ENTRYPOINT ["sh", "-c", "x"]\n'), /must be \["node"/);
  assert.throws(() => entrypointNodeFlags('ENTRYPOINT ["node", "-e", "x.js"]\n'), /-e is not a node flag/);
  assert.deepEqual(entrypointNodeFlags('ENTRYPOINT ["node", "--a=1", "b.js"]\n'), ['--a=1']);
});
