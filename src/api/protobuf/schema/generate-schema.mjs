#!/usr/bin/env node
// Dev-time generator for the protobuf schema tables in this directory (*.generated.ts).
//
// Why two inputs: generated.proto gives field numbers, wire types, repeated/map and nested message names;
// types.go gives what proto cannot: the JSON name, `omitempty`, whether the Go field is a pointer (gogo
// always writes non-pointer fields, so zero values must be dropped again the way encoding/json would) and
// `json:",inline"` embedding (Volume.volumeSource, Probe.handler, ...), which JSON flattens.
//
// Usage (upstream files are fetched into a scratch directory and never committed):
//   D=$(mktemp -d)
//   (cd k8s.io/api checkout && for p in core/v1 apps/v1 autoscaling/v1 autoscaling/v2 authentication/v1 authorization/v1 batch/v1 discovery/v1 coordination/v1 rbac/v1 networking/v1 policy/v1 scheduling/v1 storage/v1; do n=$(echo $p | tr / _);
//      git show v0.32.9:$p/generated.proto >$D/$n.proto; git show v0.32.9:$p/types.go >$D/$n.go; done)
//   (cd k8s.io/apimachinery checkout && git show v0.32.9:pkg/apis/meta/v1/generated.proto >$D/meta_v1.proto &&
//      git show v0.32.9:pkg/apis/meta/v1/types.go >$D/meta_v1.go)
//   node src/api/protobuf/schema/generate-schema.mjs $D v0.32.9 && npx biome format --write src/api/protobuf/schema
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGES } from './packages.mjs';

const [srcDir, upstreamTag = 'unknown'] = process.argv.slice(2);
if (!srcDir) {
  console.error('usage: generate-schema.mjs <dir with *_v1.proto and *_v1.go> [upstream tag]');
  process.exit(2);
}
const outDir = new URL('.', import.meta.url).pathname;

/** Packages whose messages the decoder handles by hand (see ../special-types.ts); no tables emitted. */
const OTHER_PACKAGES = {
  'k8s.io.apimachinery.pkg.util.intstr': 'intstr',
  'k8s.io.apimachinery.pkg.api.resource': 'resource',
  'k8s.io.apimachinery.pkg.runtime': 'runtime',
  'k8s.io.apimachinery.pkg.runtime.schema': 'schema',
};
/** Messages whose JSON form is not an object of their fields; the decoder special-cases each one. */
const SPECIAL = new Set([
  'meta.v1.Time',
  'meta.v1.MicroTime',
  'meta.v1.FieldsV1',
  'intstr.IntOrString',
  'resource.Quantity',
  'authentication.v1.ExtraValue',
  'authorization.v1.ExtraValue',
  'runtime.RawExtension',
]);
/** The kinds podbay decodes; everything reachable from them is emitted. */
const ROOTS = [
  'core.v1.Namespace',
  'core.v1.ConfigMap',
  'core.v1.Secret',
  'core.v1.Service',
  'core.v1.ServiceAccount',
  'core.v1.Pod',
  'core.v1.Endpoints',
  'core.v1.Event',
  'core.v1.Node',
  'core.v1.LimitRange',
  'core.v1.ResourceQuota',
  'core.v1.PersistentVolume',
  'core.v1.PersistentVolumeClaim',
  'apps.v1.ControllerRevision',
  'apps.v1.DaemonSet',
  'apps.v1.Deployment',
  'apps.v1.ReplicaSet',
  'apps.v1.StatefulSet',
  'autoscaling.v1.Scale',
  'autoscaling.v1.HorizontalPodAutoscaler',
  'autoscaling.v2.HorizontalPodAutoscaler',
  'authentication.v1.TokenRequest',
  'authentication.v1.SelfSubjectReview',
  'authorization.v1.SelfSubjectAccessReview',
  'authorization.v1.SelfSubjectRulesReview',
  'authorization.v1.SubjectAccessReview',
  'authorization.v1.LocalSubjectAccessReview',
  'batch.v1.Job',
  'batch.v1.CronJob',
  'discovery.v1.EndpointSlice',
  'coordination.v1.Lease',
  'rbac.v1.Role',
  'rbac.v1.RoleBinding',
  'rbac.v1.ClusterRole',
  'rbac.v1.ClusterRoleBinding',
  'networking.v1.NetworkPolicy',
  'policy.v1.PodDisruptionBudget',
  'policy.v1.Eviction',
  'scheduling.v1.PriorityClass',
  'storage.v1.StorageClass',
  'networking.v1.Ingress',
  'networking.v1.IngressClass',
  'meta.v1.DeleteOptions',
];
const SCALARS = new Set(['string', 'bytes', 'bool', 'int32', 'int64']);

function shortName(typeName, currentShort) {
  if (!typeName.startsWith('.')) return `${currentShort}.${typeName}`;
  const full = typeName.slice(1);
  const dot = full.lastIndexOf('.');
  const pkg = full.slice(0, dot);
  const known = PACKAGES.find((p) => p.pkg === pkg)?.short ?? OTHER_PACKAGES[pkg];
  if (!known) throw new Error(`unknown proto package ${pkg} in ${typeName}`);
  return `${known}.${full.slice(dot + 1)}`;
}

