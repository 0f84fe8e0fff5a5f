// core/v1 ConfigMap: configuration data for pods, at most 1 MiB, frozen once `immutable` is true.
import { badRequest } from '../../api/errors.js';
import { forbidden, invalid, tooLong, type FieldError } from '../../api/field-errors.js';
import { deepEqual, type KubeObject } from '../../api/meta.js';
import { isConfigMapKey } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { configMap } from '../schemas/core.js';
import { age } from '../../api/duration.js';

/** core.MaxSecretSize, the limit of both Secret and ConfigMap data. */
export const MAX_DATA_SIZE = 1024 * 1024;

export const IMMUTABLE_DETAIL = 'field is immutable when `immutable` is set';

const BASE64 = /^[A-Za-z0-9+/]$/;

/**
 * Where Go's base64.StdEncoding refuses `s` (the byte offset of its CorruptInputError), or -1 when
 * it decodes. Newlines are skipped as Go skips them.
 */
export function base64ErrorOffset(s: string): number {
  const isNewline = (c: string | undefined) => c === '\n' || c === '\r';
  let si = 0;
  for (;;) {
    let j = 0;
    for (; j < 4; j++) {
      if (si === s.length) {
        if (j === 0) return -1;
        return si - j;
      }
      const c = s[si++]!;
      if (BASE64.test(c)) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== '=') return si - 1;
      if (j < 2) return si - 1;
      if (j === 2) {
        while (si < s.length && isNewline(s[si])) si++;
        if (si === s.length) return s.length;
        if (s[si] !== '=') return si - 1;
        si++;
      }
      while (si < s.length && isNewline(s[si])) si++;
      return si < s.length ? si : -1;
    }
  }
}

/** Length of the decoded bytes of a base64 value. */
export const decodedLength = (s: string): number => Buffer.from(s, 'base64').length;

/** The decoding error the API server answers for a bad base64 value in a []byte map. */
export function checkBase64Map(o: KubeObject, field: string): void {
  const values = o[field];
  if (typeof values !== 'object' || values === null) return;
  for (const v of Object.values(values as Record<string, unknown>)) {
    const at = typeof v === 'string' ? base64ErrorOffset(v) : -1;
    if (at >= 0) throw badRequest(`${o.kind} in version "v1" cannot be handled as a ${o.kind}: illegal base64 data at input byte ${at}`);
  }
}

/** Go's map iteration is random; errors here come in key order. */
export const sortedKeys = (m: Record<string, unknown> | undefined): string[] => Object.keys(m ?? {}).sort();

const dataOf = (o: KubeObject) => (o.data ?? undefined) as Record<string, string> | undefined;
const binaryDataOf = (o: KubeObject) => (o.binaryData ?? undefined) as Record<string, string> | undefined;

/** ValidateConfigMap without ObjectMeta (the store checks that). */
function validateConfigMap(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = dataOf(o) ?? {};
  const binary = binaryDataOf(o) ?? {};
  let total = 0;
  for (const key of sortedKeys(data)) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(`data[${key}]`, key, msg));
    if (Object.hasOwn(binary, key)) errs.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(data[key] ?? '', 'utf8');
  }
  for (const key of sortedKeys(binary)) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(`binaryData[${key}]`, key, msg));
    total += decodedLength(binary[key] ?? '');
  }
  // The error names the whole object: its path is empty.
  if (total > MAX_DATA_SIZE) errs.push(tooLong('', MAX_DATA_SIZE));
  return errs;
}

function validateConfigMapUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable === true) {
    if (o.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_DETAIL));
    if (!deepEqual(dataOf(o), dataOf(old))) errs.push(forbidden('data', IMMUTABLE_DETAIL));
    if (!deepEqual(binaryDataOf(o), binaryDataOf(old))) errs.push(forbidden('binaryData', IMMUTABLE_DETAIL));
  }
  return [...errs, ...validateConfigMap(o)];
}

export const configmaps: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  namespaced: true,
  schema: configMap,
  defaults(o) {
    checkBase64Map(o, 'binaryData');
  },
  validate: validateConfigMap,
  validateUpdate: validateConfigMapUpdate,
  table: {
    columns: [nameColumn, column('Data', 'Data contains the configuration data.'), ageColumn],
    cells: (o, now) => [o.metadata.name, sortedKeys(dataOf(o)).length + sortedKeys(binaryDataOf(o)).length, age(o.metadata.creationTimestamp, now)],
  },
};
