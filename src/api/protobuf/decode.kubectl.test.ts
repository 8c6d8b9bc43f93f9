/**
 * Real test vectors: protobuf bodies the stock kubectl sends for `kubectl create ...`, decoded and
 * compared with kubectl's own JSON form of the same object (`--dry-run=client -o json`).
 * The committed fixtures pin today's behaviour; the live suite re-captures from the installed kubectl.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE } from './decode.js';
import { loadFixture } from './testing/fixtures.js';
import { captureCase, KUBECTL_CASES } from './testing/kubectl-cases.js';

describe('committed kubectl fixtures', () => {
  for (const c of KUBECTL_CASES) {
    test(`${c.name}: decodes to kubectl's JSON form`, async () => {
      const fixture = await loadFixture(c.name);
      assert.deepStrictEqual(decodeKubernetesProtobuf(fixture.body), fixture.expectedJson);
    });
  }

  test('binary --from-file lands in binaryData as base64 of the exact bytes', async () => {
    const obj = decodeKubernetesProtobuf((await loadFixture('configmap-binary-file')).body);
    const binary = obj.binaryData as Record<string, string>;
    assert.deepStrictEqual([...Buffer.from(binary['blob.bin']!, 'base64')], [...Array(256).keys()]);
    assert.deepStrictEqual(obj.data, { 'notes.txt': 'line one\nline two\n' });
  });

  test('deployment keeps replicas, port and the template kubectl built', async () => {
    const obj = decodeKubernetesProtobuf((await loadFixture('deployment')).body);
    const spec = obj.spec as {
      replicas: number;
      template: { spec: { containers: { image: string; ports: unknown }[] } };
    };
    assert.equal(spec.replicas, 3);
    assert.equal(spec.template.spec.containers[0]!.image, 'nginx:1.27');
    assert.deepStrictEqual(spec.template.spec.containers[0]!.ports, [{ containerPort: 80 }]);
  });
});

describe('live capture from the installed kubectl', () => {
  for (const c of KUBECTL_CASES) {
    test(`kubectl ${c.args.slice(0, 3).join(' ')} (${c.name})`, async () => {
      const captured = await captureCase(c);
      assert.equal(captured.contentType, PROTOBUF_CONTENT_TYPE);
      assert.deepStrictEqual(decodeKubernetesProtobuf(captured.body), captured.expectedJson);
    });
  }
});
