// Reads one answer line from stdin, like Go's fmt.Scanln in golang-migrate's prompts. No stdin (an
// init container) reads as "no", so destructive commands never proceed without -f / -all.
import { createInterface } from 'node:readline';

export function confirm(): Promise<boolean> {
  return new Promise((resolve) => {
    if (process.stdin.isTTY === undefined && process.stdin.readableEnded) return resolve(false);
    const rl = createInterface({ input: process.stdin });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line.trim().toLowerCase() === 'y');
    });
    rl.once('close', () => {
      if (!answered) resolve(false);
    });
  });
}
