import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parse } from 'yaml';
import { kubeconfig } from './kubeconfig.js';

it('kubeconfig: reads back as the kubeconfig object, whatever the server address and name', () => {
  const pair = { cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', key: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' };
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  for (const [server, name] of [['https://127.0.0.1:6443', 'badge'], ['https://[::1]:6443', 'my cluster: #1'], ['https://h.example', 'yes']]) {
    assert.deepEqual(parse(kubeconfig(server!, 'CA', pair, name)), {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { server, 'certificate-authority-data': b64('CA') } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      'current-context': name,
      preferences: {},
      users: [{ name, user: { 'client-certificate-data': b64(pair.cert), 'client-key-data': b64(pair.key) } }],
    });
  }
});
