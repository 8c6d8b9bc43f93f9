import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveCommand } from './command.js';
import { InvalidArgumentError } from './errors.js';

const image = { entrypoint: ['/entry.sh'], cmd: ['serve', '--port', '80'] };

test('Kubernetes command/args vs image entrypoint/cmd', () => {
  const cases: [Parameters<typeof resolveCommand>[0], string[]][] = [
    [{ ...image }, ['/entry.sh', 'serve', '--port', '80']],
    [{ ...image, command: ['/bin/app'] }, ['/bin/app']],
    [{ ...image, args: ['run'] }, ['/entry.sh', 'run']],
    [{ ...image, command: ['/bin/app'], args: ['-v'] }, ['/bin/app', '-v']],
    [{ entrypoint: [], cmd: ['sh'] }, ['sh']],
    [{ entrypoint: [], cmd: ['sh'], args: ['-c', 'echo'] }, ['-c', 'echo']],
    [{ ...image, command: [], args: [] }, ['/entry.sh', 'serve', '--port', '80']],
  ];
  for (const [input, want] of cases) assert.deepEqual(resolveCommand(input), want, JSON.stringify(input));
});

test('no command at all is an error naming the field', () => {
  assert.throws(
    () => resolveCommand({ entrypoint: [], cmd: [] }),
    (e: unknown) => {
      assert.ok(e instanceof InvalidArgumentError);
      assert.match(e.message, /^command: /);
      return true;
    },
  );
});
