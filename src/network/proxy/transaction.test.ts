import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTransaction, parseLiveObjects } from './transaction.js';

describe('nft transaction', () => {
  test('flushes, re-declares, and deletes only what is no longer wanted', () => {
    const text = buildTransaction(
      'podbay',
      {
        text: 'table ip podbay {\n}\n',
        chains: ['services', 'service-A'],
        maps: ['service-ips'],
        sets: ['affinity-A'],
      },
      {
        chains: ['services', 'service-A', 'service-OLD'],
        maps: ['service-ips', 'gone-map'],
        sets: ['affinity-A', 'affinity-OLD'],
      },
    );
    assert.equal(
      text,
      [
        'add table ip podbay',
        'flush table ip podbay',
        'flush map ip podbay service-ips',
        'flush map ip podbay gone-map',
        'table ip podbay {\n}',
        'delete chain ip podbay service-OLD',
        'delete map ip podbay gone-map',
        'delete set ip podbay affinity-OLD',
        '',
      ].join('\n'),
    );
  });

  test('a missing table means nothing live; names come from nft -j', () => {
    assert.deepEqual(parseLiveObjects(''), { chains: [], maps: [], sets: [] });
    const json = JSON.stringify({
      nftables: [
        { metainfo: { version: '1.0.6' } },
        { table: { family: 'ip', name: 'podbay' } },
        { set: { name: 'affinity-X', type: 'ipv4_addr' } },
        { map: { name: 'service-ips', map: 'verdict' } },
        { chain: { name: 'services' } },
        { rule: { chain: 'services' } },
      ],
    });
    assert.deepEqual(parseLiveObjects(json), {
      chains: ['services'],
      maps: ['service-ips'],
      sets: ['affinity-X'],
    });
  });
});
