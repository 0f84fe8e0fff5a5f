import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/meta.js';
import { podQOSClass } from './qos.js';

type Obj = Record<string, unknown>;

describe('podQOSClass', () => {
  const withResources = (...containers: Obj[]): KubeObject => ({ metadata: {}, spec: { containers: containers.map((resources, i) => ({ name: `c${i}`, resources })) } });
  for (const [name, p, want] of [
    ['no resources', withResources({}), 'BestEffort'],
    ['zero requests', withResources({ requests: { cpu: '0' } }), 'BestEffort'],
    ['requests only', withResources({ requests: { cpu: '100m' } }), 'Burstable'],
    ['equal requests and limits', withResources({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }), 'Guaranteed'],
    ['equal values in other units', withResources({ requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: '1', memory: '1Gi' } }), 'Guaranteed'],
    ['a cpu limit only', withResources({ requests: { cpu: '1' }, limits: { cpu: '1' } }), 'Burstable'],
    ['requests below limits', withResources({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }), 'Burstable'],
    [
      'one guaranteed container and one without resources',
      withResources({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, {}),
      'Burstable',
    ],
    ['extended resources only', withResources({ requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '1' } }), 'BestEffort'],
  ] as const) {
    it(`is ${want} with ${name}`, () => assert.equal(podQOSClass(p), want));
  }
});
