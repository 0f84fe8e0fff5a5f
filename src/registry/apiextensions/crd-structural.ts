// Whether a version's schema is structural (AE pkg/apiserver/schema/validation.go, complete.go):
// every node has a type, value validations (allOf, anyOf, oneOf, not) only restrict what the
// schema outside them declares, and metadata is left to the server. The errors come sorted by
// their text, as upstream sorts them.
import type { JSONSchemaProps } from '../../api/crd.js';
import { errorText, forbidden, invalid, required, type FieldError } from '../../api/field-errors.js';

type Level = 'root' | 'item' | 'field';

const sortedKeys = (o: Record<string, unknown> | undefined): string[] => Object.keys(o ?? {}).sort();

/** additionalProperties when it is a schema (not a boolean). */
export const additionalSchema = (s: JSONSchemaProps): JSONSchemaProps | undefined =>
  typeof s.additionalProperties === 'object' && s.additionalProperties !== null ? (s.additionalProperties as JSONSchemaProps) : undefined;

/** items when it is one schema (not a list). */
export const itemsSchema = (s: JSONSchemaProps): JSONSchemaProps | undefined => (typeof s.items === 'object' && s.items !== null && !Array.isArray(s.items) ? (s.items as JSONSchemaProps) : undefined);

const isType = (s: JSONSchemaProps | undefined, type: string) => s !== undefined && Object.keys(s).length === 1 && s.type === type;
const intOrStringAnyOf = (anyOf: JSONSchemaProps[] | undefined) => anyOf?.length === 2 && isType(anyOf[0], 'integer') && isType(anyOf[1], 'string');

export function validateStructural(s: JSONSchemaProps, path: string): FieldError[] {
  const errs = [...invariants(s, 'root', path), ...completeness(s, path)];
  return errs.sort((a, b) => (errorText(a) < errorText(b) ? -1 : errorText(a) > errorText(b) ? 1 : 0));
}

