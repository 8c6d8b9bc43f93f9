/**
 * Fuzzing: mutated real kubectl bodies and random bytes must either decode to a JSON-serialisable object
 * or throw ApiError 400/415, never anything else (no TypeError, RangeError, hang or prototype pollution).
 * Seeded PRNG, so a failure prints a seed and iteration that reproduce it; counts are bounded.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../errors.js';
import { decodeKubernetesProtobuf } from './decode.js';
import { loadFixture } from './testing/fixtures.js';
import { KUBECTL_CASES } from './testing/kubectl-cases.js';
import { envelope } from './testing/proto-writer.js';

const SEED = 0x5eed_2026;
const MUTATIONS_PER_FIXTURE = 3000;
const RANDOM_BODIES = 5000;

/** mulberry32: small, fast, good enough to spread mutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (rand: Rand, n: number): number => Math.floor(rand() * n);
const randomBytes = (rand: Rand, n: number): Buffer =>
  Buffer.from(Array.from({ length: n }, () => int(rand, 256)));

/** One random structural mutation; keeps the magic most of the time so the object decoder is reached. */
function mutate(src: Buffer, rand: Rand): Buffer {
  const b = Buffer.from(src);
  const at = 4 + int(rand, Math.max(1, b.length - 4));
  switch (int(rand, 7)) {
    case 0: // flip one bit
      if (at < b.length) b[at]! ^= 1 << int(rand, 8);
      return b;
    case 1: // truncate
      return b.subarray(0, at);
    case 2: // insert random bytes
      return Buffer.concat([b.subarray(0, at), randomBytes(rand, 1 + int(rand, 8)), b.subarray(at)]);
    case 3: // delete a range
      return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + int(rand, 16))]);
    case 4: // duplicate a range (repeated fields, nested lengths now wrong)
      return Buffer.concat([b.subarray(0, at), b.subarray(at, at + 1 + int(rand, 32)), b.subarray(at)]);
    case 5: // overwrite with continuation bytes (long / truncated varints)
      for (let i = at; i < Math.min(b.length, at + 1 + int(rand, 11)); i++) b[i] = 0x80 | int(rand, 128);
      return b;
    default: // set one byte to a tag-ish value (wire types 0..7, small field numbers)
      if (at < b.length) b[at] = int(rand, 256);
      return b;
  }
}

function checkOne(body: Buffer, label: string): void {
  let result: unknown;
  try {
    result = decodeKubernetesProtobuf(body);
  } catch (err) {
    if (err instanceof ApiError && (err.code === 400 || err.code === 415)) return;
    assert.fail(`${label}: threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
  const obj = result as Record<string, unknown>;
  assert.equal(typeof obj.apiVersion, 'string', label);
  assert.equal(typeof obj.kind, 'string', label);
  JSON.stringify(obj);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, `${label}: Object.prototype polluted`);
}

test('mutated kubectl fixtures only ever throw ApiError', async () => {
  const rand = prng(SEED);
  for (const c of KUBECTL_CASES) {
    const { body } = await loadFixture(c.name);
    for (let i = 0; i < MUTATIONS_PER_FIXTURE; i++) {
      let mutated = mutate(body, rand);
      // Stack a few mutations now and then to get further from valid input.
      if (rand() < 0.3) mutated = mutate(mutate(mutated, rand), rand);
      checkOne(mutated, `seed ${SEED} fixture ${c.name} iteration ${i}`);
    }
  }
});

test('random bytes, with and without the magic, only ever throw ApiError', () => {
  const rand = prng(SEED + 1);
  const magic = Buffer.from('k8s\0', 'latin1');
  for (let i = 0; i < RANDOM_BODIES; i++) {
    const noise = randomBytes(rand, int(rand, 200));
    checkOne(i % 5 === 0 ? noise : Buffer.concat([magic, noise]), `seed ${SEED + 1} random body ${i}`);
  }
});

test('random object payloads inside a valid envelope, for every kind, only ever throw ApiError', () => {
  const rand = prng(SEED + 2);
  const kinds: [string, string][] = [
    ['v1', 'Pod'],
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'Service'],
    ['v1', 'Event'],
    ['v1', 'Node'],
    ['apps/v1', 'Deployment'],
    ['autoscaling/v1', 'Scale'],
    ['v1', 'DeleteOptions'],
  ];
  for (const [apiVersion, kind] of kinds) {
    for (let i = 0; i < RANDOM_BODIES / 10; i++) {
      const raw = randomBytes(rand, int(rand, 120));
      checkOne(envelope(apiVersion, kind, raw), `seed ${SEED + 2} ${kind} payload ${i}`);
    }
  }
});