/** Parses the subset of proto2 that go-to-protobuf emits: flat messages of optional/repeated/map fields. */
function parseProto(text, short) {
  const messages = new Map();
  let current = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    const open = /^message (\w+) \{$/.exec(line);
    if (open) {
      current = { name: `${short}.${open[1]}`, fields: new Map() };
      messages.set(current.name, current);
      continue;
    }
    if (line === '}') {
      current = null;
      continue;
    }
    if (!current) continue;
    const plain = /^(optional|repeated|required) ([\w.]+) (\w+) = (\d+);$/.exec(line);
    const map = /^map<string, ([\w.]+)> (\w+) = (\d+);$/.exec(line);
    if (plain) {
      const [, label, type, name, num] = plain;
      current.fields.set(Number(num), {
        protoName: name,
        repeated: label === 'repeated',
        map: false,
        ...typeOf(type, short),
      });
    } else if (map) {
      const [, type, name, num] = map;
      current.fields.set(Number(num), {
        protoName: name,
        repeated: false,
        map: true,
        ...typeOf(type, short),
      });
    } else {
      throw new Error(`unparsed proto line in ${current.name}: ${line}`);
    }
  }
  return messages;
}

function typeOf(type, short) {
  if (SCALARS.has(type)) return { type };
  if (/^[a-z]/.test(type)) throw new Error(`unsupported scalar type ${type}`);
  return { type: 'message', message: shortName(type, short) };
}

/** Reads Go struct field tags: field number → { json, omitEmpty, pointer, inline }. */
function parseGoStructs(text, short) {
  const structs = new Map();
  let current = null;
  for (const line of text.split('\n')) {
    const open = /^type (\w+) struct \{/.exec(line);
    if (open) {
      current = new Map();
      structs.set(`${short}.${open[1]}`, current);
      continue;
    }
    if (line.startsWith('}')) {
      current = null;
      continue;
    }
    if (!current) continue;
    const field = /^\s*(?:(\w+)\s+)?([^\s`]+)\s+`([^`]*)`/.exec(line);
    if (!field) continue;
    const [, , goType, tag] = field;
    const proto = /protobuf:"\w+,(\d+),/.exec(tag);
    const json = /json:"([^"]*)"/.exec(tag);
    if (!proto || !json) continue;
    const [jsonName, ...opts] = json[1].split(',');
    current.set(Number(proto[1]), {
      json: jsonName,
      omitEmpty: opts.includes('omitempty'),
      pointer: goType.startsWith('*'),
      inline: opts.includes('inline'),
    });
  }
  return structs;
}

const messages = new Map();
const goStructs = new Map();
for (const p of PACKAGES) {
  for (const [k, v] of parseProto(readFileSync(join(srcDir, `${p.stem}.proto`), 'utf8'), p.short)) {
    messages.set(k, v);
  }
  for (const [k, v] of parseGoStructs(readFileSync(join(srcDir, `${p.stem}.go`), 'utf8'), p.short)) {
    goStructs.set(k, v);
  }
}

// Walk from the roots so only messages the decoder can meet are emitted.
const reachable = new Set();
const queue = [...ROOTS];
while (queue.length > 0) {
  const name = queue.pop();
  if (reachable.has(name) || SPECIAL.has(name)) continue;
  const msg = messages.get(name);
  if (!msg) throw new Error(`message ${name} is reachable but not defined in the inputs`);
  reachable.add(name);
  for (const f of msg.fields.values()) if (f.message) queue.push(f.message);
}

const q = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const warnings = [];

function renderField(msgName, num, f) {
  const go = goStructs.get(msgName)?.get(num);
  if (!go) warnings.push(`${msgName} field ${num} (${f.protoName}): no Go tag, JSON name taken from proto`);
  if (go?.json === '-') throw new Error(`${msgName}.${f.protoName} has json:"-" but is reachable`);
  const parts = [`json: ${q(go?.json || f.protoName)}`, `type: ${q(f.type)}`];
  if (f.message) parts.push(`message: ${q(f.message)}`);
  if (f.repeated) parts.push('repeated: true');
  if (f.map) parts.push('map: true');
  if (go?.inline) parts.push('inline: true');
  if (go ? go.omitEmpty : true) parts.push('omitEmpty: true');
  if (go?.pointer) parts.push('pointer: true');
  return `    ${num}: { ${parts.join(', ')} },`;
}

for (const p of PACKAGES) {
  const names = [...reachable].filter((n) => n.startsWith(`${p.short}.`)).sort();
  const constName = `${p.short.replace('.', '_').toUpperCase()}_MESSAGES`;
  const lines = [
    `// Generated by src/api/protobuf/schema/generate-schema.mjs from ${p.pkg} ${upstreamTag} (generated.proto + types.go). Do not edit.`,
    "import type { MessageTable } from './types.js';",
    '',
    `/** ${names.length} ${p.short} messages reachable from the kinds podbay decodes, keyed by field number. */`,
    `export const ${constName}: MessageTable = {`,
  ];
  for (const name of names) {
    const fields = [...messages.get(name).fields.entries()].sort((a, b) => a[0] - b[0]);
    lines.push(`  ${q(name)}: {`);
    for (const [num, f] of fields) lines.push(renderField(name, num, f));
    lines.push('  },');
  }
  lines.push('};', '');
  writeFileSync(join(outDir, `${p.out}.generated.ts`), lines.join('\n'));
  console.log(`${p.out}.generated.ts: ${names.length} messages`);
}
for (const w of warnings) console.warn(`warning: ${w}`);
