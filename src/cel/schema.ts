// The structural schema as this layer reads it: kubernetes-types' JSONSchemaProps with the x-kubernetes-*
// extensions it leaves out, and items as one schema (structural schemas allow no tuple form).
import type { JSONSchemaProps, ValidationRule } from 'kubernetes-types/apiextensions/v1.js';

export interface Schema extends Omit<JSONSchemaProps, 'items' | 'properties' | 'additionalProperties'> {
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: ValidationRule[];
}
