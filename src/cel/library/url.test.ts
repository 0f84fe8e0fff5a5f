// The examples of k8s.io/apiserver/pkg/cel/library/urls.go, and Go net/url's error texts.
import { it } from 'node:test';
import { assertErrors, assertValues } from '../../testing/cel.js';

const truths: [string, unknown][] = [
  ["isURL('https://user:pass@example.com:80/path?query=val#fragment')", true],
  ["isURL('/absolute-path')", true],
  ["isURL('https://a:b:c/')", false],
  ["isURL('../relative-path')", false],
  ["url('/path').getScheme()", ''],
  ["url('https://example.com/').getScheme()", 'https'],
  ["url('https://example.com:80/').getHost()", 'example.com:80'],
  ["url('https://example.com/').getHost()", 'example.com'],
  ["url('https://[::1]:80/').getHost()", '[::1]:80'],
  ["url('https://[::1]/').getHost()", '[::1]'],
  ["url('/path').getHost()", ''],
  ["url('https://example.com:80/').getHostname()", 'example.com'],
  ["url('https://127.0.0.1:80/').getHostname()", '127.0.0.1'],
  ["url('https://[::1]:80/').getHostname()", '::1'],
  ["url('/path').getHostname()", ''],
  ["url('https://example.com:80/').getPort()", '80'],
  ["url('https://example.com/').getPort()", ''],
  ["url('/path').getPort()", ''],
  ["url('https://example.com/path').getEscapedPath()", '/path'],
  ["url('https://example.com/path with spaces/').getEscapedPath()", '/path%20with%20spaces/'],
  ["url('https://example.com').getEscapedPath()", ''],
  ["url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == {'k1': ['a'], 'k2': ['b', 'c']}", true],
  ["url('https://example.com/path?key with spaces=value with spaces').getQuery() == {'key with spaces': ['value with spaces']}", true],
  ["url('https://example.com/path?').getQuery() == {}", true],
  ["url('https://example.com/path').getQuery().size()", 0n],
  ["url('https://user:pass@example.com:80/path?query=val#fragment').getQuery()['query']", ['val']],
];

it('url answers as the examples of urls.go', () => {
  assertValues(truths);
});

it('url errors are net/url texts wrapped as Kubernetes wraps them', () => {
  assertErrors([
    ["url('https://a:b:c/')", 'URL parse error during conversion from string: parse "https://a:b:c/": invalid port ":c" after host'],
    ["url('../relative-path')", 'URL parse error during conversion from string: parse "../relative-path": invalid URI for request'],
    ["url('https://example.com/%zz')", 'URL parse error during conversion from string: parse "https://example.com/%zz": invalid URL escape "%zz"'],
  ]);
});
