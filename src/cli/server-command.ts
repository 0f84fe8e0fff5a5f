// `badge server`: run the API server until SIGINT or SIGTERM.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../server/server.js';

export const DEFAULT_DATA_DIR = '.badge';

export async function serverCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string', default: process.env.BADGE_DATA_DIR ?? DEFAULT_DATA_DIR },
      port: { type: 'string', default: '6443' },
      'bind-address': { type: 'string', default: '127.0.0.1' },
      'etcd-compaction-interval': { type: 'string', default: '300' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const server = await startServer({
    dataDir: resolve(values['data-dir']!),
    port,
    bindAddress: values['bind-address']!,
    compactionIntervalMs: Number(values['etcd-compaction-interval']) * 1000,
  });
  console.log(`Badge is ready at ${server.url} (kubeconfig: ${server.kubeconfigPath})`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
