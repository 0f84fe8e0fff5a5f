import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { yamlText } from './v2-yaml.js';

describe('yamlText (vendor extension values, as yaml.v3 writes them in block style)', () => {
  it('writes the values the documents hold', () => {
    assert.equal(yamlText('merge'), 'merge\n');
    assert.equal(yamlText('merge,retainKeys'), 'merge,retainKeys\n');
    assert.equal(yamlText(['containerPort', 'protocol']), '- containerPort\n- protocol\n');
    assert.equal(yamlText({ group: '', kind: 'Pod', version: 'v1' }), 'group: ""\nkind: Pod\nversion: v1\n');
    assert.equal(
      yamlText([{ group: 'apps', kind: 'Deployment', version: 'v1' }, { group: 'rbac.authorization.k8s.io', kind: 'Role', version: 'v1' }]),
      '- group: apps\n  kind: Deployment\n  version: v1\n- group: rbac.authorization.k8s.io\n  kind: Role\n  version: v1\n',
    );
  });

  it('quotes strings a plain scalar would not read back as', () => {
    for (const s of ['', 'true', 'no', 'null', '~', '1', '1.5', 'a: b', '- x', '#x', ' x', "it's", '*'])
      assert.deepEqual(parse(yamlText(s)), s, JSON.stringify(s));
    assert.deepEqual(parse(yamlText([{ group: '', version: '1', kind: 'On' }])), [{ group: '', version: '1', kind: 'On' }]);
  });
});
