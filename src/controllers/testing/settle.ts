/**
 * Runs queued work until everything is quiet: no watch event waiting in the fake client and no
 * key ready or running in any controller queue, for several consecutive macrotasks (delayed
 * keys, such as minReadySeconds requeues, do not count). Bounded: throws after `maxTicks`.
 */
import type { FakeClient } from './fake-client.js';

export interface Quiet {
  isQuiet(): boolean;
}

export async function settle(
  client: FakeClient,
  controllers: readonly Quiet[],
  maxTicks = 20_000,
): Promise<void> {
  let quietTicks = 0;
  for (let i = 0; i < maxTicks; i++) {
    await new Promise<void>((r) => setImmediate(r));
    const quiet = client.isQuiet() && controllers.every((c) => c.isQuiet());
    quietTicks = quiet ? quietTicks + 1 : 0;
    if (quietTicks >= 3) return;
  }
  throw new Error(`settle: still busy after ${maxTicks} ticks (a controller keeps writing?)`);
}
