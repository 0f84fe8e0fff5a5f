// core/v1 Secret: typed secret data. stringData is write-only: it is merged into data (base64)
// on every write and never stored. Each type requires its keys; type never changes.
import { forbidden, invalid, required, tooLong, type FieldError } from '../../api/field-errors.js';
import { deepEqual, type KubeObject } from '../../api/meta.js';
import { isConfigMapKey, validateImmutableField } from '../../api/validation.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import type { ResourceDef } from '../resource.js';
import { secret } from '../schemas/core.js';
import { checkBase64Map, decodedLength, IMMUTABLE_DETAIL, MAX_DATA_SIZE, sortedKeys } from './configmaps.js';
import { SECRET_TYPE_SERVICE_ACCOUNT_TOKEN, SERVICE_ACCOUNT_NAME_KEY } from '../../api/well-known.js';
import { age } from '../../api/duration.js';

export const SECRET_TYPE_OPAQUE = 'Opaque';

const dataOf = (o: KubeObject) => (o.data ?? undefined) as Record<string, string> | undefined;
const typeOf = (o: KubeObject) => (typeof o.type === 'string' ? o.type : '');

// ---- Go's encoding/json error texts, for malformed docker config ----

/** The %q-ish quoting Go's JSON scanner uses for a bad character. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return '\'"\'';
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

class JsonSyntaxError extends Error {}

/** Checks `text` as Go's json.Unmarshal into a map would; returns Go's error text or undefined. */
export function goJsonMapError(text: string): string | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (context: string): never => {
    if (i >= text.length) throw new JsonSyntaxError('unexpected end of JSON input');
    throw new JsonSyntaxError(`invalid character ${quoteChar(text[i]!)} ${context}`);
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) {
      if (text[i] !== word[k]) fail(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail('');
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        if (i >= text.length) fail('');
        const e = text[i]!;
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/^[0-9a-fA-F]$/.test(text[i] ?? '')) fail('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(e)) fail('in string escape code');
        i++;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail('in string literal');
      i++;
    }
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (/[1-9]/.test(text[i] ?? '')) while (/[0-9]/.test(text[i] ?? '')) i++;
    else fail('in numeric literal');
    if (text[i] === '.') {
      i++;
      if (!/[0-9]/.test(text[i] ?? '')) fail('after decimal point in numeric literal');
      while (/[0-9]/.test(text[i] ?? '')) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!/[0-9]/.test(text[i] ?? '')) fail('in exponent of numeric literal');
      while (/[0-9]/.test(text[i] ?? '')) i++;
    }
  };
  const value = (): string => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return 'object';
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        string();
        ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return 'object';
        }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return 'array';
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return 'array';
        }
        fail('after array element');
      }
    }
    if (c === '"') {
      string();
      return 'string';
    }
    if (c === 't' || c === 'f') {
      literal(c === 't' ? 'true' : 'false');
      return 'bool';
    }
    if (c === 'n') {
      literal('null');
      return 'null';
    }
    if (c === '-' || /[0-9]/.test(c ?? '')) {
      number();
      return 'number';
    }
    return fail('looking for beginning of value');
  };
  try {
    const kind = value();
    ws();
    if (i < text.length) fail('after top-level value');
    if (kind === 'object' || kind === 'null') return undefined;
    return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return err.message;
    throw err;
  }
}

// ---- validation (ValidateSecret, ValidateSecretUpdate) ----

const REDACTED = '<secret contents redacted>';

function validateDockerConfig(data: Record<string, string>, key: string): FieldError[] {
  if (!Object.hasOwn(data, key)) return [required(`data[${key}]`)];
  const err = goJsonMapError(Buffer.from(data[key] ?? '', 'base64').toString('utf8'));
  return err ? [invalid(`data[${key}]`, REDACTED, err)] : [];
}

/** ValidateSecret without ObjectMeta (the store checks that). */
function validateSecret(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = dataOf(o) ?? {};
  let total = 0;
  for (const key of sortedKeys(data)) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(`data[${key}]`, key, msg));
    total += decodedLength(data[key] ?? '');
  }
  if (total > MAX_DATA_SIZE) errs.push(tooLong('data', MAX_DATA_SIZE));
  switch (typeOf(o)) {
    case SECRET_TYPE_SERVICE_ACCOUNT_TOKEN:
      // Only the name annotation: the uid annotation and the token come later from the controller.
      if (!o.metadata.annotations?.[SERVICE_ACCOUNT_NAME_KEY]) errs.push(required(`metadata.annotations[${SERVICE_ACCOUNT_NAME_KEY}]`));
      break;
    case 'kubernetes.io/dockercfg':
      errs.push(...validateDockerConfig(data, '.dockercfg'));
      break;
    case 'kubernetes.io/dockerconfigjson':
      errs.push(...validateDockerConfig(data, '.dockerconfigjson'));
      break;
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one must be there.
      if (!Object.hasOwn(data, 'username') && !Object.hasOwn(data, 'password')) errs.push(required('data[username]'), required('data[password]'));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!decodedLength(data['ssh-privatekey'] ?? '')) errs.push(required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!Object.hasOwn(data, 'tls.crt')) errs.push(required('data[tls.crt]'));
      if (!Object.hasOwn(data, 'tls.key')) errs.push(required('data[tls.key]'));
      break;
  }
  return errs;
}

function validateSecretUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateImmutableField(typeOf(o), typeOf(old), 'type');
  if (old.immutable === true) {
    if (o.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_DETAIL));
    if (!deepEqual(dataOf(o), dataOf(old))) errs.push(forbidden('data', IMMUTABLE_DETAIL));
  }
  return [...errs, ...validateSecret(o)];
}

export const secrets: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  resource: 'secrets',
  singular: 'secret',
  namespaced: true,
  schema: secret,
  defaults(o) {
    checkBase64Map(o, 'data');
    if (!typeOf(o)) o.type = SECRET_TYPE_OPAQUE;
    // Convert_v1_Secret_To_core_Secret: stringData overwrites data, and is not kept.
    const stringData = o.stringData as Record<string, string> | undefined;
    if (stringData && Object.keys(stringData).length) {
      const data = { ...(dataOf(o) ?? {}) };
      for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      o.data = data;
    }
    delete o.stringData;
  },
  validate: validateSecret,
  validateUpdate: validateSecretUpdate,
  fields: { type: typeOf },
  table: {
    columns: [
      nameColumn,
      column('Type', 'Used to facilitate programmatic handling of secret data.'),
      column('Data', 'Data contains the secret data.'),
      ageColumn,
    ],
    cells: (o, now) => [o.metadata.name, typeOf(o), sortedKeys(dataOf(o)).length, age(o.metadata.creationTimestamp, now)],
  },
};
