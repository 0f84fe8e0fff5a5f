// discovery.k8s.io/v1 EndpointSlice (k8s.io/api/discovery/v1), as served by Kubernetes 1.32.
import { arr, bool, described, int32, obj, pb, ptr, str, stringMap } from '../../api/schema.js';
import { objectReference } from './core-pod.js';
import { kind } from './meta.js';

const DISCOVERY = 'io.k8s.api.discovery.v1';

export const endpointConditions = obj(`${DISCOVERY}.EndpointConditions`, 'The current condition of an endpoint.', {
  ready: pb(1, ptr(bool('Whether the endpoint is ready for traffic; terminating endpoints are never ready.'))),
  serving: pb(2, ptr(bool('Whether the endpoint serves traffic, terminating or not.'))),
  terminating: pb(3, ptr(bool('Whether the endpoint is terminating.'))),
});

export const forZone = obj(`${DISCOVERY}.ForZone`, 'A zone an endpoint should be consumed by.', {
  name: pb(1, str('Name of the zone.')),
}, { required: ['name'] });

export const endpointHints = obj(`${DISCOVERY}.EndpointHints`, 'Hints on how an endpoint should be consumed.', {
  forZones: pb(1, arr(forZone, 'Zones the endpoint should be consumed by, for topology aware routing.', { listType: 'atomic' })),
});

export const endpoint = obj(`${DISCOVERY}.Endpoint`, 'One logical backend of a service.', {
  addresses: pb(1, arr(str(), 'Addresses of the endpoint, interpreted by the slice\'s addressType.', { listType: 'set' })),
  conditions: pb(2, described('Current condition of the endpoint.', endpointConditions)),
  deprecatedTopology: pb(5, stringMap('Deprecated topology labels; use nodeName and zone.')),
  hints: pb(8, ptr(described('Hints on how the endpoint should be consumed.', endpointHints))),
  hostname: pb(3, ptr(str('Host name of the endpoint.'))),
  nodeName: pb(6, ptr(str('Node hosting the endpoint.'))),
  targetRef: pb(4, ptr(described('Object providing the endpoint.', objectReference))),
  zone: pb(7, ptr(str('Zone the endpoint is in.'))),
}, { required: ['addresses'] });

export const endpointPort = obj(`${DISCOVERY}.EndpointPort`, 'A port used by the endpoints of a slice.', {
  appProtocol: pb(4, ptr(str('Application protocol of the port.'))),
  name: pb(1, ptr(str('Name of the port, matching the service port name.'))),
  port: pb(3, ptr(int32('Port number of the endpoints; unset means all ports.'))),
  protocol: pb(2, ptr(str('TCP, UDP or SCTP; TCP by default.'))),
}, { mapType: 'atomic' });

export const endpointSlice = kind('discovery.k8s.io', 'v1', 'EndpointSlice', DISCOVERY, 'A subset of the endpoints that implement a service.', {
  addressType: pb(4, str('IPv4, IPv6 or FQDN: the type of every address of the slice; immutable.')),
  endpoints: pb(2, arr(endpoint, 'Endpoints of the slice, at most 1000.', { listType: 'atomic' })),
  ports: pb(3, arr(endpointPort, 'Ports the endpoints expose, at most 100.', { listType: 'atomic' })),
}, { required: ['addressType', 'endpoints'] });
