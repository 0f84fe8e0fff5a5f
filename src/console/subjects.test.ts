import assert from 'node:assert/strict';
import { it } from 'node:test';
import { filterSubjects, listSubjects, subjectId, subjectUser } from './subjects.js';
import { OBJECTS } from '../testing/console-objects.js';


it('lists every ServiceAccount and every subject a binding names, with binding counts and pods (token mounted or not)', () => {
  const subjects = listSubjects(OBJECTS);
  assert.deepEqual(
    subjects.map((s) => [s.id, s.kind, s.bindings, s.pods.map((p) => `${p.pod}:${p.tokenMounted}`).join(',')]),
    [
      ['group:ops', 'Group', 1, ''],
      ['system:serviceaccount:default:app-reader', 'ServiceAccount', 1, 'app-pod:true'],
      ['system:serviceaccount:default:quiet', 'ServiceAccount', 0, 'quiet-pod:false'],
      // A pod's ServiceAccount that was not read (the namespace's default) is listed through its pod.
      ['system:serviceaccount:web:default', 'ServiceAccount', 0, 'plain:true'],
      ['user:alice', 'User', 2, ''],
    ],
  );
  assert.deepEqual(filterSubjects(subjects, 'APP def').map((s) => s.id), ['system:serviceaccount:default:app-reader']);
  assert.deepEqual(filterSubjects(subjects, '', 'User').map((s) => s.id), ['user:alice']);
  assert.equal(filterSubjects(subjects, '').length, 5);
});

it('names subjects as `#subject=` takes them, and back to the identity', () => {
  assert.equal(subjectId({ kind: 'ServiceAccount', name: 'a' }, 'ns'), 'system:serviceaccount:ns:a');
  assert.equal(subjectId({ kind: 'User', name: 'system:serviceaccount:x:y' }, ''), 'system:serviceaccount:x:y');
  assert.equal(subjectId({ kind: 'Group', name: 'g' }, ''), 'group:g');
  assert.deepEqual(subjectUser('alice'), { username: 'alice', groups: ['system:authenticated'] });
  assert.deepEqual(subjectUser('group:g'), { username: '', groups: ['g'] });
  assert.equal(subjectUser('system:serviceaccount:ns:a').username, 'system:serviceaccount:ns:a');
});
