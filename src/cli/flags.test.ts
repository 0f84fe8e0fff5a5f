import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseDuration } from '../api/duration.js';
import { parseFlags, type FlagSpec } from './flags.js';

const specs: Record<string, FlagSpec> = {
  port: { type: 'string', default: '6443', help: '' },
  'anonymous-auth': { type: 'boolean', default: true, help: '' },
  issuer: { type: 'list', default: ['https://default'], help: '' },
};

it('parses values, booleans and repeated flags as kube-apiserver does', () => {
  assert.deepEqual(parseFlags([], specs), { port: '6443', 'anonymous-auth': true, issuer: ['https://default'] });
  assert.deepEqual(parseFlags(['--port', '1', '--anonymous-auth=false', '--issuer=a', '--issuer', 'b,c'], specs), { port: '1', 'anonymous-auth': false, issuer: ['a', 'b', 'c'] });
  assert.throws(() => parseFlags(['--nope'], specs), /unknown flag: --nope/);
  assert.throws(() => parseFlags(['--port'], specs), /flag needs an argument: --port/);
  assert.throws(() => parseFlags(['--anonymous-auth=maybe'], specs), /invalid argument/);
});

it('parses Go durations', () => {
  assert.equal(parseDuration('300s'), 300);
  assert.equal(parseDuration('5m'), 300);
  assert.equal(parseDuration('1h30m'), 5400);
  assert.equal(parseDuration('8760h'), 31536000);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('-1.5s'), -1.5);
  assert.equal(parseDuration('.5s'), 0.5);
  assert.equal(parseDuration('300ms'), 0.3);
  assert.throws(() => parseDuration('5x'), /^Error: time: unknown unit "x" in duration "5x"$/);
  assert.throws(() => parseDuration('5'), /^Error: time: missing unit in duration "5"$/);
  assert.throws(() => parseDuration(''), /^Error: time: invalid duration ""$/);
  assert.throws(() => parseDuration('.s'), /^Error: time: invalid duration ".s"$/);
});
