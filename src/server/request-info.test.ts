// parseRequestInfo, with cases and expected results taken from upstream Kubernetes:
// staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo_test.go (TestGetAPIRequestInfo,
// TestGetNonAPIRequestInfo, TestSelectorParsing) and the facts of requestinfo.go.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRequestInfo, RequestInfoError } from './request-info.js';

const parse = (method: string, path: string) => parseRequestInfo(method, new URL(path, 'https://localhost'));

describe('parseRequestInfo: resource requests (TestGetAPIRequestInfo)', () => {
  // method, url, verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name, parts
  const cases: [string, string, string, string, string, string, string, string, string, string, string[]][] = [
    // resource paths
    ['GET', '/api/v1/namespaces', 'list', 'api', '', 'v1', '', 'namespaces', '', '', ['namespaces']],
    ['GET', '/api/v1/namespaces/other', 'get', 'api', '', 'v1', 'other', 'namespaces', '', 'other', ['namespaces', 'other']],
    ['GET', '/api/v1/namespaces/other/pods', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
    ['GET', '/api/v1/namespaces/other/pods/foo', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
    ['HEAD', '/api/v1/namespaces/other/pods/foo', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
    ['GET', '/api/v1/pods', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
    ['HEAD', '/api/v1/pods', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
    ['PATCH', '/api/v1/namespaces/new-namespace', 'patch', 'api', '', 'v1', 'new-namespace', 'namespaces', '', 'new-namespace', ['namespaces', 'new-namespace']],

    // special verbs
    ['GET', '/api/v1/proxy/namespaces/other/pods/foo', 'proxy', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
    ['GET', '/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource', 'proxy', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo', 'subpath', 'not', 'a', 'subresource']],
    ['GET', '/api/v1/watch/pods', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
    ['GET', '/api/v1/pods?watch=true', 'watch', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
    ['GET', '/api/v1/pods?watch=false', 'list', 'api', '', 'v1', '', 'pods', '', '', ['pods']],
    ['GET', '/api/v1/watch/namespaces/other/pods', 'watch', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
    ['GET', '/api/v1/namespaces/other/pods?watch=1', 'watch', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
    ['GET', '/api/v1/namespaces/other/pods?watch=0', 'list', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],

    // subresource identification
    ['GET', '/api/v1/namespaces/other/pods/foo/status', 'get', 'api', '', 'v1', 'other', 'pods', 'status', 'foo', ['pods', 'foo', 'status']],
    ['GET', '/api/v1/namespaces/other/pods/foo/proxy/subpath', 'get', 'api', '', 'v1', 'other', 'pods', 'proxy', 'foo', ['pods', 'foo', 'proxy', 'subpath']],
    ['PUT', '/api/v1/namespaces/other/finalize', 'update', 'api', '', 'v1', 'other', 'namespaces', 'finalize', 'other', ['namespaces', 'other', 'finalize']],
    ['PUT', '/api/v1/namespaces/other/status', 'update', 'api', '', 'v1', 'other', 'namespaces', 'status', 'other', ['namespaces', 'other', 'status']],

    // verb identification
    ['PATCH', '/api/v1/namespaces/other/pods/foo', 'patch', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
    ['DELETE', '/api/v1/namespaces/other/pods/foo', 'delete', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
    ['POST', '/api/v1/namespaces/other/pods', 'create', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
    ['PUT', '/api/v1/namespaces/other/pods/foo', 'update', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
    ['OPTIONS', '/api/v1/namespaces/other/pods/foo', '', 'api', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],

    // deletecollection verb identification
    ['DELETE', '/api/v1/nodes', 'deletecollection', 'api', '', 'v1', '', 'nodes', '', '', ['nodes']],
    ['DELETE', '/api/v1/namespaces', 'deletecollection', 'api', '', 'v1', '', 'namespaces', '', '', ['namespaces']],
    ['DELETE', '/api/v1/namespaces/other/pods', 'deletecollection', 'api', '', 'v1', 'other', 'pods', '', '', ['pods']],
    ['DELETE', '/apis/extensions/v1/namespaces/other/pods', 'deletecollection', 'apis', 'extensions', 'v1', 'other', 'pods', '', '', ['pods']],

    // api group identification
    ['POST', '/apis/extensions/v1/namespaces/other/pods', 'create', 'apis', 'extensions', 'v1', 'other', 'pods', '', '', ['pods']],

    // api version identification
    ['POST', '/apis/extensions/v1beta3/namespaces/other/pods', 'create', 'apis', 'extensions', 'v1beta3', 'other', 'pods', '', '', ['pods']],

    // further cases from the facts of requestinfo.go
    ['GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/admin', 'get', 'apis', 'rbac.authorization.k8s.io', 'v1', '', 'clusterroles', '', 'admin', ['clusterroles', 'admin']],
    ['GET', '/apis/apps/v1/namespaces/ns/deployments/web/scale', 'get', 'apis', 'apps', 'v1', 'ns', 'deployments', 'scale', 'web', ['deployments', 'web', 'scale']],
    ['GET', '/apis/apps/v1/watch/namespaces/ns/deployments/web', 'watch', 'apis', 'apps', 'v1', 'ns', 'deployments', '', 'web', ['deployments', 'web']],
    ['GET', '/api/v1/watch/namespaces/other', 'watch', 'api', '', 'v1', 'other', 'namespaces', '', 'other', ['namespaces', 'other']],
    ['GET', '/api/v1/namespaces/other/status', 'get', 'api', '', 'v1', 'other', 'namespaces', 'status', 'other', ['namespaces', 'other', 'status']],
    ['DELETE', '/api/v1/namespaces/other', 'delete', 'api', '', 'v1', 'other', 'namespaces', '', 'other', ['namespaces', 'other']],
    ['POST', '/api/v1/namespaces/default/serviceaccounts/sa/token', 'create', 'api', '', 'v1', 'default', 'serviceaccounts', 'token', 'sa', ['serviceaccounts', 'sa', 'token']],
    ['GET', '/api/v1/namespaces/other/pods/foo/log/extra/parts', 'get', 'api', '', 'v1', 'other', 'pods', 'log', 'foo', ['pods', 'foo', 'log', 'extra', 'parts']],
    // splitPath trims the slashes at both ends and keeps empty segments inside
    ['GET', '/api//v1/pods/', 'get', 'api', '', '', '', 'v1', '', 'pods', ['v1', 'pods']],
  ];
  for (const [method, url, verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name, parts] of cases) {
    it(`${method} ${url}`, () => {
      const info = parse(method, url);
      assert.deepEqual(
        { isResourceRequest: info.isResourceRequest, verb: info.verb, apiPrefix: info.apiPrefix, apiGroup: info.apiGroup, apiVersion: info.apiVersion, namespace: info.namespace, resource: info.resource, subresource: info.subresource, name: info.name, parts: info.parts },
        { isResourceRequest: true, verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name, parts },
      );
      assert.equal(info.path, new URL(url, 'https://localhost').pathname);
    });
  }
});

describe('parseRequestInfo: non-resource requests', () => {
  // TestGetAPIRequestInfo errorCases: all of these are non-resource requests, without error
  const errorCases: Record<string, string> = {
    'no resource path': '/',
    'just apiversion': '/api/version/',
    'just prefix, group, version': '/apis/group/version/',
    'apiversion with no resource': '/api/version/',
    'bad prefix': '/badprefix/version/resource',
    'missing api group': '/apis/version/resource',
  };
  for (const [name, url] of Object.entries(errorCases)) {
    it(name, () => assert.equal(parse('GET', url).isResourceRequest, false));
  }

  // TestGetNonAPIRequestInfo
  const cases: Record<string, [string, boolean]> = {
    'simple groupless': ['/api/version/resource', true],
    'simple group': ['/apis/group/version/resource/name/subresource', true],
    'more steps': ['/api/version/resource/name/subresource', true],
    'group list': ['/apis/batch/v1/job', true],
    'group get': ['/apis/batch/v1/job/foo', true],
    'group subresource': ['/apis/batch/v1/job/foo/scale', true],
    'bad root': ['/not-api/version/resource', false],
    'group without enough steps': ['/apis/extensions/v1beta1', false],
    'group without enough steps 2': ['/apis/extensions/v1beta1/', false],
    'not enough steps': ['/api/version', false],
    'one step': ['/api', false],
    'zero step': ['/', false],
    empty: ['', false],
  };
  for (const [name, [url, want]] of Object.entries(cases)) {
    it(name, () => assert.equal(parse('GET', url).isResourceRequest, want));
  }

  // the non-resource attributes: the path as is and the lower-cased method
  const nonResource: [string, string, string][] = [
    ['GET', '/healthz', 'get'],
    ['POST', '/healthz', 'post'],
    ['HEAD', '/version', 'head'],
    ['OPTIONS', '/', 'options'],
    ['PUT', '/apis', 'put'],
    ['PATCH', '/apis/apps', 'patch'],
    ['DELETE', '/apis/apps/v1', 'delete'],
    ['GET', '/api/v1', 'get'],
    ['GET', '/openapi/v2', 'get'],
    ['GET', '/.well-known/openid-configuration', 'get'],
  ];
  for (const [method, path, verb] of nonResource) {
    it(`${method} ${path} → ${verb} ${path}`, () => {
      assert.deepEqual(parse(method, path), {
        isResourceRequest: false,
        path,
        verb,
        apiPrefix: '',
        apiGroup: '',
        apiVersion: '',
        namespace: '',
        resource: '',
        subresource: '',
        name: '',
        parts: [],
      });
    });
  }
  it('the query does not change a non-resource request', () => {
    const info = parse('GET', '/healthz?verbose=1&watch=true');
    assert.equal(info.verb, 'get');
    assert.equal(info.path, '/healthz');
  });
});

describe('parseRequestInfo: the deprecated verb prefixes need something after them', () => {
  for (const url of ['/api/v1/watch', '/api/v1/watch/', '/api/v1/proxy', '/apis/apps/v1/watch']) {
    it(url, () => {
      assert.throws(() => parse('GET', url), (err: unknown) => {
        assert.ok(err instanceof RequestInfoError);
        // fmt.Errorf("unable to determine kind and namespace from url, %v", req.URL)
        assert.equal(err.message, `unable to determine kind and namespace from url, ${url}`);
        return true;
      });
    });
  }
  it('the query is part of the URL in the message', () => {
    assert.throws(() => parse('GET', '/api/v1/watch?labelSelector=a'), { message: 'unable to determine kind and namespace from url, /api/v1/watch?labelSelector=a' });
  });
});

describe('parseRequestInfo: list/watch and fieldSelector metadata.name (TestSelectorParsing)', () => {
  // name, method, url, expected name, expected verb
  const cases: [string, string, string, string, string][] = [
    ['no selector', 'GET', '/apis/group/version/resource', '', 'list'],
    ['metadata.name selector', 'GET', '/apis/group/version/resource?fieldSelector=metadata.name=name1', 'name1', 'list'],
    ['metadata.name selector with watch', 'GET', '/apis/group/version/resource?watch=true&fieldSelector=metadata.name=name1', 'name1', 'watch'],
    ['random selector', 'GET', '/apis/group/version/resource?fieldSelector=foo=bar&labelSelector=baz=qux', '', 'list'],
    ['invalid selector with metadata.name', 'GET', '/apis/group/version/resource?fieldSelector=metadata.name=name1,foo', '', 'list'],
    ['invalid selector with metadata.name with watch', 'GET', '/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=true', '', 'watch'],
    ['invalid selector with metadata.name with watch false', 'GET', '/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=false', '', 'list'],
    ['selector on deletecollection is honored', 'DELETE', '/apis/group/version/resource?fieldSelector=foo=bar&labelSelector=baz=qux', '', 'deletecollection'],
    [
      'selector on repeated param matches parsed param',
      'GET',
      '/apis/group/version/resource?fieldSelector=metadata.name=foo&fieldSelector=metadata.name=bar&labelSelector=foo=bar&labelSelector=foo=baz',
      'foo',
      'list',
    ],
    ['selector on other verb is ignored', 'GET', '/apis/group/version/resource/name?fieldSelector=foo=bar&labelSelector=foo=bar', 'name', 'get'],
    ['selector on deprecated root type watch is not parsed', 'GET', '/apis/group/version/watch/resource?fieldSelector=metadata.name=foo&labelSelector=foo=bar', '', 'watch'],
    ['selector on deprecated root item watch is not parsed', 'GET', '/apis/group/version/watch/resource/name?fieldSelector=metadata.name=foo&labelSelector=foo=bar', 'name', 'watch'],
    // further cases from the facts of requestinfo.go
    ['metadata.name== is an exact match too', 'GET', '/api/v1/pods?fieldSelector=metadata.name%3D%3Dp1', 'p1', 'list'],
    ['metadata.name!= is not an exact match', 'GET', '/api/v1/pods?fieldSelector=metadata.name!%3Dp1', '', 'list'],
    ['an exact match among other terms', 'GET', '/api/v1/namespaces/ns/pods?fieldSelector=spec.nodeName%3Dn1,metadata.name%3Dp1', 'p1', 'list'],
    ['a name that is not a valid path segment is ignored', 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Da%2Fb', '', 'list'],
    ['the name "." is not a valid path segment', 'GET', '/api/v1/pods?fieldSelector=metadata.name%3D.', '', 'list'],
    ['a delete with a fieldSelector stays deletecollection without a name', 'DELETE', '/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dp1', '', 'deletecollection'],
    ['a selector on POST is ignored', 'POST', '/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dp1', '', 'create'],
    // the ListOptions are decoded together: any of them failing leaves the name unset (the verb stays)
    ['an invalid labelSelector drops the name', 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dp1&labelSelector=a%20b', '', 'list'],
    ['an invalid labelSelector drops the name of a watch', 'GET', '/api/v1/pods?watch=1&fieldSelector=metadata.name%3Dp1&labelSelector=%3Dx', '', 'watch'],
    ['a valid labelSelector keeps it', 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dp1&labelSelector=a%3Db', 'p1', 'list'],
    ['a limit that is not an integer drops the name', 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dp1&limit=ten', '', 'list'],
    ['an empty limit drops the name', 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dp1&limit=', '', 'list'],
    ['an integer limit keeps it', 'GET', '/api/v1/pods?fieldSelector=metadata.name%3Dp1&limit=500', 'p1', 'list'],
    ['a timeoutSeconds that is not an integer drops the name', 'GET', '/api/v1/pods?watch=true&fieldSelector=metadata.name%3Dp1&timeoutSeconds=1.5', '', 'watch'],
    ['an integer timeoutSeconds keeps it', 'GET', '/api/v1/pods?watch=true&fieldSelector=metadata.name%3Dp1&timeoutSeconds=300', 'p1', 'watch'],
  ];
  for (const [name, method, url, wantName, wantVerb] of cases) {
    it(name, () => {
      const info = parse(method, url);
      assert.equal(info.name, wantName);
      assert.equal(info.verb, wantVerb);
    });
  }

  // watch: absent → list; "false"/"0" (any case) → list; any other value, even empty → watch
  const watch: [string, string][] = [
    ['', 'list'],
    ['?watch=true', 'watch'],
    ['?watch=1', 'watch'],
    ['?watch=false', 'list'],
    ['?watch=0', 'list'],
    ['?watch=FALSE', 'list'],
    ['?watch=False', 'list'],
    ['?watch=TRUE', 'watch'],
    ['?watch=yes', 'watch'],
    ['?watch=', 'watch'],
    ['?watch', 'watch'],
    ['?watch=false&watch=true', 'list'], // the first value counts
    ['?watch=1&watch=0', 'watch'],
  ];
  for (const [query, verb] of watch) {
    it(`GET /api/v1/pods${query} → ${verb}`, () => {
      assert.equal(parse('GET', `/api/v1/pods${query}`).verb, verb);
      assert.equal(parse('HEAD', `/api/v1/namespaces/ns/pods${query}`).verb, verb);
    });
  }
  it('watch=true on a named get stays get', () => assert.equal(parse('GET', '/api/v1/namespaces/ns/pods/p?watch=true').verb, 'get'));
});
