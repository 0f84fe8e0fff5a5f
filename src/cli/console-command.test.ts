import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { it } from 'node:test';
import { consoleUrl, kubeconfigPath, openerFor, openUrl, tokenSeconds } from './console-command.js';

it('takes --duration as kubectl create token does, 10 minutes at least', () => {
  assert.equal(tokenSeconds('1h'), 3600);
  assert.equal(tokenSeconds('10m'), 600);
  assert.equal(tokenSeconds('1h30m'), 5400);
  assert.throws(() => tokenSeconds('9m59s'), /--duration must be at least 10m/);
  assert.throws(() => tokenSeconds('0'), /--duration must be at least 10m/);
  assert.throws(() => tokenSeconds('-1h'), /--duration must be at least 10m/);
  assert.throws(() => tokenSeconds('600500ms'), /^Error: --duration cannot be expressed in units less than seconds$/);
  assert.throws(() => tokenSeconds('1x'), /time: unknown unit "x"/);
});

it('puts the token in the fragment of the console URL, never in the query', () => {
  const url = new URL(consoleUrl('https://127.0.0.1:6443/', 'a.b-c_d'));
  assert.equal(url.origin + url.pathname, 'https://127.0.0.1:6443/console/');
  assert.equal(url.search, '');
  assert.equal(new URLSearchParams(url.hash.slice(1)).get('token'), 'a.b-c_d');
  assert.equal(consoleUrl('https://example.com/k8s', 't'), 'https://example.com/k8s/console/#token=t');
});

it('finds the admin kubeconfig: flags, then the Badge data dir, then kubectl\'s', () => {
  const none = () => false;
  assert.equal(kubeconfigPath({ kubeconfig: '/k.yaml', 'data-dir': '/d' }, {}, none), '/k.yaml');
  assert.equal(kubeconfigPath({ 'data-dir': '/d' }, { KUBECONFIG: '/x' }, none), '/d/kubeconfig.yaml');
  assert.equal(kubeconfigPath({}, { BADGE_DATA_DIR: '/b', KUBECONFIG: '/x' }, none), '/b/kubeconfig.yaml');
  assert.equal(kubeconfigPath({}, { KUBECONFIG: '/x' }, () => true), resolve('.badge/kubeconfig.yaml'));
  assert.equal(kubeconfigPath({}, { KUBECONFIG: ':/x:/y' }, none), '/x');
  assert.equal(kubeconfigPath({}, {}, none), join(homedir(), '.kube', 'config'));
});

it('opens the URL with the platform\'s opener, as one argument, and says when there is none', async () => {
  const url = 'https://h/console/#token=t';
  assert.deepEqual(openerFor('linux', url), ['xdg-open', [url]]);
  assert.deepEqual(openerFor('darwin', url), ['open', [url]]);
  assert.deepEqual(openerFor('win32', url), ['rundll32.exe', ['url.dll,FileProtocolHandler', url]]);
  await openUrl(['true', [url]]);
  await assert.rejects(openUrl(['/nonexistent/xdg-open', [url]]), /^Error: cannot open the link: \/nonexistent\/xdg-open not found \(install it, or use --print-url/);
  await assert.rejects(openUrl(['false', [url]]), /cannot open the link: false exited with 1/);
  // An opener that keeps running is left to run.
  await openUrl(['sleep', ['5']], 100);
});
