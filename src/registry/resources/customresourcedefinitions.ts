// apiextensions.k8s.io/v1 CustomResourceDefinition. Badge serves no custom resources, so it holds
// none and takes none: the resource can be read (an empty list), not written. kubectl lists it to
// decide how to validate a kind it finds no patch operation for in the OpenAPI (cli-runtime
// crd_finder.go, from the v2 query-param verifier): create-only kinds, TokenReview and the access
// reviews. Without the list, `kubectl create -f` of such a kind fails unless validation is off.
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
  verbs: ['get', 'list', 'watch'],
  schema: customResourceDefinition,
};
