// What the CustomResourceDefinition resource and the controllers that keep its status share:
// its type, its conditions, and the API approval of protected groups (AE pkg/apihelpers).
import type { CustomResourceDefinition as K8sCRD, CustomResourceDefinitionCondition, CustomResourceDefinitionVersion, JSONSchemaProps as K8sJSONSchemaProps, ValidationRule } from 'kubernetes-types/apiextensions/v1.js';
import type { Kind } from './kinds.js';

export type CustomResourceDefinition = Kind<K8sCRD>;
export type CrdCondition = CustomResourceDefinitionCondition;

type Nested = 'additionalItems' | 'additionalProperties' | 'allOf' | 'anyOf' | 'definitions' | 'dependencies' | 'items' | 'not' | 'oneOf' | 'patternProperties' | 'properties';

/** A JSON schema as a definition holds it: kubernetes-types leaves out the x-kubernetes-* fields. */
export interface JSONSchemaProps extends Omit<K8sJSONSchemaProps, Nested> {
  additionalItems?: JSONSchemaProps | boolean;
  additionalProperties?: JSONSchemaProps | boolean;
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  definitions?: Record<string, JSONSchemaProps>;
  dependencies?: Record<string, JSONSchemaProps | string[]>;
  items?: JSONSchemaProps | JSONSchemaProps[];
  not?: JSONSchemaProps;
  oneOf?: JSONSchemaProps[];
  patternProperties?: Record<string, JSONSchemaProps>;
  properties?: Record<string, JSONSchemaProps>;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-validations'?: ValidationRule[];
}

/**
 * A version's schema once the definition passed validation, as serving reads it: structural, so
 * `items` is one schema and only `properties` and `additionalProperties` nest values.
 */
export interface CrdSchema extends Omit<JSONSchemaProps, Nested | 'x-kubernetes-list-type' | 'x-kubernetes-map-type'> {
  properties?: Record<string, CrdSchema>;
  items?: CrdSchema;
  additionalProperties?: CrdSchema | boolean;
  allOf?: CrdSchema[];
  anyOf?: CrdSchema[];
  oneOf?: CrdSchema[];
  not?: CrdSchema;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
}

export type CrdVersion = Omit<CustomResourceDefinitionVersion, 'schema'> & { schema?: { openAPIV3Schema?: CrdSchema } };

/** A definition as serving reads it: its versions' schemas structural. */
export type Crd = Kind<Omit<K8sCRD, 'spec'>> & { spec: Omit<K8sCRD['spec'], 'versions'> & { versions: CrdVersion[] } };

/** The schema of a version's objects. */
export const versionSchema = (v: CustomResourceDefinitionVersion): JSONSchemaProps | undefined => v.schema?.openAPIV3Schema as JSONSchemaProps | undefined;

/** The finalizer a deleted definition keeps until its custom resources are gone. */
export const CUSTOM_RESOURCE_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export const KUBE_API_APPROVED_ANNOTATION = 'api-approved.kubernetes.io';

export function findCrdCondition(crd: CustomResourceDefinition, type: string): CrdCondition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

export const isCrdConditionTrue = (crd: CustomResourceDefinition, type: string): boolean => findCrdCondition(crd, type)?.status === 'True';

/** SetCRDCondition: replaces the condition of its type; the transition time changes only with the status. */
export function setCrdCondition(crd: CustomResourceDefinition, condition: CrdCondition, now: string): void {
  const status = (crd.status ??= { acceptedNames: { plural: '', kind: '' }, storedVersions: [] });
  const conditions = (status.conditions ??= []);
  const i = conditions.findIndex((c) => c.type === condition.type);
  const old = conditions[i];
  const next = { ...condition, lastTransitionTime: old && old.status === condition.status ? old.lastTransitionTime : now };
  if (i < 0) conditions.push(next);
  else conditions[i] = next;
}

/** k8s.io, kubernetes.io and their subdomains: their APIs need approval (IsProtectedCommunityGroup). */
export function isProtectedCommunityGroup(group: string): boolean {
  return group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
}

export type ApprovalState = 'Missing' | 'Bypassed' | 'Approved' | 'Invalid';

/** GetAPIApprovalState: the approval annotation read as missing, opted out, a URL, or neither. */
export function apiApprovalState(annotations: Record<string, string> | undefined): { state: ApprovalState; reason: string } {
  const value = annotations?.[KUBE_API_APPROVED_ANNOTATION] ?? '';
  const see = 'see https://github.com/kubernetes/enhancements/pull/1111';
  if (!value) return { state: 'Missing', reason: `protected groups must have approval annotation "${KUBE_API_APPROVED_ANNOTATION}", ${see}` };
  if (value.startsWith('unapproved')) return { state: 'Bypassed', reason: `not approved: ${JSON.stringify(value)}` };
  if (isRequestUrl(value)) return { state: 'Approved', reason: `approved in ${value}` };
  return { state: 'Invalid', reason: `protected groups must have approval annotation "${KUBE_API_APPROVED_ANNOTATION}" with either a URL or a reason starting with "unapproved", ${see}` };
}

/** url.ParseRequestURI with a scheme and a host. */
function isRequestUrl(value: string): boolean {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(value)) return false;
  try {
    return new URL(value).host !== '';
  } catch {
    return false;
  }
}
