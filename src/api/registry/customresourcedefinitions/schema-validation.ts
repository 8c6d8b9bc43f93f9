/**
 * The structural-schema rules apiextensions.k8s.io/v1 requires of every version's
 * openAPIV3Schema (apiextensions-apiserver pkg/apiserver/schema/validation.go, the main ones): a
 * type on every specified node (x-kubernetes-int-or-string and
 * x-kubernetes-preserve-unknown-fields stand in for it), an object at the root, metadata at the
 * root limited to name and generateName, x-kubernetes-preserve-unknown-fields only true, and
 * items/properties/additionalProperties that fit the type.
 */
import type { JSONSchemaProps } from 'kubernetes-types/apiextensions/v1';
import { type FieldError, forbidden, invalidValue, notSupported, required } from '../../validation/field.js';

/** kubernetes-types spells the x-kubernetes-* extensions with underscores; the JSON has dashes. */
export type Schema = JSONSchemaProps & {
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
};

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

function walk(s: Schema, path: string, root: boolean, errs: FieldError[]): void {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'];
  if (preserve === false)
    errs.push(
      invalidValue(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'),
    );
  if (s.type === undefined || s.type === '') {
    if (!intOrString && preserve !== true)
      errs.push(
        required(
          `${path}.type`,
          root ? 'must not be empty at the root' : 'must not be empty for specified object fields',
        ),
      );
  } else if (!TYPES.includes(s.type)) {
    errs.push(notSupported(`${path}.type`, s.type, TYPES));
  } else if (intOrString) {
    errs.push(invalidValue(`${path}.type`, s.type, 'must be empty if x-kubernetes-int-or-string is true'));
  }
  if (root && s.type !== undefined && s.type !== 'object')
    errs.push(invalidValue(`${path}.type`, s.type, 'must be object at the root'));
  if (s.type === 'array' && !s.items) errs.push(required(`${path}.items`, 'must be specified'));
  if (s.type !== undefined && s.type !== 'object') {
    if (s.properties) errs.push(forbidden(`${path}.properties`, 'must be empty for non-object types'));
    if (s.additionalProperties !== undefined)
      errs.push(forbidden(`${path}.additionalProperties`, 'must be empty for non-object types'));
  }
  if (s.properties && typeof s.additionalProperties === 'object')
    errs.push(
      forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'),
    );
  if (s.$ref !== undefined) errs.push(forbidden(`${path}.$ref`, '$ref is not supported'));
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    const p = `${path}.properties[${name}]`;
    if (root && name === 'metadata') {
      if (child.type !== undefined && child.type !== 'object')
        errs.push(invalidValue(`${p}.type`, child.type, 'must be object'));
      const extra = Object.keys(child.properties ?? {}).filter((k) => k !== 'name' && k !== 'generateName');
      if (extra.length || Object.keys(child).some((k) => !['type', 'properties'].includes(k)))
        errs.push(
          forbidden(
            p,
            'must not specify anything other than name and generateName, but metadata is implicitly specified',
          ),
        );
    }
    walk(child, p, false, errs);
  }
  if (s.items && !Array.isArray(s.items)) walk(s.items, `${path}.items`, false, errs);
  if (typeof s.additionalProperties === 'object' && s.additionalProperties)
    walk(s.additionalProperties, `${path}.additionalProperties`, false, errs);
}

export function validateStructuralSchema(schema: Schema, path: string): FieldError[] {
  const errs: FieldError[] = [];
  walk(schema, path, true, errs);
  return errs;
}
