#!/usr/bin/env node
// Dev-time generator for the OpenAPI documentation tables in ./docs (*.generated.ts): the descriptions
// `kubectl explain` prints and the fields it marks -required-, for every message the protobuf schema tables
// (../protobuf/schema/*.generated.ts) hold. The structure of each schema (types, refs, lists, maps) comes
// from those tables at run time (./schemas.ts); only what they lack is generated here.
//
// Inputs, per package: types_swagger_doc_generated.go (the descriptions exactly as kube-openapi formats
// them into upstream's OpenAPI) and types.go (`+optional` tags: kube-openapi marks a field required when
// its json tag has no omitempty and its comment no +optional). The special scalar types (Quantity,
// IntOrString, Time, MicroTime, RawExtension) get their Go type comment, formatted as kube-openapi does.
//
// Usage (upstream files are fetched into a scratch directory and never committed):
//   D=$(mktemp -d)
//   (cd k8s.io/api checkout && for p in core/v1 apps/v1 autoscaling/v1 authentication/v1 authorization/v1 batch/v1 discovery/v1 coordination/v1 rbac/v1 networking/v1; do
//      n=$(echo $p | tr / _); git show v0.32.9:$p/types_swagger_doc_generated.go >$D/${n}_doc.go;
//      git show v0.32.9:$p/types.go >$D/$n.go; done)
//   (cd k8s.io/apimachinery checkout && git show v0.32.9:pkg/apis/meta/v1/types_swagger_doc_generated.go >$D/meta_v1_doc.go &&
//      git show v0.32.9:pkg/apis/meta/v1/types.go >$D/meta_v1.go &&
//      git show v0.32.9:pkg/api/resource/quantity.go >$D/quantity.go && git show v0.32.9:pkg/util/intstr/intstr.go >$D/intstr.go &&
//      git show v0.32.9:pkg/apis/meta/v1/time.go >$D/time.go && git show v0.32.9:pkg/apis/meta/v1/micro_time.go >$D/micro_time.go &&
//      git show v0.32.9:pkg/runtime/types.go >$D/runtime_types.go)
//   node src/api/openapi/generate-docs.mjs $D v0.32.9 && npx biome format --write src/api/openapi/docs
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGES } from '../protobuf/schema/packages.mjs';

const [srcDir, upstreamTag = 'unknown'] = process.argv.slice(2);
if (!srcDir) {
  console.error(
    'usage: generate-docs.mjs <dir with *_v1_doc.go, *_v1.go and the special types> [upstream tag]',
  );
  process.exit(2);
}
const here = new URL('.', import.meta.url).pathname;
const schemaDir = join(here, '..', 'protobuf', 'schema');

/** The special types: short name → (file, Go type whose doc comment describes it). */
const SPECIAL = {
  'resource.Quantity': ['quantity.go', 'Quantity'],
  'intstr.IntOrString': ['intstr.go', 'IntOrString'],
  'meta.v1.Time': ['time.go', 'Time'],
  'meta.v1.MicroTime': ['micro_time.go', 'MicroTime'],
  'runtime.RawExtension': ['runtime_types.go', 'RawExtension'],
};

/** kube-openapi's fmtRawDoc (gengo comment → OpenAPI description), without its JSON escaping. */
function fmtRawDoc(lines) {
  let out = '';
  const delPrev = () => {
    out = out.slice(0, -1);
  };
  for (const raw of lines.join('\n').split('---')[0].split('\n')) {
    const line = raw.replace(/ +$/, '');
    const leading = line.replace(/^ +/, '');
    if (line.length === 0) {
      delPrev();
      out += '\n\n';
    } else if (leading.startsWith('TODO') || leading.startsWith('+')) {
      // one-line TODOs and generator tags are dropped
    } else if (line.startsWith(' ') || line.startsWith('\t')) {
      delPrev();
      out += `\n${line}\n`;
    } else {
      out += `${line} `;
    }
  }
  return out.replace(/\n+$/, '').replace(/ +$/, '');
}

