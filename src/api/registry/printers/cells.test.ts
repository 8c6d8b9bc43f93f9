import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareGoStrings, firstNonEmpty, goTrimSpace, layoutContainerCells } from './cells.js';
import { joinHostPort, makePortString } from './ports.js';

describe('layoutContainerCells', () => {
  test('names and images joined with "," in spec order', () => {
    assert.deepEqual(
      layoutContainerCells([
        { name: 'fake-container1', image: 'fake-image1' },
        { name: 'fake-container2', image: 'fake-image2' },
      ]),
      { names: 'fake-container1,fake-container2', images: 'fake-image1,fake-image2' },
    );
    assert.deepEqual(layoutContainerCells([{ name: 'app' }]), { names: 'app', images: '' });
    assert.deepEqual(layoutContainerCells(undefined), { names: '', images: '' });
  });
});

describe('Go string semantics', () => {
  test('compareGoStrings orders by UTF-8 bytes', () => {
    assert.ok(compareGoStrings('a', 'b') < 0);
    assert.equal(compareGoStrings('x', 'x'), 0);
    // U+E000 vs U+10000: UTF-16 puts the surrogate pair (0xD800) first, UTF-8 puts U+E000 first.
    assert.ok(compareGoStrings('\u{E000}', '\u{10000}') < 0);
    assert.ok('\u{10000}' < '\u{E000}', 'JavaScript order differs, which is why the helper exists');
  });
  test('goTrimSpace trims what strings.TrimSpace trims', () => {
    assert.equal(goTrimSpace('  Message Data\n'), 'Message Data');
    assert.equal(goTrimSpace('\u0085x\u00a0'), 'x');
    assert.equal(goTrimSpace('\ufeffx'), '\ufeffx');
    assert.equal(goTrimSpace('a b'), 'a b');
  });
  test('firstNonEmpty', () => {
    assert.equal(firstNonEmpty(undefined, '', 'kubelet'), 'kubelet');
    assert.equal(firstNonEmpty('a', 'b'), 'a');
    assert.equal(firstNonEmpty(undefined, ''), '');
  });
});

describe('ports', () => {
  test('makePortString: port/protocol, node ports, joined with ","', () => {
    assert.equal(makePortString([{ port: 80, protocol: 'TCP' }]), '80/TCP');
    assert.equal(makePortString([{ port: 80, nodePort: 30080, protocol: 'TCP' }]), '80:30080/TCP');
    assert.equal(
      makePortString([
        { port: 80, protocol: 'TCP' },
        { port: 8090, protocol: 'UDP' },
        { port: 8000, protocol: 'TCP' },
        { port: 7777, protocol: 'SCTP' },
      ]),
      '80/TCP,8090/UDP,8000/TCP,7777/SCTP',
    );
    assert.equal(makePortString([{ port: 53, nodePort: 0, protocol: 'UDP' }]), '53/UDP');
    assert.equal(makePortString([]), '');
    assert.equal(makePortString(undefined), '');
  });
  test('joinHostPort brackets IPv6', () => {
    assert.equal(joinHostPort('10.0.0.1', 80), '10.0.0.1:80');
    assert.equal(joinHostPort('fd00::1', 443), '[fd00::1]:443');
  });
});