function invariants(s: JSONSchemaProps, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const items = itemsSchema(s);
  if (s.type === 'array' && !s.items) errs.push(required(`${path}.items`, 'must be specified'));
  if (items) errs.push(...invariants(items, 'item', `${path}.items`));
  for (const k of sortedKeys(s.properties)) errs.push(...invariants(s.properties![k]!, 'field', `${path}.properties[${k}]`));
  if (s.additionalProperties !== undefined) {
    if (lvl === 'root') errs.push(forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
    const add = additionalSchema(s);
    if (add) errs.push(...invariants(add, 'field', `${path}.additionalProperties`));
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve) errs.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && embedded) errs.push(invalid(`${path}.x-kubernetes-embedded-resource`, true, 'must be false if x-kubernetes-int-or-string is true'));
  const skipAnyOf = intOrStringAnyOf(s.anyOf);
  const skipFirstAllOfAnyOf = intOrStringAnyOf(s.allOf?.[0]?.anyOf);
  errs.push(...valueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, lvl, path));
  if (embedded && s.type !== 'object') {
    const detail = 'must be object if x-kubernetes-embedded-resource is true';
    errs.push(s.type ? invalid(`${path}.type`, s.type, detail) : required(`${path}.type`, detail));
  } else if (!s.type && !intOrString && !preserve) {
    const where = lvl === 'root' ? 'at the root' : lvl === 'item' ? 'for specified array items' : 'for specified object fields';
    errs.push(required(`${path}.type`, `must not be empty ${where}`));
  }
  if (embedded && s.additionalProperties !== undefined) errs.push(forbidden(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'));
  if (lvl === 'root' && s.type && s.type !== 'object') errs.push(invalid(`${path}.type`, s.type, 'must be object at the root'));
  const checkMetadata = lvl === 'root' || embedded;
  for (const key of ['kind', 'apiVersion']) {
    const p = s.properties?.[key];
    if (p && checkMetadata && p.type !== 'string') errs.push(invalid(`${path}.properties[${key}].type`, p.type ?? '', 'must be string'));
  }
  const metadata = s.properties?.metadata;
  if (metadata) {
    const at = `${path}.properties[metadata]`;
    if (checkMetadata && metadata.type !== 'object') errs.push(invalid(`${at}.type`, metadata.type ?? '', 'must be object'));
    if (lvl === 'root' && !onlyNames(metadata)) {
      errs.push(forbidden(at, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
    }
  }
  if (embedded && !preserve && Object.keys(s.properties ?? {}).length === 0) {
    errs.push(required(`${path}.properties`, 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  return errs;
}

/** Root metadata may say it is an object and restrict name and generateName, nothing more (a default is checked elsewhere). */
function onlyNames(m: JSONSchemaProps): boolean {
  const { type: _t, default: _d, properties, ...rest } = m;
  const names = Object.keys(properties ?? {});
  const namesOnly = names.length === 0 || names.every((n) => n === 'name' || n === 'generateName');
  return namesOnly && Object.keys(rest).length === 0;
}

/** validateValueValidation: the junctors of a node, and its pattern. */
function valueValidation(s: JSONSchemaProps, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf) (s.anyOf ?? []).forEach((v, i) => errs.push(...nested(v, false, lvl, `${path}.anyOf[${i}]`)));
  (s.allOf ?? []).forEach((v, i) => errs.push(...nested(v, skipFirstAllOfAnyOf && i === 0, lvl, `${path}.allOf[${i}]`)));
  (s.oneOf ?? []).forEach((v, i) => errs.push(...nested(v, false, lvl, `${path}.oneOf[${i}]`)));
  if (s.not) errs.push(...nested(s.not, false, lvl, `${path}.not`));
  return errs;
}

const NESTED_FORBIDDEN: [keyof JSONSchemaProps, string][] = [
  ['title', 'must be empty to be structural'],
  ['description', 'must be empty to be structural'],
  ['nullable', 'must be false to be structural'],
  ['x-kubernetes-preserve-unknown-fields', 'must be false to be structural'],
  ['x-kubernetes-embedded-resource', 'must be false to be structural'],
  ['x-kubernetes-int-or-string', 'must be false to be structural'],
  ['x-kubernetes-list-map-keys', 'must be empty to be structural'],
  ['x-kubernetes-list-type', 'must be undefined to be structural'],
  ['x-kubernetes-map-type', 'must be undefined to be structural'],
  ['x-kubernetes-validations', 'must be empty to be structural'],
];

/** validateNestedValueValidation: inside a junctor, only value validations. */
function nested(v: JSONSchemaProps, skipAnyOf: boolean, lvl: Level, path: string): FieldError[] {
  const errs = valueValidation(v, skipAnyOf, false, lvl, path);
  const items = itemsSchema(v);
  if (items) errs.push(...nested(items, false, lvl, `${path}.items`));
  for (const k of sortedKeys(v.properties)) errs.push(...nested(v.properties![k]!, false, 'field', `${path}.properties[${k}]`));
  if (v.type) errs.push(forbidden(`${path}.type`, 'must be empty to be structural'));
  if (v.additionalProperties !== undefined) errs.push(forbidden(`${path}.additionalProperties`, 'must be undefined to be structural'));
  if (v.default !== undefined) errs.push(forbidden(`${path}.default`, 'must be undefined to be structural'));
  for (const [key, detail] of NESTED_FORBIDDEN) {
    const value = v[key];
    if (value === undefined || value === false || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    errs.push(forbidden(`${path}.${key}`, detail));
  }
  if (v.properties?.metadata) errs.push(forbidden(`${path}.properties[metadata]`, 'must not be specified in a nested context'));
  return errs;
}

/** The value validations of a node with their relative paths: allOf[i], anyOf[i], oneOf[i], not. */
function junctors(s: JSONSchemaProps): [JSONSchemaProps, string][] {
  const out: [JSONSchemaProps, string][] = [];
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) (s[key] ?? []).forEach((x, i) => out.push([x, `${key}[${i}]`]));
  if (s.not) out.push([s.not, 'not']);
  return out;
}

/** validateStructuralCompleteness: what a junctor names must be declared by the schema outside it. */
function completeness(s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const visit = (node: JSONSchemaProps | undefined, sPath: string): void => {
    if (!node) return;
    const items = itemsSchema(node);
    visit(items, `${sPath}.items`);
    for (const k of sortedKeys(node.properties)) visit(node.properties![k], `${sPath}.properties[${k}]`);
    const add = additionalSchema(node);
    visit(add, `${sPath}.additionalProperties`);
    for (const [v, rel] of junctors(node)) errs.push(...nestedCompleteness(v, node, sPath, `${sPath}.${rel}`));
  };
  visit(s, path);
  return errs;
}

function nestedCompleteness(v: JSONSchemaProps, s: JSONSchemaProps | undefined, sPath: string, vPath: string): FieldError[] {
  if (!s) return [required(sPath, `because it is defined in ${vPath}`)];
  const errs: FieldError[] = [];
  const vItems = itemsSchema(v);
  if (vItems) errs.push(...nestedCompleteness(vItems, itemsSchema(s), `${sPath}.items`, `${vPath}.items`));
  for (const k of sortedKeys(v.properties)) {
    const sField = s.properties?.[k];
    if (!sField) {
      if (s.additionalProperties === undefined) errs.push(required(`${sPath}.properties[${k}]`, `because it is defined in ${vPath}.properties[${k}]`));
    } else errs.push(...nestedCompleteness(v.properties![k]!, sField, `${sPath}.properties[${k}]`, `${vPath}.properties[${k}]`));
  }
  for (const [x, rel] of junctors(v)) errs.push(...nestedCompleteness(x, s, sPath, `${vPath}.${rel}`));
  return errs;
}