/** The doc comment right above `type <name>` in a Go file. */
function typeComment(text, name) {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^type ${name}\\b`).test(l));
  if (at < 0) throw new Error(`type ${name} not found`);
  const comment = [];
  for (let i = at - 1; i >= 0 && lines[i].startsWith('//'); i--)
    comment.unshift(lines[i].replace(/^\/\/ ?/, ''));
  return fmtRawDoc(comment);
}

/** types_swagger_doc_generated.go: `var map_X = map[string]string{ "field": "text", ... }`. */
function parseSwaggerDocs(text, short) {
  const docs = new Map();
  let current = null;
  for (const line of text.split('\n')) {
    const open = /^var map_(\w+) = map\[string\]string\{/.exec(line);
    if (open) {
      current = new Map();
      docs.set(`${short}.${open[1]}`, current);
      continue;
    }
    if (line.startsWith('}')) {
      current = null;
      continue;
    }
    if (!current) continue;
    const entry = /^\s*"([^"]*)":\s*("(?:[^"\\]|\\.)*"),\s*$/.exec(line);
    if (!entry) throw new Error(`unparsed swagger doc line: ${line}`);
    current.set(entry[1], JSON.parse(entry[2]));
  }
  return docs;
}

/**
 * types.go: per struct, the JSON names kube-openapi lists as required, and whether it embeds
 * metav1.TypeMeta (then its schema has apiVersion and kind, which the protobuf tables do not carry).
 */
function parseStructs(text, short) {
  const required = new Map();
  const typeMeta = new Set();
  /** struct → JSON name → Go type without pointer, slice or package (to find enum fields). */
  const goTypes = new Map();
  /** The struct being read (table key) and its required names; null between structs. */
  let struct = '';
  let current = null;
  let comment = [];
  for (const line of text.split('\n')) {
    const open = /^type (\w+) struct \{/.exec(line);
    if (open) {
      struct = `${short}.${open[1]}`;
      current = [];
      required.set(struct, current);
      goTypes.set(struct, new Map());
      comment = [];
      continue;
    }
    if (line.startsWith('}')) {
      current = null;
      continue;
    }
    if (!current) continue;
    const trimmed = line.trim();
    if (/^(?:metav1\.)?TypeMeta\s+`json:",inline"/.test(trimmed)) typeMeta.add(struct);
    if (trimmed.startsWith('//')) {
      comment.push(trimmed);
      continue;
    }
    const field = /^\s*(?:(\w+)\s+)?([^\s`]+)\s+`([^`]*)`/.exec(line);
    if (field) {
      const json = /json:"([^"]*)"/.exec(field[3]);
      if (json) {
        const [name, ...opts] = json[1].split(',');
        const bare = field[2].replace(/^[*[\]]+/, '').replace(/^\w+\./, '');
        goTypes.get(struct).set(name, { type: bare, list: field[2].startsWith('[]') });
        const optional = opts.includes('omitempty') || comment.some((c) => /^\/\/\s*\+optional\b/.test(c));
        if (!optional && !opts.includes('inline') && name !== '-' && name !== '') current.push(name);
      }
    }
    comment = [];
  }
  return { required, typeMeta, goTypes };
}

/**
 * `// +enum` string types and their constants: type name → [value, comment][] (sorted by value), as
 * kube-openapi lists them in "Possible enum values" and `enum`.
 */
function parseEnums(text, enums) {
  const lines = text.split('\n');
  const enumTypes = new Set();
  let comment = [];
  for (const line of lines) {
    if (line.startsWith('//')) {
      comment.push(line);
      continue;
    }
    const t = /^type (\w+) string\b/.exec(line);
    if (t && comment.some((c) => /^\/\/\s*\+enum\b/.test(c))) enumTypes.add(t[1]);
    comment = [];
  }
  comment = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith('//')) {
      comment.push(trimmed.replace(/^\/\/ ?/, ''));
      continue;
    }
    const c = /^\s*\w+\s+(\w+)\s*=\s*"([^"]*)"/.exec(line);
    if (c && enumTypes.has(c[1])) {
      const text = comment
        .filter((l) => !l.startsWith('+'))
        .join(' ')
        .trim();
      const list = enums.get(c[1]) ?? [];
      if (!list.some(([v]) => v === c[2])) list.push([c[2], text]);
      enums.set(c[1], list);
    }
    comment = [];
  }
  for (const t of enumTypes) if (!enums.has(t)) enums.set(t, []);
  for (const list of enums.values()) list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The messages a protobuf table file holds (its keys). */
