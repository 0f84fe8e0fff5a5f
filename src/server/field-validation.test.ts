// Field checks against the kind's schema, worded as Go's JSON decoder words them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import { deployment } from '../registry/schemas/apps.js';
import { validateFields } from './field-validation.js';
import { scanJsonText } from './json-text.js';

/** Validates a Deployment written as JSON text, as readObject does. */
function check(spec: string): string {
  const text = `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":${spec}}`;
  try {
    validateFields(JSON.parse(text) as KubeObject, deployment, 'Strict', scanJsonText(text));
    return 'ok';
  } catch (err) {
    return (err as Error).message.replace('Deployment in version "v1" cannot be handled as a Deployment: ', '');
  }
}

const replicasError = (n: string) => `json: cannot unmarshal number ${n} into Go struct field DeploymentSpec.spec.replicas of type int32`;

describe('field validation of numbers (issue 9.5)', () => {
  it('int32 fields take what strconv.ParseInt takes and int32 holds', () => {
    assert.equal(check('{"replicas":2147483647}'), 'ok');
    assert.equal(check('{"replicas":-2147483648}'), 'ok');
    assert.equal(check('{"replicas":2147483648}'), replicasError('2147483648'));
    assert.equal(check('{"replicas":1e20}'), replicasError('1e20'));
    assert.equal(check('{"replicas":1e+20}'), replicasError('1e+20'));
    assert.equal(check('{"replicas":1.0}'), replicasError('1.0'));
    assert.equal(check('{"replicas":1.5}'), replicasError('1.5'));
  });

  it('int64 fields are checked on the digits sent, past 2^53', () => {
    const pod = (n: string) => check(`{"selector":{},"template":{"spec":{"terminationGracePeriodSeconds":${n},"containers":[]}}}`);
    assert.equal(pod('9223372036854775807'), 'ok');
    assert.equal(pod('9223372036854775808'), 'json: cannot unmarshal number 9223372036854775808 into Go struct field PodSpec.spec.template.spec.terminationGracePeriodSeconds of type int64');
    assert.equal(pod('-9223372036854775809'), 'json: cannot unmarshal number -9223372036854775809 into Go struct field PodSpec.spec.template.spec.terminationGracePeriodSeconds of type int64');
  });

  it('type errors name struct fields only: no indexes, no map keys', () => {
    const port = check('{"template":{"spec":{"containers":[{"name":"a","ports":[{"containerPort":"80"}]}]}}}');
    assert.equal(port, 'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32');
    const limits = check('{"template":{"spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":[1]}}}]}}}');
    assert.equal(limits, 'json: cannot unmarshal array into Go struct field ResourceRequirements.spec.template.spec.containers.resources.limits of type resource.Quantity');
  });

  it('an IntOrString number is an int32', () => {
    const surge = (n: string) => check(`{"strategy":{"rollingUpdate":{"maxSurge":${n}}}}`);
    assert.equal(surge('3'), 'ok');
    assert.equal(surge('"25%"'), 'ok');
    assert.equal(surge('4294967296'), 'json: cannot unmarshal number 4294967296 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32');
  });

  it('without the JSON text (YAML, protobuf) the value decides', () => {
    const obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1e20 } } as KubeObject;
    assert.throws(() => validateFields(obj, deployment, 'Strict'), /cannot unmarshal number 100000000000000000000 into Go struct field DeploymentSpec\.spec\.replicas of type int32/);
  });
});

describe('nulls decode as Go decodes them', () => {
  it('a null list item or map value becomes the zero value of its type; nil slices, maps, times and bytes stay null', () => {
    const text = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', labels: { a: null }, managedFields: [{ time: null }] },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: {
          spec: {
            containers: [null, { name: 'c', args: [null], ports: [null], resources: { limits: { cpu: null } } }],
            imagePullSecrets: [null],
            nodeSelector: null,
          },
        },
      },
    });
    const obj = JSON.parse(text) as KubeObject;
    validateFields(obj, deployment, 'Strict', scanJsonText(text));
    assert.deepEqual(obj.metadata.labels, { a: '' });
    assert.deepEqual(obj.metadata.managedFields, [{ time: null }]);
    const spec = (obj.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    assert.deepEqual(spec.containers, [{}, { name: 'c', args: [''], ports: [{}], resources: { limits: { cpu: '0' } } }]);
    assert.deepEqual(spec.imagePullSecrets, [{}]);
    assert.equal(spec.nodeSelector, null);
  });
});
