// Service account tokens with the real kubectl and raw HTTPS: TokenRequest, TokenReview,
// `kubectl auth whoami`, impersonation, OIDC discovery, and forged tokens that must all fail.
import assert from 'node:assert/strict';
import { createHmac, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, customFetch, jwtVerify } from 'jose';
import { ManualClock } from '../../src/api/clock.js';
import { run, startBadge, type Badge } from './harness.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const decode = (jwt: string) => jwt.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));

async function review(b: Badge, token: string, audiences?: string[]) {
  const r = await b.api('POST', '/apis/authentication.k8s.io/v1/tokenreviews', JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences ? { audiences } : {}) } }));
  assert.equal(r.status, 201, r.text);
  return r.json.status;
}

/** What the bearer-token requests read. */
const SERVICEACCOUNTS = '/api/v1/namespaces/default/serviceaccounts';

describe('e2e: service account tokens', () => {
  const clock = new ManualClock(new Date());
  let b: Badge;
  let saUid: string;
  before(async () => {
    b = await startBadge({ clock });
    const sa = await b.api('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'my-app-sa' } }));
    saUid = sa.json.metadata.uid;
  });
  after(() => b.close());

  it('kubectl create token: a JWT with the Kubernetes header and claims, valid one hour', async () => {
    const r = await b.kubectl(['create', 'token', 'my-app-sa']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /\n$/, 'no newline when stdout is not a terminal');
    const [header, claims] = decode(r.stdout);
    assert.deepEqual(Object.keys(header), ['alg', 'kid']);
    assert.equal(header.alg, 'RS256');
    assert.deepEqual(Object.keys(claims), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    assert.deepEqual(claims.aud, [ISSUER]);
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.sub, 'system:serviceaccount:default:my-app-sa');
    assert.equal(claims.exp - claims.iat, 3600);
    assert.equal(claims.nbf, claims.iat);
    assert.deepEqual(claims['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'my-app-sa', uid: saUid } });
  });

  it('kubectl create token --duration, --audience and the errors of the reference', async () => {
    const day = decode((await b.kubectl(['create', 'token', 'my-app-sa', '--duration=24h'])).stdout)[1];
    assert.equal(day.exp - day.iat, 86400);
    const aud = decode((await b.kubectl(['create', 'token', 'my-app-sa', '--audience', 'a', '--audience', 'b'])).stdout)[1];
    assert.deepEqual(aud.aud, ['a', 'b']);
    const short = await b.kubectl(['create', 'token', 'my-app-sa', '--duration=5m']);
    assert.equal(short.code, 1);
    assert.equal(short.stderr, 'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes\n');
    const missing = await b.kubectl(['create', 'token', 'nope']);
    assert.equal(missing.stderr, 'error: failed to create token: serviceaccounts "nope" not found\n');
  });

  it('binds a token to a Pod and to a Secret, and refuses other bindings', async () => {
    const pod = await b.api('POST', '/api/v1/namespaces/default/pods', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bound-pod' }, spec: { serviceAccountName: 'my-app-sa', containers: [{ name: 'c', image: 'x' }] } }));
    assert.equal(pod.status, 201, pod.text);
    const r = await b.kubectl(['create', 'token', 'my-app-sa', '--bound-object-kind', 'Pod', '--bound-object-name', 'bound-pod']);
    assert.equal(r.code, 0, r.stderr);
    const claims = decode(r.stdout)[1];
    assert.deepEqual(claims['kubernetes.io'].pod, { name: 'bound-pod', uid: pod.json.metadata.uid });
    const status = await review(b, r.stdout);
    assert.equal(status.user.extra['authentication.kubernetes.io/pod-name'][0], 'bound-pod');
    const wrongUid = await b.kubectl(['create', 'token', 'my-app-sa', '--bound-object-kind', 'Pod', '--bound-object-name', 'bound-pod', '--bound-object-uid', 'other']);
    assert.equal(
      wrongUid.stderr,
      'error: failed to create token: Operation cannot be fulfilled on Pod "bound-pod": the UID in the bound object reference (other) does not match the UID in record. The object might have been deleted and then recreated\n',
    );
    await b.api('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'other-sa' } }));
    const otherSa = await b.kubectl(['create', 'token', 'other-sa', '--bound-object-kind', 'Pod', '--bound-object-name', 'bound-pod']);
    assert.equal(otherSa.stderr, 'error: failed to create token: cannot bind token for serviceaccount "other-sa" to pod running with different serviceaccount name.\n');
    // Deleting the pod revokes the token, once the node has stopped it and the pod is gone.
    await b.api('DELETE', '/api/v1/namespaces/default/pods/bound-pod');
    const gone = await b.kubectl(['wait', '--for=delete', 'pod/bound-pod', '--timeout=10s']);
    assert.equal(gone.code, 0, gone.stderr);
    clock.advance(11_000);
    const after = await review(b, r.stdout);
    assert.equal(after.authenticated, undefined);
    assert.equal(after.error, 'service account token has been invalidated');
  });

  it('extends pod tokens of 3607 s to a year, with warnafter', async () => {
    const pod = await b.api('POST', '/api/v1/namespaces/default/pods', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ext-pod' }, spec: { serviceAccountName: 'my-app-sa', containers: [{ name: 'c', image: 'x' }] } }));
    const r = await b.api(
      'POST',
      '/api/v1/namespaces/default/serviceaccounts/my-app-sa/token',
      JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'ext-pod', uid: pod.json.metadata.uid } } }),
    );
    assert.equal(r.status, 201, r.text);
    const claims = decode(r.json.status.token)[1];
    assert.equal(claims.exp - claims.iat, 365 * 24 * 3600);
    assert.equal(claims['kubernetes.io'].warnafter, claims.iat + 3607);
    assert.equal(Date.parse(r.json.status.expirationTimestamp) / 1000, claims.iat + 3607);
  });

  it('reviews tokens: authenticated with groups and audiences, or the error', async () => {
    const token = (await b.kubectl(['create', 'token', 'my-app-sa'])).stdout;
    const ok = await review(b, token);
    assert.equal(ok.authenticated, true);
    assert.equal(ok.user.username, 'system:serviceaccount:default:my-app-sa');
    assert.equal(ok.user.uid, saUid);
    assert.deepEqual(ok.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.deepEqual(ok.audiences, [ISSUER]);
    assert.match(ok.user.extra['authentication.kubernetes.io/credential-id'][0], /^JTI=[0-9a-f-]{36}$/);
    const wrongAud = await review(b, token, ['vault']);
    assert.equal(wrongAud.error, `token audiences ["${ISSUER}"] is invalid for the target audiences ["vault"]`);
    const garbage = await review(b, 'garbage');
    assert.deepEqual(garbage, { user: {}, error: 'invalid bearer token' });
  });

  it('authenticates a token on API requests (401 for a bad one)', async () => {
    const token = (await b.kubectl(['create', 'token', 'my-app-sa'])).stdout;
    const r = await b.asBearer(token, SERVICEACCOUNTS);
    assert.equal(r.status, 403);
    assert.equal(r.json.message, 'serviceaccounts is forbidden: User "system:serviceaccount:default:my-app-sa" cannot list resource "serviceaccounts" in API group "" in the namespace "default"');
    assert.equal((await b.asBearer(token.slice(0, -3) + 'abc', SERVICEACCOUNTS)).status, 401);
  });

  it('works with curl --cacert … -H "Authorization: Bearer …", as the tutorial uses it', async () => {
    const token = (await b.kubectl(['create', 'token', 'my-app-sa'])).stdout;
    const ca = join(b.dataDir, 'pki', 'ca.crt');
    const r = await run('curl', ['-sS', '--cacert', ca, '-H', `Authorization: Bearer ${token}`, `${b.server.url}/api/v1/namespaces/default/pods`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).message, 'pods is forbidden: User "system:serviceaccount:default:my-app-sa" cannot list resource "pods" in API group "" in the namespace "default"');
    const bad = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--cacert', ca, '-H', 'Authorization: Bearer nope', `${b.server.url}/api/v1/namespaces/default/pods`]);
    assert.equal(bad.stdout, '401');
  });

  it('binds a token to a Secret', async () => {
    const secret = await b.api('POST', '/api/v1/namespaces/default/secrets', JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'binder' }, stringData: { a: 'b' } }));
    const r = await b.kubectl(['create', 'token', 'my-app-sa', '--bound-object-kind', 'Secret', '--bound-object-name', 'binder']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(decode(r.stdout)[1]['kubernetes.io'].secret, { name: 'binder', uid: secret.json.metadata.uid });
    await b.api('DELETE', '/api/v1/namespaces/default/secrets/binder');
    clock.advance(11_000);
    assert.equal((await review(b, r.stdout)).error, 'service account token has been invalidated');
  });

  describe('forged tokens all get 401', () => {
    const key = () => createPrivateKey(readFileSync(join(b.dataDir, 'pki', 'sa-rs256.key'), 'utf8'));
    const sign = async (claims: object, header: object = {}, k = key()) => {
      const { CompactSign } = await import('jose');
      const kid = decode((await b.kubectl(['create', 'token', 'my-app-sa'])).stdout)[0].kid;
      return new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader({ alg: 'RS256', kid, ...header }).sign(k);
    };
    const now = () => Math.floor(clock.now().getTime() / 1000);
    const claims = (over: object = {}) => ({
      aud: [ISSUER],
      exp: now() + 3600,
      iat: now(),
      iss: ISSUER,
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'my-app-sa', uid: saUid } },
      nbf: now(),
      sub: 'system:serviceaccount:default:my-app-sa',
      ...over,
    });
    const cases: [string, () => Promise<string>][] = [
      ['alg none', async () => `${b64({ alg: 'none' })}.${b64(claims())}.`],
      ['HS256 keyed with the public key', async () => {
        const pub = readFileSync(join(b.dataDir, 'pki', 'sa-rs256.key'), 'utf8');
        const head = `${b64({ alg: 'HS256', kid: decode((await b.kubectl(['create', 'token', 'my-app-sa'])).stdout)[0].kid })}.${b64(claims())}`;
        return `${head}.${createHmac('sha256', createPrivateKey(pub).export({ type: 'pkcs1', format: 'pem' })).update(head).digest('base64url')}`;
      }],
      ['another key with the same kid', async () => sign(claims(), {}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)],
      ['tampered claims', async () => {
        const [h, , s] = (await sign(claims())).split('.');
        return `${h}.${b64(claims({ sub: 'system:serviceaccount:kube-system:admin' }))}.${s}`;
      }],
      ['a wrong issuer', async () => sign(claims({ iss: 'https://evil.example' }))],
      ['a wrong audience', async () => sign(claims({ aud: ['somebody-else'] }))],
      ['expired', async () => sign(claims({ exp: now() - 61, iat: now() - 3700, nbf: now() - 3700 }))],
      ['not yet valid', async () => sign(claims({ nbf: now() + 120 }))],
      ['for a deleted ServiceAccount', async () => sign(claims({ 'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'gone-sa', uid: 'x' } }, sub: 'system:serviceaccount:default:gone-sa' }))],
      ['for a re-created ServiceAccount', async () => sign(claims({ 'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'my-app-sa', uid: '00000000-0000-0000-0000-000000000000' } } }))],
      // Issue 9.8: times of the wrong type are refused, as go-jose refuses them; 1e300 is no escape.
      ['exp a string', async () => sign(claims({ exp: String(now() + 3600) }))],
      ['exp an object', async () => sign(claims({ exp: { value: now() + 3600 } }))],
      ['exp 1e300', async () => sign(claims({ exp: 1e300 }))],
      ['nbf a string', async () => sign(claims({ nbf: 'later' }))],
      ['iat an array', async () => sign(claims({ iat: [now()] }))],
      ['sub a number', async () => sign(claims({ sub: 7 }))],
      ['aud a number', async () => sign(claims({ aud: 7 }))],
    ];
    for (const [name, make] of cases) {
      it(name, async () => {
        const token = await make();
        const r = await b.asBearer(token, SERVICEACCOUNTS);
        assert.equal(r.status, 401, `${name}: ${JSON.stringify(r.json)}`);
        assert.equal(r.json.reason, 'Unauthorized');
      });
    }
    it('TokenReview words a time of the wrong type as go-jose does', async () => {
      assert.equal((await review(b, await sign(claims({ exp: String(now() + 3600) })))).error, 'go-jose/go-jose/jwt: expected number for numeric date');
      assert.equal((await review(b, await sign(claims({ exp: 1e300 })))).error, 'service account token has expired');
    });
    it('TokenReview gives the reason as go-jose words it', async () => {
      const [h, , sig] = (await sign(claims())).split('.');
      const tampered = `${h}.${b64(claims({ sub: 'system:serviceaccount:kube-system:admin' }))}.${sig}`;
      assert.equal((await review(b, tampered)).error, 'go-jose/go-jose: error in cryptographic primitive');
      assert.equal((await review(b, `${b64({ alg: 'none' })}.${b64(claims())}.`)).error, 'go-jose/go-jose: unknown/unsupported algorithm');
    });
    it('a well-formed token signed with the key is accepted (the table is not vacuous)', async () => {
      assert.equal((await b.asBearer(await sign(claims()), SERVICEACCOUNTS)).status, 403);
    });
  });

  it('expires tokens, with 60 s of leeway, on the injectable clock', async () => {
    const token = (await b.kubectl(['create', 'token', 'my-app-sa', '--duration=10m'])).stdout;
    assert.equal((await review(b, token)).authenticated, true);
    clock.advance((600 + 30) * 1000);
    assert.equal((await review(b, token)).authenticated, true, 'within the leeway');
    clock.advance(40_000);
    assert.equal((await review(b, token)).error, 'service account token has expired');
  });

  it('revokes every token of a deleted ServiceAccount', async () => {
    await b.api('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'short-lived' } }));
    const token = (await b.kubectl(['create', 'token', 'short-lived'])).stdout;
    assert.equal((await b.asBearer(token, SERVICEACCOUNTS)).status, 403);
    assert.equal((await b.kubectl(['delete', 'serviceaccount', 'short-lived'])).stdout, 'serviceaccount "short-lived" deleted\n');
    clock.advance(11_000);
    assert.equal((await b.asBearer(token, SERVICEACCOUNTS)).status, 401);
    assert.equal((await review(b, token)).error, 'serviceaccounts "short-lived" not found');
  });

  it('kubectl auth whoami, as the admin and impersonating', async () => {
    const me = await b.kubectl(['auth', 'whoami']);
    assert.equal(me.code, 0, me.stderr);
    assert.match(me.stdout, /^ATTRIBUTE\s+VALUE\nUsername\s+badge-admin\nGroups\s+\[system:masters system:authenticated\]\nExtra: authentication\.kubernetes\.io\/credential-id\s+\[X509SHA256=[0-9a-f]{64}\]\n$/);
    // Until RBAC lands only system:masters may act, so the impersonated identities keep that group.
    const jane = await b.kubectl(['auth', 'whoami', '--as=jane', '--as-group=devs', '--as-group=system:masters']);
    assert.equal(jane.stdout, 'ATTRIBUTE   VALUE\nUsername    jane\nGroups      [devs system:masters system:authenticated]\n', jane.stderr);
    const sa = await b.kubectl(['auth', 'whoami', '--as=system:serviceaccount:default:my-app-sa', '--as-group=system:masters']);
    assert.equal(sa.stdout, 'ATTRIBUTE   VALUE\nUsername    system:serviceaccount:default:my-app-sa\nGroups      [system:masters system:authenticated]\n', sa.stderr);
  });

  it('refuses groups without a user to impersonate', async () => {
    const r = await b.api('GET', '/api/v1/namespaces', undefined, { 'Impersonate-Group': 'devs' });
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'requested [{Group  devs    }] without impersonating a user');
  });

  it('serves OIDC discovery, and jose verifies tokens from the JWKS alone', async () => {
    const config = await b.api('GET', '/.well-known/openid-configuration');
    assert.equal(config.status, 200);
    assert.equal(config.headers['cache-control'], 'public, max-age=3600');
    assert.deepEqual(config.json, {
      issuer: ISSUER,
      jwks_uri: `${b.server.url}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = await b.api('GET', '/openid/v1/jwks');
    assert.equal(jwks.headers['content-type'], 'application/jwk-set+json');
    assert.deepEqual(Object.keys(jwks.json.keys[0]), ['use', 'kty', 'kid', 'alg', 'n', 'e']);
    // A standard JWT library, given only the JWKS URL (fetched over our TLS as the admin).
    const set = createRemoteJWKSet(new URL(config.json.jwks_uri), {
      [customFetch]: async (url: string) => {
        const r = await b.api('GET', new URL(url).pathname);
        return new Response(r.text, { status: r.status, headers: { 'content-type': 'application/json' } });
      },
    });
    const token = (await b.kubectl(['create', 'token', 'my-app-sa'])).stdout;
    const { payload } = await jwtVerify(token, set, { issuer: ISSUER, audience: ISSUER, currentDate: clock.now() });
    assert.equal(payload.sub, 'system:serviceaccount:default:my-app-sa');
  });
});

describe('e2e: token keys across restarts and rotation', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'badge-keys-'));

  it('keeps working tokens across a restart, and after switching to ES256', async () => {
    let b = await startBadge({ dataDir });
    await b.api('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'keeper' } }));
    const rs = (await b.kubectl(['create', 'token', 'keeper'])).stdout;
    await b.close();
    b = await startBadge({ dataDir });
    assert.equal((await review(b, rs)).authenticated, true, 'a token issued before the restart');
    await b.close();
    b = await startBadge({ dataDir, auth: { serviceAccountSigningAlg: 'ES256' } });
    const es = (await b.kubectl(['create', 'token', 'keeper'])).stdout;
    assert.equal(decode(es)[0].alg, 'ES256');
    assert.equal((await review(b, es)).authenticated, true);
    assert.equal((await review(b, rs)).authenticated, true, 'the old RS256 key still verifies');
    const jwks = await b.api('GET', '/openid/v1/jwks');
    assert.deepEqual(jwks.json.keys.map((k: any) => k.alg).sort(), ['ES256', 'RS256']);
    await b.close();
  });

  it('accepts tokens signed by an extra --service-account-key-file key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const file = join(dataDir, 'extra.pub');
    writeFileSync(file, publicKey.export({ type: 'spki', format: 'pem' }));
    const b = await startBadge({ dataDir, auth: { serviceAccountKeyFiles: [file] } });
    const sa = (await b.api('GET', '/api/v1/namespaces/default/serviceaccounts/keeper')).json;
    const now = Math.floor(Date.now() / 1000);
    const { CompactSign } = await import('jose');
    const { keyId } = await import('../../src/auth/tokens/keys.js');
    const token = await new CompactSign(
      Buffer.from(JSON.stringify({ aud: [ISSUER], exp: now + 600, iat: now, iss: ISSUER, 'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'keeper', uid: sa.metadata.uid } }, nbf: now, sub: 'system:serviceaccount:default:keeper' })),
    )
      .setProtectedHeader({ alg: 'ES256', kid: keyId(publicKey) })
      .sign(privateKey);
    assert.equal((await review(b, token)).authenticated, true);
    await b.close();
  });
});

describe('e2e: static tokens and anonymous requests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'badge-static-'));
  const file = join(dir, 'tokens.csv');
  writeFileSync(file, 'secret-token,bob,1001,"devs,ops"\n');

  it('authenticates a static token, which may not impersonate', async () => {
    const b = await startBadge({ auth: { tokenAuthFile: file } });
    try {
      const r = await review(b, 'secret-token');
      assert.deepEqual(r.user, { username: 'bob', uid: '1001', groups: ['devs', 'ops', 'system:authenticated'] });
      const impersonating = (await b.get('/api/v1/namespaces', { Authorization: 'Bearer secret-token', 'Impersonate-User': 'jane' })).json;
      assert.equal(impersonating.message, 'users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope');
    } finally {
      await b.close();
    }
  });

  it('answers requests without credentials with 401 when anonymous auth is off', async () => {
    const b = await startBadge({ auth: { anonymousAuth: false } });
    try {
      const { status } = await b.get('/version');
      assert.equal(status, 401);
    } finally {
      await b.close();
    }
  });
});
