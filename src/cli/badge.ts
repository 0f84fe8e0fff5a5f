#!/usr/bin/env node
// The one binary: `badge server`, `badge kubectl …`, `badge access …`, `badge console …`.
import { accessCommand } from './access-command.js';
import { consoleCommand } from './console-command.js';
import { kubectlCommand } from './kubectl-command.js';
import { serverCommand } from './server-command.js';

const USAGE = `Usage:
  badge server [--data-dir DIR] [--port N] [--bind-address ADDR]   run the API server
  badge migrate --from-data-dir DIR --etcd-servers URL             copy a SQLite data dir's objects into etcd
  badge kubectl ARGS...                                             run kubectl against it
  badge access who-can|why|matrix ...                               access analysis (badge access help)
  badge console --print-url [--open] [--duration 1h]                a sign-in link to the web console as the admin
`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  server: serverCommand,
  kubectl: kubectlCommand,
  access: accessCommand,
  console: consoleCommand,
  // Loaded when asked for: it reads SQLite and talks to etcd.
  migrate: async (args) => (await import('./migrate-command.js')).migrateCommand(args),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(USAGE);
    return name === undefined || name === 'help' || name === '--help' ? 0 : 2;
  }
  return command(args);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`badge: ${err.message}`);
    process.exit(1);
  },
);
