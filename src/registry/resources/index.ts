// Every resource Badge serves, in discovery order (the core group, then the named groups).
import type { ObjectSchema } from '../../api/schema.js';
import type { TokenAuthenticator } from '../../auth/authn/token.js';
import type { Authorizer } from '../../auth/authz/authorizer.js';
import type { RbacAuthorizer } from '../../auth/authz/rbac/authorizer.js';
import type { TokenRequestConfig } from './serviceaccount-token.js';
import type { PodStreams } from '../../api/node-streams.js';
import type { ResourceUsage } from '../../api/resource-usage.js';
import type { ResourceDef } from '../resource.js';
import { deleteOptions, eviction } from '../schemas/policy.js';
import { localSubjectAccessReviews, selfSubjectAccessReviews, selfSubjectRulesReviews, subjectAccessReviews } from './access-reviews.js';
import { certificateSigningRequests } from './certificatesigningrequests.js';
import { apiServices } from './apiservices.js';
import { clusterrolebindings } from './clusterrolebindings.js';
import { clusterroles } from './clusterroles.js';
import { configmaps } from './configmaps.js';
import { controllerrevisions } from './controllerrevisions.js';
import { cronjobs } from './cronjobs.js';
import { customResourceDefinitions } from './customresourcedefinitions.js';
import type { CompileSchemaRules } from '../apiextensions/crd-schema.js';
import { daemonsets } from './daemonsets.js';
import { statefulsets } from './statefulsets.js';
import { deployments } from './deployments.js';
import { endpoints } from './endpoints.js';
import { endpointslices } from './endpointslices.js';
import { events } from './events.js';
import { eventsV1 } from './events-v1.js';
import { horizontalpodautoscalers } from './horizontalpodautoscalers.js';
import { horizontalpodautoscalersV1 } from './horizontalpodautoscalers-v1.js';
import { ingressClasses } from './ingressclasses.js';
import { ingresses } from './ingresses.js';
import { jobs } from './jobs.js';
import { leases } from './leases.js';
import { nodeMetrics, podMetrics } from './metrics.js';
import { limitranges } from './limitranges.js';
import { namespaces } from './namespaces.js';
import { networkPolicies } from './networkpolicies.js';
import { nodes } from './nodes.js';
import { persistentvolumeclaims } from './persistentvolumeclaims.js';
import { persistentvolumes } from './persistentvolumes.js';
import { podDisruptionBudgets } from './poddisruptionbudgets.js';
import { podStreamSubresources } from './pod-streams.js';
import { pods } from './pods.js';
import { podtemplates } from './podtemplates.js';
import { priorityclasses } from './priorityclasses.js';
import { replicasets } from './replicasets.js';
import { replicationcontrollers } from './replicationcontrollers.js';
import { resourcequotas } from './resourcequotas.js';
import { rolebindings } from './rolebindings.js';
import { roles } from './roles.js';
import { secrets } from './secrets.js';
import { selfSubjectReviews, selfSubjectReviewsV1beta1 } from './selfsubjectreviews.js';
import { serviceaccounts } from './serviceaccounts.js';
import { serviceIpAllocator } from './service-ips.js';
import { services } from './services.js';
import { storageclasses } from './storageclasses.js';
import { tokenReviews } from './tokenreviews.js';
import { validatingAdmissionPolicies } from './validatingadmissionpolicies.js';
import { validatingAdmissionPolicyBindings } from './validatingadmissionpolicybindings.js';
import { mutatingWebhookConfigurations, validatingWebhookConfigurations } from './webhookconfigurations.js';

/** What resources with behaviour beyond storage need from the server. */
export interface ResourceDeps {
  tokenRequest: TokenRequestConfig;
  tokenAuthenticator: TokenAuthenticator;
  authorizer: Authorizer;
  rbac: RbacAuthorizer;
  /** The node agent, for pods/log, pods/exec, … (looked up per request: it starts after the registry). */
  podStreams?: () => PodStreams | undefined;
  /** The node agent's figures, for the metrics API (looked up per request, as podStreams). */
  resourceUsage?: () => ResourceUsage | undefined;
  /** Compiles the CEL rules of CustomResourceDefinition schemas (x-kubernetes-validations); none: not compiled. */
  compileSchemaRules?: CompileSchemaRules;
}

export function allResources(deps: ResourceDeps): ResourceDef[] {
  return [
    configmaps,
    endpoints,
    events,
    limitranges,
    namespaces,
    nodes,
    persistentvolumeclaims,
    persistentvolumes,
    { ...pods, subresources: { ...pods.subresources, ...podStreamSubresources({ authorizer: deps.authorizer, streams: deps.podStreams ?? (() => undefined) }) } },
    podtemplates,
    replicationcontrollers,
    resourcequotas,
    secrets,
    serviceaccounts(deps.tokenRequest),
    { ...services, begin: serviceIpAllocator() },
    // kube-aggregator's own group comes first among the named groups, as its /apis handler lists it.
    apiServices,
    controllerrevisions,
    daemonsets,
    statefulsets,
    deployments,
    replicasets,
    eventsV1,
    tokenReviews(deps.tokenAuthenticator),
    selfSubjectReviews,
    selfSubjectReviewsV1beta1,
    localSubjectAccessReviews(deps.authorizer),
    selfSubjectAccessReviews(deps.authorizer),
    selfSubjectRulesReviews(deps.rbac),
    subjectAccessReviews(deps.authorizer),
    horizontalpodautoscalers,
    horizontalpodautoscalersV1,
    cronjobs,
    jobs,
    certificateSigningRequests,
    ingressClasses,
    ingresses,
    networkPolicies,
    podDisruptionBudgets,
    clusterrolebindings,
    clusterroles,
    rolebindings,
    roles,
    storageclasses,
    validatingAdmissionPolicies,
    validatingAdmissionPolicyBindings,
    validatingWebhookConfigurations,
    mutatingWebhookConfigurations,
    customResourceDefinitions(deps.compileSchemaRules),
    priorityclasses,
    leases,
    endpointslices,
    nodeMetrics(deps.resourceUsage ?? (() => undefined)),
    podMetrics(deps.resourceUsage ?? (() => undefined)),
  ];
}

/** Kinds that are only bodies of subresources and options (decoders need their schemas). */
export function bodySchemas(): ObjectSchema[] {
  return [deleteOptions, eviction];
}