function tableKeys(out) {
  const text = readFileSync(join(schemaDir, `${out}.generated.ts`), 'utf8');
  return [...text.matchAll(/^ {2}'([\w.]+)': \{$/gm)].map((m) => m[1]);
}

const q = (s) => JSON.stringify(s);
const missing = [];
let total = 0;
const enums = new Map();
for (const p of PACKAGES) parseEnums(readFileSync(join(srcDir, `${p.stem}.go`), 'utf8'), enums);
for (const p of PACKAGES) {
  const docs = parseSwaggerDocs(readFileSync(join(srcDir, `${p.stem}_doc.go`), 'utf8'), p.short);
  const { required, typeMeta, goTypes } = parseStructs(
    readFileSync(join(srcDir, `${p.stem}.go`), 'utf8'),
    p.short,
  );
  const constName = `${p.short.replace('.', '_').toUpperCase()}_DOCS`;
  const lines = [
    `// Generated by src/api/openapi/generate-docs.mjs from ${p.from} ${upstreamTag} (types_swagger_doc_generated.go + types.go). Do not edit.`,
    "import type { DocTable } from '../types.js';",
    '',
    `export const ${constName}: DocTable = {`,
  ];
  const names = tableKeys(p.out);
  if (p.short === 'meta.v1') names.push('meta.v1.FieldsV1', 'meta.v1.TypeMeta');
  for (const name of names.sort()) {
    const d = docs.get(name);
    if (!d) {
      missing.push(name);
      continue;
    }
    const fields = [...d.entries()].filter(([k]) => k !== '').sort((a, b) => (a[0] < b[0] ? -1 : 1));
    lines.push(`  ${q(name)}: {`, `    doc: ${q(d.get('') ?? '')},`);
    lines.push('    fields: {');
    const fieldEnums = [];
    for (const [k, v] of fields) {
      const values = enums.get(goTypes.get(name)?.get(k)?.type);
      if (values && values.length > 0) {
        // kube-openapi appends the values (with each constant's comment) to the description.
        const list = values.map(([value, c]) => ` - \`${JSON.stringify(value)}\`${c ? ` ${c}` : ''}`);
        lines.push(`      ${q(k)}: ${q(`${v}\n\nPossible enum values:\n${list.join('\n')}`)},`);
        fieldEnums.push([k, values.map(([value]) => value)]);
      } else lines.push(`      ${q(k)}: ${q(v)},`);
    }
    lines.push('    },');
    if (fieldEnums.length > 0) {
      lines.push('    enums: {');
      for (const [k, values] of fieldEnums) lines.push(`      ${q(k)}: [${values.map(q).join(', ')}],`);
      lines.push('    },');
    }
    const req = required.get(name) ?? [];
    if (req.length > 0) lines.push(`    required: [${req.map(q).join(', ')}],`);
    if (typeMeta.has(name)) lines.push('    typeMeta: true,');
    lines.push('  },');
    total++;
  }
  if (p.short === 'meta.v1') {
    for (const [name, [file, goType]] of Object.entries(SPECIAL)) {
      lines.push(
        `  ${q(name)}: { doc: ${q(typeComment(readFileSync(join(srcDir, file), 'utf8'), goType))}, fields: {} },`,
      );
      total++;
    }
  }
  lines.push('};', '');
  writeFileSync(join(here, 'docs', `${p.out}.generated.ts`), lines.join('\n'));
}
console.log(`${total} messages documented`);
for (const m of missing) console.warn(`warning: no swagger doc for ${m}`);
