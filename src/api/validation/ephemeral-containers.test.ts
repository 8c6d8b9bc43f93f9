import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EphemeralContainer, Pod, PodSpec } from 'kubernetes-types/core/v1';
import { defaultPod } from '../registry/pods/defaults.js';
import { validateEphemeralContainers, validateEphemeralContainersUpdate } from './ephemeral-containers.js';
import { type FieldError, formatFieldError } from './field.js';

const msgs = (errs: FieldError[]): string[] => errs.map(formatFieldError);

/** A defaulted pod (as the API validates it) with an app container, an init container and a volume. */
function pod(ephemeral: EphemeralContainer[], extra: Partial<PodSpec> = {}): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', resourceVersion: '7' },
    spec: {
      containers: [{ name: 'app', image: 'nginx:1.27' }],
      initContainers: [{ name: 'setup', image: 'busybox' }],
      volumes: [{ name: 'data', emptyDir: {} }],
      ephemeralContainers: ephemeral,
      ...extra,
    },
  };
  defaultPod(p);
  return p;
}

const validate = (p: Pod) =>
  msgs(validateEphemeralContainers(p.spec!, new Set(['data']), 'spec.ephemeralContainers'));

describe('validateEphemeralContainers', () => {
  test('what kubectl debug sends is valid', () => {
    const p = pod([
      {
        name: 'debugger-x7k2p',
        image: 'busybox',
        command: ['sh'],
        stdin: true,
        tty: true,
        targetContainerName: 'app',
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      },
    ]);
    assert.deepEqual(validate(p), []);
  });

  test('the target may be an init container but must exist and not be ephemeral', () => {
    assert.deepEqual(validate(pod([{ name: 'd1', image: 'busybox', targetContainerName: 'setup' }])), []);
    assert.deepEqual(
      validate(
        pod([
          { name: 'd1', image: 'busybox' },
          { name: 'd2', image: 'busybox', targetContainerName: 'd1' },
          { name: 'd3', image: 'busybox', targetContainerName: 'nope' },
        ]),
      ),
      [
        'spec.ephemeralContainers[1].targetContainerName: Not found: "d1"',
        'spec.ephemeralContainers[2].targetContainerName: Not found: "nope"',
      ],
    );
  });

  test('names are unique across regular, init and ephemeral containers', () => {
    assert.deepEqual(
      validate(
        pod([
          { name: 'app', image: 'busybox' },
          { name: 'setup', image: 'busybox' },
          { name: 'dbg', image: 'busybox' },
          { name: 'dbg', image: 'busybox' },
        ]),
      ),
      [
        'spec.ephemeralContainers[0].name: Duplicate value: "app"',
        'spec.ephemeralContainers[1].name: Duplicate value: "setup"',
        'spec.ephemeralContainers[3].name: Duplicate value: "dbg"',
      ],
    );
  });

  test('workload fields are forbidden, in upstream field order and wording', () => {
    const ec = {
      name: 'dbg',
      image: 'busybox',
      lifecycle: { preStop: { exec: { command: ['true'] } } },
      livenessProbe: { exec: { command: ['true'] } },
      ports: [{ containerPort: 80 }],
      readinessProbe: { exec: { command: ['true'] } },
      resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
      resources: { limits: { cpu: '1' } },
      restartPolicy: 'Always',
      startupProbe: { exec: { command: ['true'] } },
    } as EphemeralContainer;
    const errs = validate(pod([ec])).filter((m) => m.includes('Forbidden'));
    assert.deepEqual(errs, [
      'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].resizePolicy: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].restartPolicy: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].livenessProbe: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].startupProbe: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container',
    ]);
  });

  test('an empty list counts as set (Go: a non-nil slice); empty resources do not', () => {
    assert.deepEqual(validate(pod([{ name: 'dbg', image: 'busybox', ports: [] }])), [
      'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
    ]);
    assert.deepEqual(validate(pod([{ name: 'dbg', image: 'busybox', resources: {} }])), []);
  });

  test('subPath and subPathExpr are forbidden; an unknown volume is not found', () => {
    const p = pod([
      {
        name: 'dbg',
        image: 'busybox',
        volumeMounts: [
          { name: 'data', mountPath: '/a', subPath: 'x' },
          { name: 'data', mountPath: '/b', subPathExpr: '$(POD)' },
          { name: 'gone', mountPath: '/c' },
        ],
      },
    ]);
    assert.deepEqual(validate(p), [
      'spec.ephemeralContainers[0].volumeMounts[2].name: Not found: "gone"',
      'spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].volumeMounts[1].subPathExpr: Forbidden: cannot be set for an Ephemeral Container',
    ]);
  });

  test('the common container rules apply (image required, name a DNS label, no stray whitespace)', () => {
    const p = pod([
      { name: 'Bad_Name', image: 'busybox' },
      { name: 'noimage' } as EphemeralContainer,
      { name: 'spaced', image: ' busybox' },
    ]);
    const out = validate(p);
    assert.ok(out.some((m) => m.startsWith('spec.ephemeralContainers[0].name: Invalid value: "Bad_Name"')));
    assert.ok(out.includes('spec.ephemeralContainers[1].image: Required value'), out.join('\n'));
    assert.ok(
      out.includes(
        'spec.ephemeralContainers[2].image: Invalid value: " busybox": must not have leading or trailing whitespace',
      ),
      out.join('\n'),
    );
  });
});

describe('validateEphemeralContainersUpdate', () => {
  const dbg: EphemeralContainer = { name: 'dbg', image: 'busybox', stdin: true, tty: true };

  test('adding one is allowed, whatever the order the patch left them in', () => {
    const old = pod([dbg]);
    const next = pod([{ name: 'dbg2', image: 'busybox' }, dbg]);
    assert.deepEqual(validateEphemeralContainersUpdate(next, old), []);
  });

  test('removing one is forbidden', () => {
    assert.deepEqual(msgs(validateEphemeralContainersUpdate(pod([]), pod([dbg]))), [
      'spec.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be removed\n',
    ]);
  });

  test('changing one is forbidden, with a diff of what changed', () => {
    const [err] = msgs(validateEphemeralContainersUpdate(pod([{ ...dbg, image: 'nginx' }]), pod([dbg])));
    assert.match(
      err ?? '',
      /^spec\.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be changed\n/,
    );
    assert.match(err ?? '', /- \tspec\.ephemeralContainers\{dbg\}\.image: "busybox"/);
    assert.match(err ?? '', /\+ \tspec\.ephemeralContainers\{dbg\}\.image: "nginx"/);
  });

  test('a static (mirror) pod takes none', () => {
    const old = pod([]);
    old.metadata!.annotations = { 'kubernetes.io/config.mirror': 'abc' };
    assert.deepEqual(msgs(validateEphemeralContainersUpdate(pod([dbg]), old)), [
      ': Forbidden: static pods do not support ephemeral containers',
    ]);
  });
});
