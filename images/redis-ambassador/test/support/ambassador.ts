/** Runs the ambassador in-process on a free loopback port for integration tests (masterPort 0: none). */
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/observe/log.js';
import { Ambassador } from '../../src/proxy/ambassador.js';

export async function startAmbassador(
  masterPort: number,
  replicaPorts: readonly number[],
  extraFlags: string[] = [],
): Promise<Ambassador> {
  const config = loadConfig({
    argv: [
      '--listen',
      '127.0.0.1:0',
      '--metrics-listen',
      '127.0.0.1:0',
      ...(masterPort > 0 ? ['--master', `127.0.0.1:${masterPort}`] : []),
      '--replicas',
      replicaPorts.map((p) => `127.0.0.1:${p}`).join(','),
      '--health-interval-ms',
      '200',
      '--health-timeout-ms',
      '300',
      '--command-timeout-ms',
      '1500',
      ...extraFlags,
    ],
    env: {},
  });
  const ambassador = new Ambassador(config, silentLogger());
  await ambassador.start();
  return ambassador;
}
