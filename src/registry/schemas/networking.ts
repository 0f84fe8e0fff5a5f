// networking.k8s.io/v1 NetworkPolicy, IngressClass and Ingress (k8s.io/api/networking/v1), as served by Kubernetes 1.32.
import { arr, described, embed, int32, intOrString, obj, pb, ptr, str } from '../../api/schema.js';
import { typedLocalObjectReference } from './core-pod.js';
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

export const serviceBackendPort = obj(`${NETWORKING}.ServiceBackendPort`, 'A port of a Service: its name or its number.', {
  name: pb(1, str('The name of the port; excludes number.')),
  number: pb(2, int32('The number of the port; excludes name.')),
}, { mapType: 'atomic' });

export const ingressServiceBackend = obj(`${NETWORKING}.IngressServiceBackend`, 'A Service as a backend.', {
  name: pb(1, str('The name of the Service, in the namespace of the Ingress.')),
  port: pb(2, described('The port of the Service.', serviceBackendPort)),
}, { required: ['name'] });

export const ingressBackend = obj(`${NETWORKING}.IngressBackend`, 'Where traffic goes: a Service or another resource.', {
  resource: pb(3, ptr(described('An object in the namespace of the Ingress; excludes service.', typedLocalObjectReference))),
  service: pb(4, ptr(described('A Service; excludes resource.', ingressServiceBackend))),
});

export const httpIngressPath = obj(`${NETWORKING}.HTTPIngressPath`, 'A path and the backend its requests go to.', {
  backend: pb(2, described('Where requests matching the path go.', ingressBackend)),
  path: pb(1, str('The path requests are matched against; absolute ("/…") for the Exact and Prefix types.')),
  pathType: pb(3, ptr(str('How the path is matched: Exact, Prefix (by path elements) or ImplementationSpecific (as the IngressClass says).', { enum: ['Exact', 'ImplementationSpecific', 'Prefix'] }))),
}, { required: ['pathType', 'backend'] });

export const httpIngressRuleValue = obj(`${NETWORKING}.HTTPIngressRuleValue`, 'Paths and the backends their requests go to.', {
  paths: pb(1, arr(httpIngressPath, 'The paths of the rule.', { listType: 'atomic' })),
}, { required: ['paths'] });

export const ingressRule = embed(obj(`${NETWORKING}.IngressRule`, 'Where requests for a host go.', {
  host: pb(1, str('A fully qualified domain name (not an IP address), which may start with a "*." wildcard; every host when unset.')),
}), 2, {
  http: pb(1, ptr(described('The paths of the host.', httpIngressRuleValue))),
});

export const ingressTLS = obj(`${NETWORKING}.IngressTLS`, 'TLS for a set of hosts.', {
  hosts: pb(1, arr(str(), 'The hosts in the certificate; the wildcard host of the load balancer when unset.', { listType: 'atomic' })),
  secretName: pb(2, str('The Secret holding the certificate and key.')),
});

export const ingressSpec = obj(`${NETWORKING}.IngressSpec`, 'The rules of an Ingress.', {
  defaultBackend: pb(1, ptr(described('Where requests no rule matches go.', ingressBackend))),
  ingressClassName: pb(4, ptr(str('The name of the IngressClass of the Ingress; the default class when unset.'))),
  rules: pb(3, arr(ingressRule, 'Where requests go, by host and path.', { listType: 'atomic' })),
  tls: pb(2, arr(ingressTLS, 'TLS configuration, by host.', { listType: 'atomic' })),
});

export const ingressPortStatus = obj(`${NETWORKING}.IngressPortStatus`, 'The state of a port of a load balancer.', {
  error: pb(3, ptr(str('Why the port is not working, as a CamelCase reason; unset when it works.'))),
  port: pb(1, int32('The port number.')),
  protocol: pb(2, str('TCP, UDP or SCTP.')),
}, { required: ['port', 'protocol'] });

export const ingressLoadBalancerIngress = obj(`${NETWORKING}.IngressLoadBalancerIngress`, 'An ingress point of a load balancer.', {
  hostname: pb(2, str('The DNS name of the ingress point.')),
  ip: pb(1, str('The IP address of the ingress point.')),
  ports: pb(4, arr(ingressPortStatus, 'The ports of the ingress point.', { listType: 'atomic' })),
});

export const ingressLoadBalancerStatus = obj(`${NETWORKING}.IngressLoadBalancerStatus`, 'The state of a load balancer.', {
  ingress: pb(1, arr(ingressLoadBalancerIngress, 'The ingress points of the load balancer.', { listType: 'atomic' })),
});

export const ingressStatus = obj(`${NETWORKING}.IngressStatus`, 'The current state of an Ingress.', {
  loadBalancer: pb(1, described('The load balancer of the Ingress.', ingressLoadBalancerStatus)),
});

export const ingress = kind('networking.k8s.io', 'v1', 'Ingress', NETWORKING, 'Rules that route outside HTTP(S) traffic to Services, carried out by an ingress controller.', {
  spec: pb(2, described('The desired behaviour of the Ingress.', ingressSpec)),
  status: pb(3, described('The current state of the Ingress.', ingressStatus)),
});
