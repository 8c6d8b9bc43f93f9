/**
 * A throw-away node for data-path tests, built from network namespaces this process creates:
 *
 *   pbtest-<id>-node   bridge pbtest<id> 10.244.0.1/24, ip_forward on, a route for the service
 *                      range (a real node reaches it through its default route)
 *   pbtest-<id>-pN     eth0 10.244.0.(10+N)/24 via a veth on the bridge (hairpin on), default via .1,
 *                      a tiny TCP server on :8080 answering "<pod name> <client address>"
 *
 * Nothing touches the host's own namespace. `destroy` kills the servers by PID and deletes
 * the namespaces (which takes the bridge and veths with them); safe to call twice.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const SERVER = `
const net = require('node:net');
const [name, port] = process.argv.slice(1);
net.createServer((s) => s.end(name + ' ' + s.remoteAddress.replace(/^::ffff:/, '') + '\\n'))
  .listen(Number(port), '0.0.0.0', () => console.log('ready'));
`;

/** Opens `count` connections one after another; prints one JSON array of replies or error codes. */
const CLIENT = `
const net = require('node:net');
const [host, port, count] = process.argv.slice(1);
const one = () => new Promise((resolve) => {
  const s = net.connect({ host, port: Number(port), timeout: 1000 });
  let out = '';
  s.on('data', (d) => { out += d; });
  s.on('end', () => resolve(out.trim()));
  s.on('timeout', () => { s.destroy(); resolve('ERR:TIMEOUT'); });
  s.on('error', (e) => resolve('ERR:' + e.code));
});
(async () => {
  const replies = [];
  for (let i = 0; i < Number(count); i++) replies.push(await one());
  console.log(JSON.stringify(replies));
})();
`;

export interface TestPod {
  name: string;
  ns: string;
  ip: string;
}

export class TestNode {
  readonly id = randomBytes(3).toString('hex');
  readonly nodeNs = `pbtest-${this.id}-node`;
  readonly bridge = `pbtest${this.id}`;
  readonly bridgeIP = '10.244.0.1';
  readonly pods: TestPod[] = [];
  readonly #servers: ChildProcess[] = [];
  readonly #namespaces: string[] = [];

  #ip(ns: string, ...args: string[]): void {
    execFileSync('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  }

  create(podCount: number, serviceCidr: string): void {
    execFileSync('ip', ['netns', 'add', this.nodeNs]);
    this.#namespaces.push(this.nodeNs);
    this.#ip(this.nodeNs, 'ip', 'link', 'set', 'lo', 'up');
    this.#ip(this.nodeNs, 'ip', 'link', 'add', this.bridge, 'type', 'bridge');
    this.#ip(this.nodeNs, 'ip', 'addr', 'add', `${this.bridgeIP}/24`, 'dev', this.bridge);
    this.#ip(this.nodeNs, 'ip', 'link', 'set', this.bridge, 'up');
    this.#ip(this.nodeNs, 'ip', 'route', 'add', serviceCidr, 'dev', this.bridge);
    this.#ip(this.nodeNs, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
    for (let i = 1; i <= podCount; i++) {
      const pod: TestPod = { name: `p${i}`, ns: `pbtest-${this.id}-p${i}`, ip: `10.244.0.${10 + i}` };
      const hostSide = `pbt${this.id}p${i}`;
      execFileSync('ip', ['netns', 'add', pod.ns]);
      this.#namespaces.push(pod.ns);
      this.#ip(
        this.nodeNs,
        'ip',
        'link',
        'add',
        hostSide,
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'netns',
        pod.ns,
      );
      this.#ip(this.nodeNs, 'ip', 'link', 'set', hostSide, 'master', this.bridge, 'up');
      // With br_netfilter a hairpin connection (pod → its own Service → itself) is DNATed on the
      // bridge and must leave through the port it came in on: kubelet's hairpin-veth mode.
      this.#ip(this.nodeNs, 'ip', 'link', 'set', hostSide, 'type', 'bridge_slave', 'hairpin', 'on');
      this.#ip(pod.ns, 'ip', 'link', 'set', 'lo', 'up');
      this.#ip(pod.ns, 'ip', 'addr', 'add', `${pod.ip}/24`, 'dev', 'eth0');
      this.#ip(pod.ns, 'ip', 'link', 'set', 'eth0', 'up');
      this.#ip(pod.ns, 'ip', 'route', 'add', 'default', 'via', this.bridgeIP);
      this.pods.push(pod);
    }
  }

  /** Starts each pod's TCP server and waits until every one listens. */
  async startServers(port: number): Promise<void> {
    await Promise.all(
      this.pods.map(
        (pod) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(
              'ip',
              ['netns', 'exec', pod.ns, process.execPath, '-e', SERVER, pod.name, String(port)],
              {
                stdio: ['ignore', 'pipe', 'inherit'],
              },
            );
            this.#servers.push(child);
            const timer = setTimeout(() => reject(new Error(`server in ${pod.ns} did not start`)), 5000);
            child.stdout.once('data', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
  }

  /** Runs `count` sequential connections from namespace `ns`; returns each reply ("p1 10.244.0.1") or "ERR:<code>". */
  connect(ns: string, host: string, port: number, count: number): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        'ip',
        ['netns', 'exec', ns, process.execPath, '-e', CLIENT, host, String(port), String(count)],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d;
      });
      child.on('close', (code) =>
        code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`client exited ${code}`)),
      );
    });
  }

  /** Runs a command inside the node namespace and returns stdout (throws on failure). */
  run(...args: string[]): string {
    return execFileSync('ip', ['netns', 'exec', this.nodeNs, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  async destroy(): Promise<void> {
    for (const s of this.#servers.splice(0)) {
      if (s.exitCode !== null || s.pid === undefined) continue;
      const exited = new Promise((r) => s.once('exit', r));
      s.kill('SIGTERM');
      await exited;
    }
    for (const ns of this.#namespaces.splice(0).reverse()) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
  }
}
