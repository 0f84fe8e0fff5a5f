// The admin kubeconfig written to the data dir (context, cluster and user named `badge`). Written
// out by hand: its shape is fixed, and loading a YAML library for it would slow every start.
import type { KeyPair } from './certs.js';
import { writePrivate } from './files.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A YAML string, double-quoted (JSON's quoting is YAML's), so no YAML 1.1 reader takes `yes` for a boolean. */
const scalar = (s: string) => JSON.stringify(s);

export function kubeconfig(server: string, caCert: string, client: KeyPair, name = 'badge'): string {
  const n = scalar(name);
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `  - name: ${n}`,
    '    cluster:',
    `      server: ${scalar(server)}`,
    `      certificate-authority-data: ${b64(caCert)}`,
    'contexts:',
    `  - name: ${n}`,
    '    context:',
    `      cluster: ${n}`,
    `      user: ${n}`,
    `current-context: ${n}`,
    'preferences: {}',
    'users:',
    `  - name: ${n}`,
    '    user:',
    `      client-certificate-data: ${b64(client.cert)}`,
    `      client-key-data: ${b64(client.key)}`,
    '',
  ].join('\n');
}

export function writeKubeconfig(path: string, server: string, caCert: string, client: KeyPair): void {
  writePrivate(path, kubeconfig(server, caCert, client));
}
