// CEL types for a structural schema, as k8s.io/apiserver/pkg/cel/common/schemas.go declares them: objects with
// properties are object types with those (escaped) fields, additionalProperties make maps, int-or-string and
// unknown-field objects are dyn, formats byte/duration/date/date-time give bytes/duration/timestamp.
import type { Environment } from '@marcbachmann/cel-js';
import type { Schema as JSONSchemaProps } from './schema.js';
import { escapeName } from './escaping.js';

/** Declares the object types a schema needs in env; answers the CEL type name of the schema. */
export class SchemaTypes {
  private count = 0;
  constructor(
    private readonly env: Environment,
    private readonly prefix: string,
  ) {}

  /** The type of a schema node; root adds apiVersion, kind and metadata.name/generateName (resource roots). */
  typeOf(s: JSONSchemaProps, resourceRoot = false): string {
    if (s['x-kubernetes-int-or-string']) return 'dyn';
    switch (s.type) {
      case 'boolean':
        return 'bool';
      case 'integer':
        return 'int';
      case 'number':
        return 'double';
      case 'string':
        return stringType(s.format);
      case 'array':
        return s.items ? `list<${this.typeOf(s.items)}>` : 'list<dyn>';
      case 'object':
        return this.objectType(s, resourceRoot || !!s['x-kubernetes-embedded-resource']);
      default:
        return 'dyn';
    }
  }

  private objectType(s: JSONSchemaProps, resource: boolean): string {
    const extra = s.additionalProperties;
    if (extra && typeof extra === 'object') return `map<string, ${this.typeOf(extra)}>`;
    if (!s.properties && !resource) return s['x-kubernetes-preserve-unknown-fields'] || extra === true ? 'dyn' : 'map<string, dyn>';
    const fields: Record<string, string> = {};
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const cel = escapeName(name);
      if (cel !== undefined) fields[cel] = this.typeOf(prop);
    }
    if (resource) {
      fields.apiVersion = 'string';
      fields.kind = 'string';
      fields.metadata = this.declare({ name: 'string', generateName: 'string' });
    }
    return this.declare(fields);
  }

  private declare(fields: Record<string, string>): string {
    const name = `${this.prefix}${++this.count}`;
    this.env.registerType(name, { fields });
    this.env.registerOperator(`${name} == ${name}`, () => false);
    return name;
  }
}

const stringType = (format: string | undefined) =>
  format === 'byte' ? 'bytes' : format === 'duration' ? 'google.protobuf.Duration' : format === 'date' || format === 'date-time' ? 'google.protobuf.Timestamp' : 'string';
