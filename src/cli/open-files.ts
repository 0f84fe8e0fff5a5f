// Every connection is a file descriptor: the server raises its soft open-file limit to the hard
// one at start (as Go programs do since Go 1.19), so a thousand idle clients cannot lock others out.
import { spawn } from 'node:child_process';

/** Raises the limit in the background with util-linux's prlimit; where that fails, nothing changes. */
export function raiseOpenFileLimit(pid = process.pid): void {
  const child = spawn('sh', ['-c', `hard=$(ulimit -Hn) && exec prlimit --pid ${pid} --nofile=$hard:$hard`], { stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}
