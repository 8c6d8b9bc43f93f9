/**
 * Test helper: the `kubectl create` invocations whose protobuf bodies are the decoder's real test vectors,
 * and the code that captures one. For each case the stock kubectl is run twice with identical inputs:
 * once against the capture server (the protobuf POST body), once with `--dry-run=client -o json` (the
 * object's JSON form as kubectl's own Go code marshals it). That JSON is the decoder's expected output,
 * produced independently of the decoder.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CaptureServer, runKubectl } from './kubectl-capture.js';

const execFileAsync = promisify(execFile);

export interface KubectlCase {
  /** Fixture file stem: testdata/<name>.pb and testdata/<name>.json. */
  readonly name: string;
  readonly args: readonly string[];
  /** Writes the input files the args refer to (relative to `dir`, kubectl's cwd). */
  readonly prepare?: (dir: string) => Promise<void>;
}

/** 0x00..0xff: not UTF-8, so kubectl puts it in ConfigMap.binaryData. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

async function selfSignedTls(dir: string): Promise<void> {
  // Any valid pair works: `kubectl create secret tls` checks the key matches the certificate.
  await execFileAsync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=web.example',
    '-keyout',
    join(dir, 'tls.key'),
    '-out',
    join(dir, 'tls.crt'),
  ]);
}

export const KUBECTL_CASES: readonly KubectlCase[] = [
  { name: 'namespace', args: ['create', 'namespace', 'development'] },
  {
    name: 'configmap-literal',
    args: [
      'create',
      'configmap',
      'app-config',
      '--from-literal=LOG_LEVEL=debug',
      '--from-literal=greeting=héllo wörld',
      '-n',
      'default',
    ],
  },
  {
    name: 'configmap-binary-file',
    args: ['create', 'configmap', 'blobs', '--from-file=blob.bin', '--from-file=notes.txt', '-n', 'default'],
    prepare: async (dir) => {
      await writeFile(join(dir, 'blob.bin'), ALL_BYTES);
      await writeFile(join(dir, 'notes.txt'), 'line one\nline two\n');
    },
  },
  {
    name: 'secret-generic',
    args: [
      'create',
      'secret',
      'generic',
      'db-creds',
      '--from-literal=username=admin',
      '--from-literal=password=s3cr3t!',
      '-n',
      'default',
    ],
  },
  {
    name: 'secret-tls-like',
    args: [
      'create',
      'secret',
      'generic',
      'web-tls',
      '--type=kubernetes.io/tls',
      '--from-file=tls.crt=tls.crt',
      '--from-file=tls.key=tls.key',
      '-n',
      'default',
    ],
    prepare: selfSignedTls,
  },
  {
    name: 'secret-tls',
    args: ['create', 'secret', 'tls', 'web-cert', '--cert=tls.crt', '--key=tls.key', '-n', 'default'],
    prepare: selfSignedTls,
  },
  {
    name: 'deployment',
    args: ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=80', '-n', 'default'],
  },
  {
    name: 'service-clusterip',
    args: ['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '--tcp=443:https', '-n', 'default'],
  },
  {
    name: 'service-nodeport',
    args: ['create', 'service', 'nodeport', 'web-np', '--tcp=80:8080', '--node-port=30080', '-n', 'default'],
  },
  { name: 'serviceaccount', args: ['create', 'serviceaccount', 'robot', '-n', 'default'] },
];

export interface CapturedCase {
  /** The protobuf body kubectl POSTed. */
  readonly body: Buffer;
  readonly contentType: string;
  /** kubectl's own JSON form of the same object (`--dry-run=client -o json`). */
  readonly expectedJson: unknown;
}

/** Runs one case against a fresh capture server; throws with kubectl's stderr if either run fails. */
export async function captureCase(c: KubectlCase): Promise<CapturedCase> {
  const dir = await mkdtemp(join(tmpdir(), 'podbay-capture-'));
  const server = new CaptureServer();
  try {
    await server.start();
    await c.prepare?.(dir);
    const sent = await runKubectl(server.url, c.args, dir);
    if (sent.code !== 0) throw new Error(`kubectl ${c.args.join(' ')} exited ${sent.code}: ${sent.stderr}`);
    const writes = server.writes();
    if (writes.length !== 1) throw new Error(`expected one write from ${c.name}, got ${writes.length}`);
    const dry = await runKubectl(server.url, [...c.args, '--dry-run=client', '-o', 'json'], dir);
    if (dry.code !== 0) throw new Error(`kubectl dry-run ${c.name} exited ${dry.code}: ${dry.stderr}`);
    return {
      body: writes[0]!.body,
      contentType: writes[0]!.contentType,
      expectedJson: JSON.parse(dry.stdout),
    };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
