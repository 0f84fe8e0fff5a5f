// /openapi/v2 with real kubectl: Lists and create-only kinds (which every kubectl validates from
// v2), kubectl 1.27 and 1.28 (which read v2 for apply, explain and edit), and the endpoint itself.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openApiV2DocumentType } from '../../src/server/openapi/v2-proto.js';
import { startBadge, type Badge } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'badge-openapi-v2-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** What `kubectl get sa,cm -o yaml` writes, for new objects named after `tag`. */
const list = (tag: string, label: string) => `apiVersion: v1
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    labels:
      tag: ${label}
    name: sa-${tag}
    namespace: default
- apiVersion: v1
  data:
    key: value
  kind: ConfigMap
  metadata:
    labels:
      tag: ${label}
    name: cm-${tag}
    namespace: default
- apiVersion: rbac.authorization.k8s.io/v1
  kind: Role
  metadata:
    name: role-${tag}
    namespace: default
  rules:
  - apiGroups:
    - ""
    resources:
    - pods
    verbs:
    - get
kind: List
metadata:
  resourceVersion: ""
`;

const VALIDATE_OFF = '; if you choose to ignore these errors, turn validation off with --validate=false\n';

/** A GET of /openapi/v2 as the admin, with the reply's bytes. */
function getV2(b: Badge, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const { url, pki } = b.server;
  return new Promise((resolve, reject) => {
    const req = request(`${url}/openapi/v2`, { ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('e2e: OpenAPI v2', () => {
  let b: Badge;
  /** Each kubectl version with its own cache dir (the last --cache-dir wins). */
  const kubectl = (version: string, args: string[], env?: Record<string, string>) =>
    b.kubectl(['--cache-dir', join(dir, `cache-${version}`), ...args], { version, env });
  before(async () => {
    b = await startBadge();
  });
  after(() => b.close());

  it('serves JSON and protobuf with an Etag, 304 on If-None-Match, 406 for other types', async () => {
    const json = await getV2(b, { Accept: 'application/json' });
    assert.equal(json.status, 200);
    assert.equal(json.headers['content-type'], 'application/json');
    const doc = JSON.parse(json.body.toString());
    assert.equal(doc.swagger, '2.0');
    assert.ok(doc.definitions['io.k8s.api.core.v1.Pod']);
    const etag = json.headers.etag as string;
    assert.match(etag, /^"[0-9A-F]{128}"$/);

    const proto = await getV2(b, { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    assert.equal(proto.status, 200);
    assert.equal(proto.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    assert.equal(proto.headers.etag, etag);
    const decoded = openApiV2DocumentType().decode(proto.body) as unknown as { swagger: string; definitions: { additional_properties: unknown[] } };
    assert.equal(decoded.swagger, '2.0');
    assert.equal(decoded.definitions.additional_properties.length, Object.keys(doc.definitions).length);

    const cached = await getV2(b, { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'If-None-Match': etag });
    assert.equal(cached.status, 304);
    assert.equal(cached.body.length, 0);
    const html = await getV2(b, { Accept: 'text/html' });
    assert.equal(html.status, 406);
  });

  for (const version of ['1.27', '1.28', '1.31', '1.33']) {
    it(`kubectl ${version} applies a kind: List with validation on, and validates its items from v2`, async () => {
      const tag = `list-${version.replace('.', '-')}`;
      const first = await kubectl(version, ['apply', '-f', file(`${tag}.yaml`, list(tag, 'one'))]);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.stdout, `serviceaccount/sa-${tag} created\nconfigmap/cm-${tag} created\nrole.rbac.authorization.k8s.io/role-${tag} created\n`);
      const second = await kubectl(version, ['apply', '-f', file(`${tag}-2.yaml`, list(tag, 'two'))]);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(second.stdout, `serviceaccount/sa-${tag} configured\nconfigmap/cm-${tag} configured\nrole.rbac.authorization.k8s.io/role-${tag} unchanged\n`);
      assert.equal((await kubectl(version, ['get', 'cm', `cm-${tag}`, '-o', 'jsonpath={.metadata.labels.tag}'])).stdout, 'two');

      const bad = file(`${tag}-bad.yaml`, list(`${tag}-bad`, 'one').replace('  kind: ServiceAccount\n', '  kind: ServiceAccount\n  automountServiceAccountToken: "yes"\n'));
      const refused = await kubectl(version, ['apply', '-f', bad]);
      assert.equal(refused.code, 1);
      assert.equal(
        refused.stderr,
        `error: error validating "${bad}": error validating data: ValidationError(ServiceAccount.automountServiceAccountToken): invalid type for io.k8s.api.core.v1.ServiceAccount.automountServiceAccountToken: got "string", expected "boolean"${VALIDATE_OFF}`,
      );
    });
  }

  for (const version of ['1.27', '1.33']) {
    it(`kubectl ${version} creates a TokenReview and a SubjectAccessReview from files, validated from v2`, async () => {
      const tr = file('tokenreview.yaml', 'apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec:\n  token: not-a-token\n');
      const review = await kubectl(version, ['create', '-f', tr, '-o', 'jsonpath={.status.authenticated}/{.status.error}']);
      assert.equal(review.code, 0, review.stderr);
      assert.equal(review.stdout, '/invalid bearer token');
      const plain = await kubectl(version, ['create', '-f', tr]);
      assert.equal(plain.stdout, 'tokenreview.authentication.k8s.io/<unknown> created\n', plain.stderr);

      const sar = file('sar.yaml', 'apiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\nspec:\n  user: jane\n  resourceAttributes:\n    verb: get\n    resource: pods\n    namespace: default\n');
      const access = await kubectl(version, ['create', '-f', sar, '-o', 'jsonpath={.status.allowed}']);
      assert.equal(access.code, 0, access.stderr);
      assert.equal(access.stdout, 'false');

      const typo = file('tokenreview-typo.yaml', 'apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec:\n  tokn: x\n');
      const refused = await kubectl(version, ['create', '-f', typo]);
      assert.equal(refused.code, 1);
      assert.equal(
        refused.stderr,
        `error: error validating "${typo}": error validating data: ValidationError(TokenReview.spec): unknown field "tokn" in io.k8s.api.authentication.v1.TokenReviewSpec${VALIDATE_OFF}`,
      );
    });
  }

  for (const version of ['1.27', '1.28']) {
    describe(`kubectl ${version}`, () => {
      const sa = `old-${version.replace('.', '-')}`;

      it('applies, then applies a change, and refuses an unknown field', async () => {
        const created = await kubectl(version, ['apply', '-f', file(`${sa}.yaml`, `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${sa}\n  labels:\n    a: "1"\n`)]);
        assert.equal(created.code, 0, created.stderr);
        assert.equal(created.stdout, `serviceaccount/${sa} created\n`);
        const changed = await kubectl(version, ['apply', '-f', file(`${sa}-2.yaml`, `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${sa}\n  labels:\n    a: "2"\nautomountServiceAccountToken: false\n`)]);
        assert.equal(changed.code, 0, changed.stderr);
        assert.equal(changed.stdout, `serviceaccount/${sa} configured\n`);
        assert.equal(changed.stderr, '');
        const got = JSON.parse((await kubectl(version, ['get', 'sa', sa, '-o', 'json'])).stdout);
        assert.equal(got.metadata.labels.a, '2');
        assert.equal(got.automountServiceAccountToken, false);

        // The kind takes fieldValidation (from v3), so the server validates, as against kube-apiserver.
        const bad = file(`${sa}-bad.yaml`, `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${sa}-bad\nfoo: bar\n`);
        const strict = await kubectl(version, ['apply', '--validate=strict', '-f', bad]);
        assert.equal(strict.code, 1);
        assert.equal(strict.stderr, `Error from server (BadRequest): error when creating "${bad}": ServiceAccount in version "v1" cannot be handled as a ServiceAccount: strict decoding error: unknown field "foo"\n`);
      });

      it('explains kinds and fields, from v3 and from v2', async () => {
        const containers = await kubectl(version, ['explain', 'pods.spec.containers']);
        assert.equal(containers.code, 0, containers.stderr);
        assert.match(containers.stdout, /^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: containers <\[\]Container>\n/);
        assert.match(containers.stdout, /\n {2}image\t<string>\n/);
        const v2 = await kubectl(version, ['explain', 'pods.spec.containers', '--output=plaintext-openapiv2']);
        assert.equal(v2.code, 0, v2.stderr);
        assert.match(v2.stdout, /^KIND: {5}Pod\nVERSION: {2}v1\n\nRESOURCE: containers <\[\]Object>\n/);
        assert.match(v2.stdout, /\n {3}name\t<string> -required-\n/);
        const recursive = await kubectl(version, ['explain', 'serviceaccount', '--recursive', '--output=plaintext-openapiv2']);
        assert.equal(recursive.code, 0, recursive.stderr);
        assert.match(recursive.stdout, /\n {3}imagePullSecrets\t<\[\]Object>\n {6}name\t<string>\n/);
        assert.match(recursive.stdout, /\n {6}ownerReferences\t<\[\]Object>\n {9}apiVersion\t<string>\n/);
      });

      it('edits an object with validation on', async () => {
        const editor = file(`editor-${version}.sh`, '#!/bin/sh\nsed -i \'s/^    a: "2"$/    a: "edited"/\' "$1"\n');
        chmodSync(editor, 0o755);
        const edited = await kubectl(version, ['edit', 'sa', sa], { KUBE_EDITOR: editor });
        assert.equal(edited.code, 0, edited.stderr);
        assert.equal(edited.stdout, `serviceaccount/${sa} edited\n`);
        assert.equal((await kubectl(version, ['get', 'sa', sa, '-o', 'jsonpath={.metadata.labels.a}'])).stdout, 'edited');
      });
    });
  }
});
