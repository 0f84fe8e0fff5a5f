import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorBody } from '../../api/field-errors.js';
import { goIntOrString, goLabelSelector, goNil, goPtr, goStringMap, goStringStruct, invalidOmitValue, type GoStringer } from './go-values.js';

const text = (v: unknown) => (v as GoStringer).goString();

describe('go-values: field error values as Go prints them', () => {
  const rows: [string, unknown, string][] = [
    ['a map, keys sorted', goStringMap({ tier: 'web', app: 'x' }), 'map[string]string{"app":"x", "tier":"web"}'],
    ['a nil map', goStringMap(undefined), 'map[string]string(nil)'],
    ['an empty map', goStringMap({}), 'map[string]string{}'],
    ['a selector', goLabelSelector({ matchLabels: { app: 'x' } }), 'v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}'],
    [
      'a selector with expressions',
      goLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: ['x', 'y'] }, { key: 'b', operator: 'Exists' }] }),
      'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"a", Operator:"In", Values:[]string{"x", "y"}}, v1.LabelSelectorRequirement{Key:"b", Operator:"Exists", Values:[]string(nil)}}}',
    ],
    ['an int IntOrString', goIntOrString(3), 'intstr.IntOrString{Type:0, IntVal:3, StrVal:""}'],
    ['a string IntOrString', goIntOrString('5x'), 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"5x"}'],
    ['a RoleRef', goStringStruct('rbac.RoleRef', [['APIGroup', 'g'], ['Kind', 'Role'], ['Name', 'n']], {}), 'rbac.RoleRef{APIGroup:"g", Kind:"Role", Name:"n"}'],
  ];
  for (const [name, value, want] of rows) {
    it(name, () => assert.equal(text(value), want));
  }

  it('keeps the plain value as JSON data', () => {
    assert.equal(JSON.stringify(goStringMap({ a: 'b' })), '{"a":"b"}');
  });

  it('prints nil pointers as the quoted string "null"', () => {
    assert.equal(goNil(), 'null');
    assert.equal(goPtr(undefined), 'null');
    assert.equal(goPtr(3), 3);
    assert.equal(errorBody({ type: 'FieldValueInvalid', field: 'x', value: goPtr(null), detail: 'field is immutable' }), 'Invalid value: "null": field is immutable');
  });

  it('omits the value as field.OmitValueType{} does', () => {
    assert.equal(errorBody(invalidOmitValue('spec.x', 'specifying one of OnExitCodes and OnPodConditions is required')), 'Invalid value: specifying one of OnExitCodes and OnPodConditions is required');
  });
});
