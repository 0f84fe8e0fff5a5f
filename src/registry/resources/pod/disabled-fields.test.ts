import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dropDisabledPodSpecFields } from './disabled-fields.js';

type Obj = Record<string, unknown>;

describe('dropDisabledPodSpecFields', () => {
  it('drops fields of feature gates that are off in 1.32 unless the old object used them', () => {
    const s: Obj = {
      hostUsers: false,
      resources: { limits: { cpu: '1' } },
      securityContext: { supplementalGroupsPolicy: 'Strict', seLinuxChangePolicy: 'Recursive' },
      containers: [{ name: 'a', image: 'x', resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }], securityContext: { procMount: 'Unmasked' } }],
    };
    const kept = structuredClone(s);
    dropDisabledPodSpecFields(s);
    assert.deepEqual(s, { securityContext: {}, containers: [{ name: 'a', image: 'x', securityContext: {} }] });
    dropDisabledPodSpecFields(kept, structuredClone(kept));
    assert.equal(kept.hostUsers, false);
  });
});
