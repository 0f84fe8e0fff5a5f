// /healthz, /livez and /readyz with the real kubectl, as kube-apiserver's healthz package serves
// them: `ok`, ?verbose listing every named check, ?exclude, one check by its path, and the 404 of
// a check that does not exist. They are public (system:public-info-viewer), so anonymous too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBadge, type Badge } from './harness.js';

describe('e2e: health endpoints', () => {
  let b: Badge;
  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  it('answers ok, and lists the named checks with ?verbose', async () => {
    for (const endpoint of ['healthz', 'livez', 'readyz']) assert.equal(await b.ok(['get', '--raw', `/${endpoint}`]), 'ok');
    const live = ['[+]ping ok', '[+]log ok', '[+]etcd ok', '[+]poststarthook/rbac/bootstrap-roles ok'];
    assert.equal(await b.ok(['get', '--raw', '/livez?verbose']), [...live, 'livez check passed', ''].join('\n'));
    assert.equal(await b.ok(['get', '--raw', '/healthz?verbose']), [...live, 'healthz check passed', ''].join('\n'));
    assert.equal(
      await b.ok(['get', '--raw', '/readyz?verbose']),
      ['[+]ping ok', '[+]log ok', '[+]etcd ok', '[+]etcd-readiness ok', '[+]informer-sync ok', '[+]poststarthook/rbac/bootstrap-roles ok', '[+]shutdown ok', 'readyz check passed', ''].join('\n'),
    );
  });

  it('excludes checks by name and warns of names it does not know', async () => {
    const out = await b.ok(['get', '--raw', '/readyz?verbose&exclude=etcd&exclude=shutdown&exclude=nope&exclude=also-nope']);
    assert.match(out, /^\[\+\]etcd excluded: ok$/m);
    assert.match(out, /^\[\+\]shutdown excluded: ok$/m);
    assert.match(out, /^warn: some health checks cannot be excluded: no matches for "also-nope","nope"\nreadyz check passed\n$/m);
  });

  it('runs one check by its path; a check only /readyz has is not found under /livez', async () => {
    assert.equal(await b.ok(['get', '--raw', '/readyz/informer-sync']), 'ok');
    assert.equal(await b.ok(['get', '--raw', '/livez/poststarthook/rbac/bootstrap-roles']), 'ok');
    const r = await b.api('GET', '/livez/informer-sync');
    assert.equal(r.status, 404);
    assert.equal(String(r.body), '404 page not found\n');
  });

  it('serves anonymous clients', async () => {
    const r = await b.get('/readyz?verbose');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
  });
});
