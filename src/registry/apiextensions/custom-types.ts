// The shapes of a CustomResourceDefinition that serving its custom resources reads: the
// kubernetes-types ones, with the x-kubernetes-* schema extensions their generator leaves out.
import type { CustomResourceDefinition as K8sCrd, CustomResourceDefinitionVersion, JSONSchemaProps } from 'kubernetes-types/apiextensions/v1.js';
import type { Kind } from '../../api/kinds.js';

/** A CRD version's openAPIV3Schema (apiextensions/v1 JSONSchemaProps) with its extensions. */
export interface CrdSchema extends Omit<JSONSchemaProps, 'properties' | 'items' | 'additionalProperties' | 'allOf' | 'anyOf' | 'oneOf' | 'not'> {
  properties?: Record<string, CrdSchema>;
  items?: CrdSchema;
  additionalProperties?: CrdSchema | boolean;
  allOf?: CrdSchema[];
  anyOf?: CrdSchema[];
  oneOf?: CrdSchema[];
  not?: CrdSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: { rule: string; message?: string; messageExpression?: string; reason?: string; fieldPath?: string; optionalOldSelf?: boolean }[];
}

export type CrdVersion = Omit<CustomResourceDefinitionVersion, 'schema'> & { schema?: { openAPIV3Schema?: CrdSchema } };

export type Crd = Kind<Omit<K8sCrd, 'spec'>> & { spec: Omit<K8sCrd['spec'], 'versions'> & { versions: CrdVersion[] } };
