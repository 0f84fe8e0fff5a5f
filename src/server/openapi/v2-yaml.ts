// The YAML text of a vendor extension (or enum) value in the protobuf form of /openapi/v2: gnostic
// keeps such values as `Any { yaml }`, the value written by yaml.v3 in block style (compiler.Marshal),
// and kubectl reads them back with a YAML decoder (the group-version-kind of an operation or a
// definition, patch strategies and merge keys). Only the shapes the documents hold are written.
import type { Json } from './json.js';

/** A plain scalar that YAML would read as something other than this string (yaml.v3 quotes these). */
const NOT_A_STRING =
  /^(?:|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?\.?[0-9][0-9_.]*(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
/** What may stand as a plain scalar in block context without further thought. */
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./,-]*$/;

function scalar(v: Json): string {
  if (typeof v === 'string') return PLAIN.test(v) && !NOT_A_STRING.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  throw new Error('openapi v2 yaml: not a scalar');
}

function mapping(v: Json, indent: string): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('openapi v2 yaml: not a mapping');
  if (Object.keys(v).length === 0) return '{}\n';
  return Object.entries(v)
    .map(([k, x], i) => `${i === 0 ? '' : indent}${scalar(k)}: ${scalar(x)}\n`)
    .join('');
}

/** Scalars, lists of scalars, mappings of scalars and lists of such mappings. */
export function yamlText(v: Json): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]\n';
    return v.map((x) => `- ${x !== null && typeof x === 'object' ? mapping(x, '  ') : `${scalar(x)}\n`}`).join('');
  }
  if (v !== null && typeof v === 'object') return mapping(v, '');
  return `${scalar(v)}\n`;
}
