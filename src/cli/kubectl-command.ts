// `badge kubectl ARGS…`: the system kubectl, pointed at this data dir's admin kubeconfig.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_DATA_DIR } from './server-command.js';

export function kubectlCommand(args: string[]): Promise<number> {
  const dataDir = resolve(process.env.BADGE_DATA_DIR ?? DEFAULT_DATA_DIR);
  const kubeconfig = join(dataDir, 'kubeconfig.yaml');
  if (!existsSync(kubeconfig)) {
    console.error(`badge: no kubeconfig at ${kubeconfig}; start the server first (npx badge server)`);
    return Promise.resolve(1);
  }
  const kubectl = process.env.BADGE_KUBECTL ?? (existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : 'kubectl');
  return new Promise((done) => {
    const child = spawn(kubectl, args, { stdio: 'inherit', env: { ...process.env, KUBECONFIG: kubeconfig } });
    child.on('error', (err) => {
      console.error(`badge: cannot run ${kubectl}: ${err.message}`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}
