// Cases of k8s.io/apiserver/pkg/cel/library/ip_test.go and cidr_test.go.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertErrors, assertValues, celEval } from '../../testing/cel.js';

const truths: [string, unknown][] = [
  ['string(ip("192.168.0.1"))', '192.168.0.1'],
  ['isIP("192.168.0.1")', true],
  ['isIP("192.168.0.1.0")', false],
  ['ip.isCanonical("127.0.0.1")', true],
  ['ip("192.168.0.1").family()', 4n],
  ['ip("0.0.0.0").isUnspecified()', true],
  ['ip("127.0.0.1").isUnspecified()', false],
  ['ip("127.0.0.1").isLoopback()', true],
  ['ip("1.2.3.4").isLoopback()', false],
  ['ip("224.0.0.1").isLinkLocalMulticast()', true],
  ['ip("224.0.1.1").isLinkLocalMulticast()', false],
  ['ip("169.254.169.254").isLinkLocalUnicast()', true],
  ['ip("192.168.0.1").isLinkLocalUnicast()', false],
  ['ip("192.168.0.1").isGlobalUnicast()', true],
  ['ip("255.255.255.255").isGlobalUnicast()', false],
  ['ip("2001:db8::68") == ip("2001:0db8:0:0::68")', true],
  ['isIP("2001:db8::68")', true],
  ['isIP("2001:db8:::68")', false],
  ['ip.isCanonical("2001:db8::68")', true],
  ['ip.isCanonical("2001:DB8::68")', false],
  ['ip.isCanonical("2001:db8::0:0:0:abcd")', false],
  ['ip("2001:db8::68").family()', 6n],
  ['ip("::").isUnspecified()', true],
  ['ip("::1").isUnspecified()', false],
  ['ip("::1").isLoopback()', true],
  ['ip("2001:db8::abcd").isLoopback()', false],
  ['ip("ff02::1").isLinkLocalMulticast()', true],
  ['ip("fd00::1").isLinkLocalMulticast()', false],
  ['ip("fe80::1").isLinkLocalUnicast()', true],
  ['ip("fd80::1").isLinkLocalUnicast()', false],
  ['ip("2001:db8::abcd").isGlobalUnicast()', true],
  ['ip("ff00::1").isGlobalUnicast()', false],
  ['string(ip("2001:db8:0:0:1:0:0:1"))', '2001:db8::1:0:0:1'],
  ['type(ip("192.168.0.1")) == net.IP', true],
  ['string(cidr("192.168.0.0/24"))', '192.168.0.0/24'],
  ['cidr("192.168.0.0/24").containsIP(ip("192.168.0.1"))', true],
  ['cidr("192.168.0.0/24").containsIP(ip("192.168.1.1"))', false],
  ['cidr("192.168.0.0/24").containsIP("192.168.0.1")', true],
  ['cidr("192.168.0.0/24").containsIP("192.168.1.1")', false],
  ['cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/25"))', true],
  ['cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/23"))', false],
  ['cidr("192.168.0.0/24").containsCIDR("192.168.0.0/25")', true],
  ['cidr("192.168.0.0/24").containsCIDR("192.168.0.0/23")', false],
  ['cidr("192.168.0.0/24").ip() == ip("192.168.0.0")', true],
  ['cidr("192.168.0.0/24").masked() == cidr("192.168.0.0/24")', true],
  ['cidr("192.168.0.1/24").masked() == cidr("192.168.0.0/24")', true],
  ['cidr("192.168.0.1/24") == cidr("192.168.0.1/24").masked()', false],
  ['cidr("192.168.0.0/24").prefixLength()', 24n],
  ['cidr("2001:db8::/32").containsIP(ip("2001:db8::1"))', true],
  ['cidr("2001:db8::/32").containsIP("2001:dc8::1")', false],
  ['cidr("2001:db8::/32").containsCIDR(cidr("2001:db8::/33"))', true],
  ['cidr("2001:db8::/32").containsCIDR("2001:db8::/31")', false],
  ['cidr("2001:db8::/32").ip() == ip("2001:db8::")', true],
  ['cidr("2001:db8:1::/32").masked() == cidr("2001:db8::/32")', true],
  ['cidr("::1/128").ip().family()', 6n],
  ['cidr("::1/128").prefixLength()', 128n],
  ['cidr(dyn("192.168.0.0/24")) == cidr("192.168.0.0/24")', true],
  ['isCIDR("192.168.0.0/16")', true],
  ['isCIDR("192.168.0.0/33")', false],
  ['isCIDR("::1/129")', false],
  ['type(cidr("192.168.0.0/24")) == net.CIDR', true],
];

it('ip and cidr answer as ip_test.go and cidr_test.go expect', () => {
  assertValues(truths);
});

it('parse errors are Go netip texts wrapped as Kubernetes wraps them', () => {
  assertErrors([
    ['ip("192.168.0.1.0")', 'IP Address "192.168.0.1.0" parse error during conversion from string: ParseAddr("192.168.0.1.0"): IPv4 address too long'],
    ['ip.isCanonical("127.0.0.1.0")', 'IP Address "127.0.0.1.0" parse error during conversion from string: ParseAddr("127.0.0.1.0"): IPv4 address too long'],
    ['ip("2001:db8:::68")', 'IP Address "2001:db8:::68" parse error during conversion from string: ParseAddr("2001:db8:::68"): each colon-separated field must have at least one digit (at ":68")'],
    ['ip("127.0.0.01")', 'IP Address "127.0.0.01" parse error during conversion from string: ParseAddr("127.0.0.01"): IPv4 field has octet with leading zero'],
    ['ip("::ffff:1.2.3.4")', 'IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed'],
    ['ip("fe80::1%eth0")', 'IP address "fe80::1%eth0" with zone value is not allowed'],
    ['cidr("192.168.0.0/")', 'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/"): bad bits after slash: ""'],
    ['cidr("2001:db8::/")', 'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("2001:db8::/"): bad bits after slash: ""'],
  ]);
  assert.deepEqual(celEval('isIP(cidr("192.168.0.0/24"))'), { compileError: "ERROR: <input>:1:5: found no matching overload for 'isIP' applied to '(net.CIDR)'\n | isIP(cidr(\"192.168.0.0/24\"))\n | ....^" });
});
