import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyStateCommand, handshakeFor, initialState, signature } from './session-state.js';

const args = (...a: string[]): Buffer[] => a.map((x) => Buffer.from(x));

describe('session state', () => {
  test('SELECT, AUTH, HELLO and CLIENT SETNAME change the state they name', () => {
    let s = initialState({});
    s = applyStateCommand(s, args('SELECT', '3'));
    s = applyStateCommand(s, args('CLIENT', 'SETNAME', 'web'));
    s = applyStateCommand(s, args('HELLO', '3', 'AUTH', 'alice', 'pw'));
    assert.deepEqual(s, { db: 3, protocol: 3, name: 'web', username: 'alice', password: 'pw' });
    assert.deepEqual(applyStateCommand(s, args('AUTH', 'pw2')), {
      db: 3,
      protocol: 3,
      name: 'web',
      password: 'pw2',
    });
    assert.deepEqual(applyStateCommand(s, args('HELLO')), s, 'HELLO without a version changes nothing');
  });

  test('the handshake replays the state in the order Redis needs', () => {
    const s = { db: 2, protocol: 3 as const, name: 'n', password: 'pw' };
    assert.deepEqual(
      handshakeFor(s).map((b) =>
        b
          .toString()
          .split('\r\n')
          .filter((_, i) => i % 2 === 0 && i > 0)
          .join(' '),
      ),
      ['HELLO 3 AUTH default pw', 'SELECT 2', 'CLIENT SETNAME n'],
    );
    assert.deepEqual(handshakeFor(initialState({})), []);
  });

  test('signatures differ exactly when state differs', () => {
    const a = initialState({ password: 'x' });
    assert.equal(signature(a), signature(initialState({ password: 'x' })));
    assert.notEqual(signature(a), signature(applyStateCommand(a, args('SELECT', '1'))));
  });
});
