#!/usr/bin/env node
// The kubectl plugin `kubectl access …` (the package's kubectl-access bin): `badge access …`.
import { accessCommand } from './access-command.js';

accessCommand(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`kubectl-access: ${err.message}`);
    process.exit(1);
  },
);
