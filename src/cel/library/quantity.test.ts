// Cases of k8s.io/apiserver/pkg/cel/library/quantity_test.go (those of the 1.33 library).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertErrors, assertValues, celEval } from '../../testing/cel.js';

const truths: [string, unknown][] = [
  ['isQuantity("20")', true],
  ['isQuantity("20M")', true],
  ['isQuantity("20Mi")', true],
  ['isQuantity("20Mo")', false],
  ['isQuantity("10Mm")', false],
  ['quantity("200M") == quantity("200M")', true],
  ['quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")', true],
  ['quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M") && quantity("0.002G") == quantity("2000k")', true],
  ['quantity("200M") == quantity("0.3G")', false],
  ['quantity("50M").isLessThan(quantity("50Mi"))', true],
  ['quantity("50M").isLessThan(quantity("100M"))', true],
  ['quantity("100M").isLessThan(quantity("50M"))', false],
  ['quantity("50Mi").isGreaterThan(quantity("50M"))', true],
  ['quantity("150Mi").isGreaterThan(quantity("100Mi"))', true],
  ['quantity("50M").isGreaterThan(quantity("100M"))', false],
  ['quantity("200M").compareTo(quantity("0.2G"))', 0n],
  ['quantity("50M").compareTo(quantity("50Mi"))', -1n],
  ['quantity("50Mi").compareTo(quantity("50M"))', 1n],
  ['quantity("50k").add(quantity("20")) == quantity("50.02k")', true],
  ['quantity("50k").add(20).isLessThan(quantity("50020"))', false],
  ['quantity("50k").sub(quantity("20")) == quantity("49.98k")', true],
  ['quantity("50k").sub(20) == quantity("49980")', true],
  ['quantity("50k").add(20).sub(quantity("100k")).asInteger()', -49980n],
  ['quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger()', 20n],
  ['quantity("50k").asInteger()', 50000n],
  ['quantity("9999999999999999999999999999999999999G").isInteger()', false],
  ['quantity("50").isInteger()', true],
  ['quantity("50.703k").asApproximateFloat()', 50703],
  ['quantity("-5").sign()', -1n],
];

it('quantity answers as quantity_test.go expects', () => {
  assertValues(truths);
});

it('quantity errors are resource.ParseQuantity texts', () => {
  assert.match((celEval('quantity("10Mo")') as { error: string }).error, /^quantities must match the regular expression/);
  assertErrors([
    ['quantity("10Mm")', "unable to parse quantity's suffix"],
    ['quantity("9999999999999999999999999999999999999G").asInteger()', 'cannot convert value to integer'],
  ]);
  assert.match((celEval('isQuantity([1, 2, 3])') as { compileError: string }).compileError, /found no matching overload for 'isQuantity' applied to/);
});
