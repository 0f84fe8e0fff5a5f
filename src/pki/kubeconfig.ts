// The admin kubeconfig written to the data dir (context, cluster and user named `badge`).
import { stringify } from 'yaml';
import type { KeyPair } from './certs.js';
import { writePrivate } from './files.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function kubeconfig(server: string, caCert: string, client: KeyPair, name = 'badge'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': b64(caCert) } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
    users: [{ name, user: { 'client-certificate-data': b64(client.cert), 'client-key-data': b64(client.key) } }],
  });
}

export function writeKubeconfig(path: string, server: string, caCert: string, client: KeyPair): void {
  writePrivate(path, kubeconfig(server, caCert, client));
}
