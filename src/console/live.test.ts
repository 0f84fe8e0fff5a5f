import assert from 'node:assert/strict';
import { it } from 'node:test';
import { eventually } from '../testing/eventually.js';
import { bearerApi, Unauthorized } from './api.js';
import { denialText, LiveCluster } from './live.js';

const USER = 'system:serviceaccount:team:bot';
const json = (status: number, body: unknown, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
const forbidden = (resource: string, ns?: string) => json(403, { kind: 'Status', message: `${resource} is forbidden: User "${USER}" cannot list resource "${resource}"${ns ? ` in the namespace "${ns}"` : ' at the cluster scope'}` });
const list = (items: unknown[], rv: string, cont = '') => json(200, { items, metadata: { resourceVersion: rv, ...(cont ? { continue: cont } : {}) } });
const pod = (name: string) => ({ metadata: { name, namespace: 'team', resourceVersion: '3' }, spec: {} });

/**
 * A server where the bot may list pods and rolebindings in its namespace only, and nothing
 * cluster-wide. Its pods come a page of one at a time; the first continue is refused as expired (410).
 */
function fakeServer() {
  const seen: { path: string; auth: string | null; method: string; accept: string | null }[] = [];
  const watches = new Map<string, ReadableStreamDefaultController<Uint8Array>>();
  const fetchFn = (async (url: string, init: RequestInit) => {
    // Every request asks for unindented JSON (the console is a browser, which gets indented JSON otherwise).
    assert.match(String(url), /[?&]pretty=false$/);
    const path = String(url).replace(/[?&]pretty=false$/, '');
    const headers = new Headers(init.headers);
    seen.push({ path, auth: headers.get('authorization'), method: init.method ?? 'GET', accept: headers.get('accept') });
    if (path.endsWith('/selfsubjectreviews')) return json(201, { status: { userInfo: { username: USER, groups: ['system:serviceaccounts', 'system:authenticated'] } } });
    if (path === '/api' || path === '/apis') return json(200, { items: [] }, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    if (path.includes('watch=1') && path.includes('rolebindings')) return forbidden('rolebindings', 'team');
    if (path.includes('watch=1')) {
      const body = new ReadableStream<Uint8Array>({ start: (c) => void watches.set(path.split('?')[0]!, c) });
      return new Response(body, { status: 200 });
    }
    const [bare, query = ''] = path.split('?') as [string, string?];
    if (bare === '/api/v1/namespaces/team/pods') {
      if (query === 'limit=1') return list([pod('p1')], '10', 'next');
      if (query === 'limit=1&continue=next') return json(410, { kind: 'Status', code: 410, reason: 'Expired', message: 'The provided continue parameter is too old' });
      if (query === '') return list([pod('p1'), pod('p0')], '10');
    }
    if (bare === '/api/v1/namespaces/team/secrets' && query === `fieldSelector=${encodeURIComponent('type=kubernetes.io/service-account-token')}&limit=1`) {
      return list([{ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 's1', namespace: 'team', annotations: { 'kubernetes.io/service-account.name': 'bot' } } }], '10');
    }
    if (bare === '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings' && query === 'limit=1') return list([{ metadata: { name: 'rb1', namespace: 'team', resourceVersion: '3' }, subjects: [], roleRef: { kind: 'Role', name: 'r' } }], '10');
    return forbidden(bare.split('/').pop()!, bare.match(/namespaces\/([^/]+)\//)?.[1]);
  }) as typeof fetch;
  return { seen, watches, fetchFn };
}

it('reads what it may, in its own namespace where it may not cluster-wide, names what it may not, and follows watches', async () => {
  const server = fakeServer();
  let changes = 0;
  const live = new LiveCluster(bearerApi('tok', server.fetchFn), () => changes++, () => {}, { debounceMs: 1, pollMs: 5, pageSize: 1 });
  await live.start();
  try {
    assert.equal(live.user.username, USER);
    assert.ok(server.seen.every((r) => r.auth === 'Bearer tok'));
    assert.deepEqual(live.objects().map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`).sort(), ['rbac.authorization.k8s.io/v1 RoleBinding rb1', 'v1 Pod p0', 'v1 Pod p1', 'v1 Secret s1']);
    // Token Secrets are asked for as metadata alone, listed and watched, and kept as the CLI keeps them.
    assert.equal(live.objects().find((o) => o.kind === 'Secret')!.type, 'kubernetes.io/service-account-token');
    assert.match(server.seen.find((r) => r.path.startsWith('/api/v1/namespaces/team/secrets?'))!.accept!, /^application\/json;as=PartialObjectMetadataList;/);
    await eventually(() => server.seen.some((r) => r.path.startsWith('/api/v1/namespaces/team/secrets?') && r.path.includes('watch=1')), 'the secrets watch');
    assert.match(server.seen.find((r) => r.path.includes('/secrets?') && r.path.includes('watch=1'))!.accept!, /^application\/json;as=PartialObjectMetadata;/);
    // Paged; the expired continue followed by the whole list in one request, as client-go's pager does.
    assert.deepEqual(server.seen.filter((r) => r.path.split('?')[0] === '/api/v1/namespaces/team/pods' && !r.path.includes('watch')).map((r) => r.path.split('?')[1] ?? ''), ['limit=1', 'limit=1&continue=next', '']);
    // The CLI's lists, workloads and token Secrets too: those it may not read are named.
    assert.deepEqual(live.denials.map((d) => d.resource).sort(), ['clusterrolebindings', 'clusterroles', 'cronjobs', 'daemonsets', 'deployments', 'jobs', 'pods', 'replicasets', 'rolebindings', 'roles', 'secrets', 'serviceaccounts', 'statefulsets']);
    const denied = Object.fromEntries(live.denials.map((d) => [d.resource, denialText(live.user.username, d)]));
    assert.equal(denied.rolebindings, `You (${USER}) may not list rolebindings at the cluster scope: the console shows those of namespace team only.`);
    assert.equal(denied.roles, `You (${USER}) may not list roles at the cluster scope, nor in namespace team: what they hold is missing from every view.`);
    assert.equal(denied.clusterroles, `You (${USER}) may not list clusterroles at the cluster scope: what they hold is missing from every view.`);
    assert.match(live.denials.find((d) => d.resource === 'roles')!.reason, /^roles is forbidden: /);
    // The watches start from each list's resourceVersion.
    await eventually(() => server.watches.has('/api/v1/namespaces/team/pods'), 'the pods watch');
    assert.ok(server.seen.some((r) => r.path === '/api/v1/namespaces/team/pods?watch=1&allowWatchBookmarks=true&resourceVersion=10'));
    const pods = server.watches.get('/api/v1/namespaces/team/pods')!;
    pods.enqueue(new TextEncoder().encode(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'p2', namespace: 'team', resourceVersion: '11' } } })}\n`));
    await eventually(() => changes > 0, 'the change');
    assert.ok(live.objects().some((o) => o.metadata.name === 'p2' && o.kind === 'Pod'));
    // 410 Gone in the stream: listed again (p2 was never stored), then watched from the new list.
    pods.enqueue(new TextEncoder().encode(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, metadata: {} } })}\n`));
    await eventually(() => !live.objects().some((o) => o.metadata.name === 'p2'), 'the list again');
    // The RoleBindings it may list but not watch are listed again, every pollMs.
    const lists = () => server.seen.filter((r) => r.path === '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings?limit=1').length;
    const before = lists();
    await eventually(() => lists() > before + 1, 'the rolebindings listed again');
  } finally {
    live.stop();
  }
});

it('a refused token (401) is Unauthorized, with the server\u2019s message', async () => {
  const api = bearerApi('bad', (async () => json(401, { kind: 'Status', message: 'Unauthorized' })) as typeof fetch);
  await assert.rejects(new LiveCluster(api, () => {}, () => {}).start(), (err: Error) => err instanceof Unauthorized && err.message === 'Unauthorized');
});
