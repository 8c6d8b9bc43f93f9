import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, describe, test } from 'node:test';
import { openTestRegistry } from '../testing/registry.js';
import { serveWatch } from './watch.js';

/** Just enough of a ServerResponse for serveWatch: records what is written and whether it ended. */
function fakeResponse() {
  const res = Object.assign(new EventEmitter(), {
    lines: [] as string[],
    ended: false,
    writableLength: 0,
    writeHead: () => res,
    flushHeaders: () => {},
    write: (line: string) => res.lines.push(line),
    end: () => {
      res.ended = true;
    },
  });
  return res;
}

describe('watch timeoutSeconds', () => {
  const { store, registry } = openTestRegistry();
  after(() => store.close());
  const clock = { now: () => new Date() };

  for (const timeoutSeconds of [2 ** 31, 99_999_999_999])
    test(`${timeoutSeconds} s keeps the watch open (a timer past 2^31-1 ms would fire at once)`, async () => {
      const req = new EventEmitter();
      const res = fakeResponse();
      serveWatch(
        registry,
        req as unknown as IncomingMessage,
        res as unknown as ServerResponse,
        {
          resource: 'namespaces',
          namespace: '',
          resourceVersion: null,
          timeoutSeconds,
          allowBookmarks: false,
          shape: 'object',
          includeObject: 'Metadata',
        },
        clock,
      );
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(res.ended, false, 'the watch ended by itself');
      assert.match(res.lines[0] ?? '', /"type":"ADDED"/);
      req.emit('close');
      assert.equal(res.ended, true);
    });
});
