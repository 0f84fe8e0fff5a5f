// apiextensions.k8s.io/v1 CustomResourceDefinition. kubectl lists it to decide how to validate a
// kind it finds no patch operation for in the OpenAPI (cli-runtime crd_finder.go, from the v2
// query-param verifier): create-only kinds, TokenReview and the access reviews.
// TEMPORARY (branch i12-cr): every verb and the status subresource, without validation, so that
// custom resources can be served and tested; the full resource comes from the CRD work (i12-crd).
import type { ResourceDef } from '../resource.js';
import { customResourceDefinition } from '../schemas/apiextensions.js';

export const customresourcedefinitions: ResourceDef = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  resource: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  namespaced: false,
  hasStatus: true,
  hasGeneration: true,
  schema: customResourceDefinition,
};
