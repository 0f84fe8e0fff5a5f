// HTTP/2 on the API's TLS port beside HTTP/1.1: curl over each, with a client certificate and
// with a bearer token; Node's HTTP/2 client, several requests on one connection; kubectl
// 1.27–1.33, which negotiate h2 for get, apply and watch (their own debug log,
// GODEBUG=http2debug=1, shows the frames) and dial HTTP/1.1 for exec's WebSocket upgrade; the
// Python client, which keeps HTTP/1.1.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { KUBECTL_DIR, processRuntimeUnavailable, pythonClientMissing, run, startBadge, type Badge } from './harness.js';

const VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'];
/** What Go's HTTP/2 client logs for each reply frame it reads. */
const H2_REPLY = /http2: Transport received HEADERS flags=END_HEADERS stream=\d+/;

/** kubectl `version` with its own cache dir, logging its HTTP/2 frames. */
function kubectl(b: Badge, version: string, args: string[], stdin?: string) {
  return b.kubectl(['--cache-dir', join(b.dataDir, `cache-${version}`), ...args], { version, stdin, env: { GODEBUG: 'http2debug=1' } });
}

/** A command that runs until stopped, and its output so far. */
function startLong(cmd: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(cmd, args, { env: { ...process.env, ...env } });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (out.stdout += d));
  child.stderr.on('data', (d) => (out.stderr += d));
  return {
    out,
    async until(re: RegExp, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (!re.test(out.stdout)) {
        if (Date.now() > deadline) throw new Error(`no ${re} in ${JSON.stringify(out)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: () => child.kill(),
  };
}

/** One request over an HTTP/2 session: the reply's headers and body. */
function h2Request(session: ClientHttp2Session, headers: Record<string, string>, body?: string): Promise<{ headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = session.request(headers);
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => (text += d));
    req.on('response', (h) => req.once('end', () => resolve({ headers: h, body: text })));
    req.on('error', reject);
    req.end(body);
  });
}

describe('e2e: HTTP/2 (issue 11)', () => {
  let b: Badge;
  let ca: string[];
  /** curl's arguments for each way to authenticate: the admin's client certificate, a ServiceAccount's token. */
  const credentials: Record<string, { args: string[]; user: string }> = {};
  /** kubectl before 1.29 applies and validates with the OpenAPI v2 document; without it, it creates unvalidated. */
  let openApiV2 = false;
  const cm = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } });
  const configmaps = () => `${b.server.url}/api/v1/namespaces/default/configmaps`;

  before(async () => {
    b = await startBadge();
    const pki = join(b.dataDir, 'pki');
    ca = ['--cacert', join(pki, 'ca.crt')];
    credentials['a client certificate'] = { args: ['--cert', join(pki, 'admin.crt'), '--key', join(pki, 'admin.key')], user: 'badge-admin' };
    assert.equal((await b.kubectl(['create', 'serviceaccount', 'h2-editor'])).code, 0);
    assert.equal((await b.kubectl(['create', 'rolebinding', 'h2-editor', '--clusterrole=edit', '--serviceaccount=default:h2-editor'])).code, 0);
    const token = (await b.kubectl(['create', 'token', 'h2-editor'])).stdout.trim();
    credentials['a bearer token'] = { args: ['-H', `Authorization: Bearer ${token}`], user: 'system:serviceaccount:default:h2-editor' };
    assert.equal((await b.api('POST', '/api/v1/namespaces/default/configmaps', cm('h2-get'))).status, 201);
    openApiV2 = (await b.api('GET', '/openapi/v2')).status === 200;
  });
  after(() => b?.close());

  for (const credential of ['a client certificate', 'a bearer token']) {
    const curl = (args: string[]) => run('curl', ['-sS', ...ca, ...credentials[credential]!.args, ...args]);
    /** The status line and headers, and the body, of a reply curl wrote with -D -. */
    const split = (stdout: string) => stdout.split('\r\n\r\n') as [string, string];
    const suffix = credential === 'a bearer token' ? 'token' : 'cert';

    it(`curl --http2 with ${credential}: who I am, a GET, and --http1.1 on the same port`, async () => {
      const review = await curl(['--http2', '-H', 'Content-Type: application/json', '--data', '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}', `${b.server.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`]);
      assert.equal(JSON.parse(review.stdout).status.userInfo.username, credentials[credential]!.user, review.stdout + review.stderr);
      for (const [flag, version] of [['--http2', '2'], ['--http1.1', '1.1']]) {
        const r = await curl([flag!, '-w', '\n%{http_version} %{http_code}', `${configmaps()}/h2-get`]);
        const [body, status] = [r.stdout.slice(0, r.stdout.lastIndexOf('\n')), r.stdout.slice(r.stdout.lastIndexOf('\n') + 1)];
        assert.equal(status, `${version} 200`, r.stderr);
        assert.deepEqual(JSON.parse(body).data, { a: 'b' });
      }
    });

    it(`curl --http2 with ${credential}: a list as a Table`, async () => {
      const [head, body] = split((await curl(['--http2', '-D', '-', '-H', 'Accept: application/json;as=Table;v=v1;g=meta.k8s.io', configmaps()])).stdout);
      assert.match(head, /^HTTP\/2 200 ?\r\n/);
      assert.match(head, /\r\ncontent-type: application\/json;as=Table;v=v1;g=meta.k8s.io\r\n/);
      const table = JSON.parse(body);
      assert.equal(table.kind, 'Table');
      assert.ok(table.rows.some((row: { cells: unknown[] }) => row.cells[0] === 'h2-get'));
    });

    it(`curl --http2 with ${credential}: a create, with its Warning headers in UTF-8`, async () => {
      const name = `h2-created-${suffix}`;
      const [head, body] = split((await curl(['--http2', '-D', '-', '-H', 'Content-Type: application/json', '--data', `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"xü":1}`, `${configmaps()}?fieldValidation=Warn`])).stdout);
      assert.match(head, /^HTTP\/2 201 ?\r\n/);
      assert.match(head, /\r\nwarning: 299 - "unknown field \\"xü\\""\r\n/);
      assert.equal(JSON.parse(body).metadata.name, name);
    });

    it(`curl --http2 with ${credential}: a watch streams its events as they happen`, async () => {
      const name = `h2-watched-${suffix}`;
      const rv = (await b.api('GET', '/api/v1/namespaces/default/configmaps')).json.metadata.resourceVersion;
      const watch = startLong('curl', ['-sS', '-N', '--http2', ...ca, ...credentials[credential]!.args, `${configmaps()}?watch=true&resourceVersion=${rv}`]);
      try {
        await b.api('POST', '/api/v1/namespaces/default/configmaps', cm(name));
        await watch.until(new RegExp(`"type":"ADDED","object":\\{[^\\n]*"name":"${name}"`));
        await b.api('DELETE', `/api/v1/namespaces/default/configmaps/${name}`);
        await watch.until(/"type":"DELETED"/);
      } finally {
        watch.stop();
      }
    });
  }

  it('curl --http2: an error is a Status', async () => {
    const missing = await run('curl', ['-sS', '--http2', '-D', '-', ...ca, ...credentials['a client certificate']!.args, `${configmaps()}/nope`]);
    const [head, body] = missing.stdout.split('\r\n\r\n');
    assert.match(head!, /^HTTP\/2 404 ?\r\n/);
    assert.deepEqual(JSON.parse(body!), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'configmaps' }, code: 404 });
  });

  it("node's HTTP/2 client: a watch, a create of 1 MiB and GETs share one connection, with a certificate or a token", async () => {
    const pki = b.server.pki;
    const token = credentials['a bearer token']!.args[1]!.slice('Authorization: '.length);
    for (const [session, auth] of [
      [connect(b.server.url, { ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key }), {}],
      [connect(b.server.url, { ca: pki.ca.cert }), { authorization: token }],
    ] as [ClientHttp2Session, Record<string, string>][]) {
      try {
        const name = `h2-node-${auth.authorization ? 'token' : 'cert'}`;
        const events: string[] = [];
        const watch = session.request({ ':path': '/api/v1/namespaces/default/configmaps?watch=true', ...auth });
        watch.setEncoding('utf8').on('data', (d: string) => events.push(d));
        await new Promise((resolve) => watch.once('response', resolve));
        const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'x'.repeat(1024 * 1024) } });
        const created = await h2Request(session, { ':method': 'POST', ':path': '/api/v1/namespaces/default/configmaps', 'content-type': 'application/json', ...auth }, big);
        assert.equal(created.headers[':status'], 201, created.body.slice(0, 500));
        const got = await h2Request(session, { ':path': `/api/v1/namespaces/default/configmaps/${name}`, ...auth });
        assert.equal(JSON.parse(got.body).data.a.length, 1024 * 1024);
        await eventually(() => events.join('').includes(`"name":"${name}"`), 'the watch event');
        watch.close();
      } finally {
        session.close();
      }
    }
  });

  for (const version of VERSIONS) {
    it(`kubectl ${version}: get, apply and get -w over HTTP/2`, async () => {
      const name = `h2-kubectl-${version.replace('.', '-')}`;
      const verb = openApiV2 || Number(version.split('.')[1]) >= 29 ? ['apply'] : ['create', '--validate=false'];
      const applied = await kubectl(b, version, [...verb, '-f', '-'], `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: b\n`);
      assert.equal(applied.stdout, `configmap/${name} created\n`, applied.stderr);
      assert.match(applied.stderr, H2_REPLY);
      const got = await kubectl(b, version, ['get', 'configmap', name, '-o', 'jsonpath={.data.a}']);
      assert.equal(got.stdout, 'b', got.stderr);
      assert.match(got.stderr, H2_REPLY);
      const watch = startLong(join(KUBECTL_DIR, `kubectl.${version}`), ['--kubeconfig', b.kubeconfig, '--cache-dir', join(b.dataDir, `cache-${version}`), 'get', 'configmap', name, '-w', '-o', 'jsonpath={.data.a}{"\\n"}'], { GODEBUG: 'http2debug=1' });
      try {
        await watch.until(/^b\n/);
        await b.api('PATCH', `/api/v1/namespaces/default/configmaps/${name}`, '{"data":{"a":"c"}}', { 'Content-Type': 'application/merge-patch+json' });
        await watch.until(/^b\nc\n/);
        assert.match(watch.out.stderr, /http2: Transport encoding header ":path" = "\/api\/v1\/namespaces\/default\/configmaps\?[^"]*watch=true/);
      } finally {
        watch.stop();
      }
    });
  }

  it('the Python client (HTTP/1.1) is served beside', { skip: pythonClientMissing() }, async () => {
    const script = `from kubernetes import client, config\nconfig.load_kube_config(${JSON.stringify(b.kubeconfig)})\nprint(client.CoreV1Api().read_namespaced_config_map("h2-get", "default").data["a"])\n`;
    const r = await run('/usr/bin/python3', ['-c', script]);
    assert.deepEqual({ code: r.code, stdout: r.stdout }, { code: 0, stdout: 'b\n' }, r.stderr);
  });
});

describe('e2e: HTTP/2 and exec (WebSockets over HTTP/1.1)', { skip: processRuntimeUnavailable(), timeout: 120_000 }, () => {
  let b: Badge;
  before(async () => {
    b = await startBadge({ runtime: 'process' });
    assert.equal((await b.kubectl(['run', 'h2-exec', '--image=busybox', '--', 'sleep', '3600'])).code, 0);
    const ready = await b.kubectl(['wait', '--for=condition=Ready', 'pod/h2-exec', '--timeout=60s']);
    assert.equal(ready.code, 0, ready.stderr);
  });
  after(() => b?.close());

  // kubectl 1.30 and later exec over WebSockets by default; the older ones speak SPDY.
  for (const version of VERSIONS.filter((v) => Number(v.split('.')[1]) >= 30)) {
    it(`kubectl ${version} exec: the pod's GET over HTTP/2, the stream over HTTP/1.1`, async () => {
      const r = await b.kubectl(['--cache-dir', join(b.dataDir, `cache-${version}`), '-v=8', 'exec', 'h2-exec', '--', 'echo', 'hi'], { version, env: { GODEBUG: 'http2debug=1' } });
      assert.deepEqual({ code: r.code, stdout: r.stdout }, { code: 0, stdout: 'hi\n' }, r.stderr);
      assert.match(r.stderr, /http2: Transport encoding header ":path" = "\/api\/v1\/namespaces\/default\/pods\/h2-exec"/);
      assert.doesNotMatch(r.stderr, /http2: Transport encoding header ":path" = "[^"]*\/exec\?/);
      assert.match(r.stderr, /Upgrade: websocket/);
    });
  }
});
