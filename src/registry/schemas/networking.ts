// networking.k8s.io/v1 NetworkPolicy and IngressClass (k8s.io/api/networking/v1), as served by Kubernetes 1.32.
import { arr, described, int32, intOrString, obj, pb, ptr, str } from '../../api/schema.js';
import { kind, labelSelector } from './meta.js';

const NETWORKING = 'io.k8s.api.networking.v1';

export const ipBlock = obj(`${NETWORKING}.IPBlock`, 'A range of IPs (a CIDR) a rule allows, less some sub-ranges.', {
  cidr: pb(1, str('The allowed IP block, as a CIDR such as "192.168.1.0/24" or "2001:db8::/64".')),
  except: pb(2, arr(str(), 'CIDRs within cidr that are not allowed.', { listType: 'atomic' })),
}, { required: ['cidr'] });

export const networkPolicyPeer = obj(`${NETWORKING}.NetworkPolicyPeer`, 'Who a rule allows: pods and namespaces by label, or an IP block.', {
  ipBlock: pb(3, ptr(described('An IP block; excludes the other fields.', ipBlock))),
  namespaceSelector: pb(2, ptr(described('Namespaces by label; with podSelector, the pods it selects in them.', labelSelector))),
  podSelector: pb(1, ptr(described("Pods by label, in the policy's namespace unless namespaceSelector is set.", labelSelector))),
});

export const networkPolicyPort = obj(`${NETWORKING}.NetworkPolicyPort`, 'A port, or a range of ports, a rule allows.', {
  endPort: pb(3, ptr(int32('The last port of the range starting at port; port must be a number.'))),
  port: pb(2, ptr(intOrString('A port number or a named port on the pods; all ports when unset.'))),
  protocol: pb(1, ptr(str('TCP, UDP or SCTP; TCP by default.', { enum: ['SCTP', 'TCP', 'UDP'] }))),
});

const ports = pb(1, arr(networkPolicyPort, 'Ports the rule allows; all ports when empty.', { listType: 'atomic' }));

export const networkPolicyIngressRule = obj(`${NETWORKING}.NetworkPolicyIngressRule`, 'Traffic allowed to the selected pods: from these peers to these ports.', {
  from: pb(2, arr(networkPolicyPeer, 'Sources allowed; every source when empty.', { listType: 'atomic' })),
  ports,
});

export const networkPolicyEgressRule = obj(`${NETWORKING}.NetworkPolicyEgressRule`, 'Traffic allowed from the selected pods: to these peers on these ports.', {
  ports,
  to: pb(2, arr(networkPolicyPeer, 'Destinations allowed; every destination when empty.', { listType: 'atomic' })),
});

export const networkPolicySpec = obj(`${NETWORKING}.NetworkPolicySpec`, 'The pods a NetworkPolicy selects and the traffic it allows them.', {
  egress: pb(3, arr(networkPolicyEgressRule, 'Outgoing traffic allowed (when policyTypes has Egress); none when empty.', { listType: 'atomic' })),
  ingress: pb(2, arr(networkPolicyIngressRule, 'Incoming traffic allowed (when policyTypes has Ingress); none when empty.', { listType: 'atomic' })),
  podSelector: pb(1, described("The pods of the policy's namespace it applies to; an empty selector selects them all.", labelSelector)),
  policyTypes: pb(4, arr(str(undefined, { enum: ['Egress', 'Ingress'] }), 'Ingress, Egress or both: the directions the policy isolates; Ingress, plus Egress when egress rules are set, by default.', { listType: 'atomic' })),
});

export const networkPolicy = kind('networking.k8s.io', 'v1', 'NetworkPolicy', NETWORKING, 'The network traffic allowed to and from a set of pods.', {
  spec: pb(2, described('The desired behaviour of the NetworkPolicy.', networkPolicySpec)),
});

export const ingressClassParametersReference = obj(`${NETWORKING}.IngressClassParametersReference`, 'A resource holding the parameters of an IngressClass.', {
  apiGroup: pb(1, ptr(str("The group of the resource; the core group when unset."))),
  kind: pb(2, str('The kind of the resource.')),
  name: pb(3, str('The name of the resource.')),
  namespace: pb(5, ptr(str('The namespace of the resource; required when scope is Namespace, forbidden when it is Cluster.'))),
  scope: pb(4, ptr(str('Cluster (the default) or Namespace: whether the resource is cluster-scoped or namespaced.'))),
}, { required: ['kind', 'name'] });

export const ingressClassSpec = obj(`${NETWORKING}.IngressClassSpec`, 'The controller that implements an IngressClass and its parameters.', {
  controller: pb(1, str('The name of the controller that implements the class, a domain-prefixed path such as "example.com/ingress-controller"; immutable.')),
  parameters: pb(2, ptr(described('Controller-specific configuration of the class.', ingressClassParametersReference))),
});

export const ingressClass = kind('networking.k8s.io', 'v1', 'IngressClass', NETWORKING, 'A class of Ingresses, implemented by one controller; the annotation ingressclass.kubernetes.io/is-default-class makes it the default class.', {
  spec: pb(2, described('The desired behaviour of the IngressClass.', ingressClassSpec)),
});
