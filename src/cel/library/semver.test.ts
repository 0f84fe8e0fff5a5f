// Cases of k8s.io/apiserver/pkg/cel/library/semver_test.go, and blang/semver's error texts.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertErrors, assertValues, celEval } from '../../testing/cel.js';

const truths: [string, unknown][] = [
  ['isSemver("1.2.3-beta.1+build.1")', true],
  ['isSemver("")', false],
  ['isSemver("v1.0.0")', false],
  ['isSemver(" 1.0.0")', false],
  ['isSemver("1. 0.0")', false],
  ['isSemver("1.0.0 ")', false],
  ['isSemver("01.01.01")', false],
  ['isSemver("1")', false],
  ['isSemver("1.1")', false],
  ['isSemver("", true)', false],
  ['isSemver(" 1.0.0", true)', false],
  ['isSemver("1. 0.0", true)', false],
  ['isSemver("1.0.0 ", true)', false],
  ['isSemver("v1.0.0", true)', true],
  ['isSemver("01.01.01", true)', true],
  ['isSemver("1", true)', true],
  ['isSemver("1.1", true)', true],
  ['semver("v01.01", true) == semver("1.1.0")', true],
  ['semver("1.2.3") == semver("1.2.3")', true],
  ['semver("1.2.3") == semver("1.0.0")', false],
  ['semver("1.0.0").isLessThan(semver("1.2.3"))', true],
  ['semver("1.0.0").isLessThan(semver("1.0.0"))', false],
  ['semver("1.2.3").isGreaterThan(semver("1.0.0"))', true],
  ['semver("1.0.0").isGreaterThan(semver("1.0.0"))', false],
  ['semver("1.2.3").compareTo(semver("1.2.3"))', 0n],
  ['semver("1.0.0").compareTo(semver("1.2.3"))', -1n],
  ['semver("1.2.3").compareTo(semver("1.0.0"))', 1n],
  ['semver("1.2.3").major()', 1n],
  ['semver("1.2.3").minor()', 2n],
  ['semver("1.2.3").patch()', 3n],
  ['semver("1.0.0-alpha").isLessThan(semver("1.0.0"))', true],
  ['semver("1.0.0-alpha.1").isLessThan(semver("1.0.0-alpha.beta"))', true],
  ['semver("1.0.0-rc.1").isGreaterThan(semver("1.0.0-beta.11"))', true],
  ['semver("1.0.0+a") == semver("1.0.0+b")', true],
];

it('semver answers as semver_test.go expects', () => {
  assertValues(truths);
});

it('semver errors are blang/semver texts', () => {
  assertErrors([
    ['semver("v1.0")', 'No Major.Minor.Patch elements found'],
    ['semver("01.1.1")', 'Major number must not contain leading zeroes "01"'],
    ['semver("1.x.1")', 'Invalid character(s) found in minor number "x"'],
    ['semver("1.0.0-")', 'Prerelease is empty'],
    ['semver("1-rc", true)', 'short version cannot contain PreRelease/Build meta data'],
  ]);
  assert.ok('compileError' in celEval('isSemver([1, 2, 3])'));
  assert.match((celEval('isSemver([1, 2, 3])') as { compileError: string }).compileError, /found no matching overload for 'isSemver' applied to/);
});
