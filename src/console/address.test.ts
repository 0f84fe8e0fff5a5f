import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseRoute, parseSignIn, routeHash } from './address.js';

it('reads a sign-in fragment: the token, and the subject to open', () => {
  assert.deepEqual(parseSignIn('#token=abc.def-ghi_j&subject=system%3Aserviceaccount%3Adefault%3Aapp-reader'), { token: 'abc.def-ghi_j', subject: 'system:serviceaccount:default:app-reader' });
  assert.deepEqual(parseSignIn('#subject=x&token=a+b/c='), { token: 'a+b/c=', subject: 'x' });
  assert.equal(parseSignIn('#/subjects'), undefined);
  assert.equal(parseSignIn('#token='), undefined);
  assert.equal(parseSignIn(''), undefined);
  // A token that is no valid percent-encoding is taken as written.
  assert.deepEqual(parseSignIn('#token=50%'), { token: '50%' });
});

it('routes: a subject (any characters), who-can, findings, else the subjects list; and back', () => {
  const subject = 'system:serviceaccount:default:app-reader';
  assert.deepEqual(parseRoute(routeHash({ view: 'subject', subject })), { view: 'subject', subject });
  assert.equal(routeHash({ view: 'subject', subject: 'user:a b/c' }), '#/subject/user%3Aa%20b%2Fc');
  assert.deepEqual(parseRoute('#/subject/user%3Aa%20b%2Fc'), { view: 'subject', subject: 'user:a b/c' });
  assert.deepEqual(parseRoute('#/who-can'), { view: 'who-can' });
  assert.deepEqual(parseRoute('#/findings'), { view: 'findings' });
  for (const hash of ['', '#', '#/', '#/subjects', '#/subject/', '#/nothing']) assert.deepEqual(parseRoute(hash), { view: 'subjects' }, hash);
});
