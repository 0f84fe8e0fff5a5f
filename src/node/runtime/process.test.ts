// The process runtime against the real kernel: namespaces, mounts, logs, exit codes, stop, exec.
// Needs root or unprivileged user namespaces; skipped (with the reason) where neither works.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { Container, SecurityContext } from 'kubernetes-types/core/v1.js';
import type { Pod } from '../../api/kinds.js';
import { containerSecurity } from '../security-context.js';
import { detectMode, loopbackServiceHost, processRuntime, type ProcessRuntime } from './process.js';
import type { ContainerRun, Mount } from './runtime.js';
import { eventually } from '../../testing/eventually.js';

let unavailable: string | undefined;
try {
  detectMode();
} catch (err) {
  unavailable = (err as Error).message;
}

/** Collects what is written to it. */
class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** The text of a CRI log file, without timestamps. */
function logLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (stdout|stderr) (F|P) (.*)$/.exec(l);
      assert.ok(m, `a CRI log line: ${l}`);
      return `${m[2]} ${m[3]} ${m[4]}`;
    });
}

describe('process runtime', { skip: unavailable }, () => {
  let runtime: ProcessRuntime;
  let dir: string;
  let tokens: string;
  let api: Server;
  let apiPort: number;
  let n = 0;

  before(async () => {
    // The data dir of the runtime and a static token file, outside /tmp (which containers do not
    // share with the host).
    const base = existsSync('/var/tmp') ? '/var/tmp' : tmpdir();
    dir = mkdtempSync(join(base, 'badge-process-'));
    mkdirSync(join(dir, 'pki'));
    writeFileSync(join(dir, 'pki', 'ca.key'), 'the CA key');
    tokens = join(mkdtempSync(join(base, 'badge-process-tokens-')), 'tokens.csv');
    writeFileSync(tokens, 'a-static-token,admin,1,system:masters\n');
    runtime = processRuntime({ dataDir: dir, secretFiles: [tokens], clock: { now: () => new Date() } });
    // Stands in for the API server: answers every connection with "api".
    api = createServer((s) => s.end('api\n'));
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    apiPort = (api.address() as AddressInfo).port;
  });
  after(async () => {
    await runtime?.close();
    api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (tokens) rmSync(dirname(tokens), { recursive: true, force: true });
  });

  function run(container: Partial<Container>, opts: { mounts?: Mount[]; env?: Record<string, string>; pod?: Partial<Pod> } = {}): ContainerRun {
    const i = n++;
    const scratchDir = join(dir, `c${i}`, 'scratch');
    mkdirSync(scratchDir, { recursive: true });
    const c = { name: 'main', ...container };
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, namespace: 'default' }, spec: { containers: [c] }, ...opts.pod };
    return {
      pod,
      container: c,
      id: `${i}`.padStart(64, '0'),
      restartCount: 0,
      env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', ...opts.env },
      apiServer: { host: '127.0.0.1', port: apiPort },
      mounts: opts.mounts ?? [],
      logPath: join(dir, `c${i}`, 'main', '0.log'),
      scratchDir,
      security: containerSecurity(pod, c),
    };
  }

  /** A token volume as the agent writes it. */
  function tokenVolume(): Mount {
    const host = join(dir, `vol-${n}`);
    mkdirSync(host, { recursive: true });
    writeFileSync(join(host, 'namespace'), 'default');
    writeFileSync(join(host, 'token'), 'a.b.c');
    return { containerPath: '/var/run/secrets/kubernetes.io/serviceaccount', hostPath: host, readOnly: true };
  }

  it('runs the command with the environment and the volumes, and logs its output', async () => {
    const r = run(
      { command: ['sh', '-c'], args: ['echo "$GREETING from $(hostname)"; cat /var/run/secrets/kubernetes.io/serviceaccount/namespace; echo; echo oops >&2; echo $HOME; pwd; touch /var/run/secrets/kubernetes.io/serviceaccount/x 2>/dev/null || echo read-only'] },
      { mounts: [tokenVolume()], env: { GREETING: 'hello' } },
    );
    const h = await runtime.start(r);
    const exit = await h.exited;
    assert.deepEqual(exit, { exitCode: 0, reason: 'Completed' });
    const lines = logLines(r.logPath);
    assert.deepEqual(lines.filter((l) => l.startsWith('stdout')), [`stdout F hello from ${r.pod.metadata.name}`, 'stdout F default', 'stdout F /root', 'stdout F /', 'stdout F read-only']);
    assert.deepEqual(lines.filter((l) => l.startsWith('stderr')), ['stderr F oops']);
    assert.equal(existsSync('/run/secrets/kubernetes.io'), false, 'the mount point exists only inside');
  });

  it('creates a missing top-level mount point and working directory inside only', async () => {
    const host = join(dir, 'data');
    mkdirSync(host);
    writeFileSync(join(host, 'f'), 'content');
    const r = run({ command: ['sh', '-c', 'cat /badge-test-data/f; echo; pwd; ls /proc | grep -c "^[0-9]"'], workingDir: '/badge-test-work/sub' }, { mounts: [{ containerPath: '/badge-test-data', hostPath: host, readOnly: false }] });
    const exit = await (await runtime.start(r)).exited;
    assert.equal(exit.exitCode, 0, readFileSync(r.logPath, 'utf8'));
    assert.deepEqual(logLines(r.logPath), ['stdout F content', 'stdout F /badge-test-work/sub', 'stdout F 3']);
    assert.equal(existsSync('/badge-test-data'), false);
    assert.equal(existsSync('/badge-test-work'), false);
  });

  it('gives no token directory to a pod without a token volume', async () => {
    const r = run({ command: ['ls', '/var/run/secrets/kubernetes.io/serviceaccount/'] });
    const exit = await (await runtime.start(r)).exited;
    assert.deepEqual(exit, { exitCode: 2, reason: 'Error' });
    assert.deepEqual(logLines(r.logPath), ["stderr F ls: cannot access '/var/run/secrets/kubernetes.io/serviceaccount/': No such file or directory"]);
  });

  it('maps the in-cluster names to a forwarder to the API server', async () => {
    const host = loopbackServiceHost(apiPort);
    const r = run({ command: ['sh', '-c', 'getent hosts kubernetes.default.svc; echo "$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT $KUBERNETES_PORT"'] });
    await (await runtime.start(r)).exited;
    assert.deepEqual(logLines(r.logPath).map((l) => l.replace(/\s+/g, " ")), [`stdout F ${host} kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local`, `stdout F ${host}:443 tcp://${host}:443`]);
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect(443, host);
      let text = '';
      s.on('data', (d) => (text += d));
      s.on('end', () => resolve(text));
      s.on('error', reject);
    });
    assert.equal(reply, 'api\n');
  });

  it('reports exit codes, and a command that does not exist as StartError', async () => {
    assert.deepEqual(await (await runtime.start(run({ command: ['sh', '-c', 'exit 3'] }))).exited, { exitCode: 3, reason: 'Error' });
    const missing = await (await runtime.start(run({ command: ['no-such-command'] }))).exited;
    assert.equal(missing.exitCode, 128);
    assert.equal(missing.reason, 'StartError');
    assert.match(missing.message ?? '', /exec: "no-such-command": executable file not found in \$PATH: unknown$/);
  });

  it('stops gracefully: SIGTERM to a process that handles it, SIGKILL after the grace period otherwise', async () => {
    const trapping = await runtime.start(run({ command: ['sh', '-c', 'trap "echo bye; exit 0" TERM; echo ready; while :; do sleep 0.1; done'] }));
    await new Promise((r) => setTimeout(r, 300));
    let t = Date.now();
    assert.deepEqual(await trapping.stop(5000), { exitCode: 0, reason: 'Completed' });
    assert.ok(Date.now() - t < 3000);
    // `sleep` as process 1 of its PID namespace ignores SIGTERM, as in a container.
    const sleeping = await runtime.start(run({ command: ['sleep', '3600'] }));
    t = Date.now();
    const exit = await sleeping.stop(1000);
    assert.deepEqual(exit, { exitCode: 137, signal: 'SIGKILL', reason: 'Error' });
    assert.ok(Date.now() - t >= 900, 'waited for the grace period');
  });

  it('execs in the container with stdin, and reports exit codes', async () => {
    const r = run({ command: ['sleep', '3600'] }, { mounts: [tokenVolume()], env: { FOO: 'bar' } });
    const h = await runtime.start(r);
    try {
      const stdin = new PassThrough();
      const stdout = new Sink();
      const stderr = new Sink();
      const done = runtime.exec(h, r, ['sh', '-c', 'cat; echo "$FOO"; cat /var/run/secrets/kubernetes.io/serviceaccount/token; echo; echo err >&2; ps -o pid= -p 1'], { stdin, stdout, stderr, tty: false });
      stdin.end('from stdin\n');
      assert.equal(await done, 0);
      assert.equal(stdout.text.replace(/ +/g, ' '), 'from stdin\nbar\na.b.c\n 1\n');
      assert.equal(stderr.text, 'err\n');
      assert.equal(await runtime.exec(h, r, ['sh', '-c', 'exit 3'], { stdout: new Sink(), tty: false }), 3);
      await assert.rejects(runtime.exec(h, r, ['no-such-command'], { stdout: new Sink(), tty: false }), /exec: "no-such-command": executable file not found in \$PATH: unknown/);
    } finally {
      await h.stop(0);
    }
  });

  it('hides the data dir, other pods\' directories and the secret files, even from root, which cannot unmount them', async () => {
    const other = join(dir, 'pods', 'other', 'volumes', 'tok');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'token'), 'another pod\'s token');
    const script = [
      'cat "$D/pki/ca.key" || echo no-ca-key',
      'echo "ls:$(ls -A "$D")"',
      'cat "$D/pods/other/volumes/tok/token" || echo no-other-token',
      'cat "/host$D/pki/ca.key" || echo no-ca-key-through-a-volume',
      'echo "tokens:$(cat "$T")"',
      'umount "$D" || umount -l "$D" || echo no-umount',
      'mount -t tmpfs tmpfs /mnt || echo no-mount',
      'cat /var/run/secrets/kubernetes.io/serviceaccount/token; echo',
      'echo "terminals:$(ls /dev/pts)"',
      'ls /proc/self/fd | tr "\\n" " "',
    ].join('\n');
    const r = run({ command: ['sh', '-c', `exec 2>/dev/null\n${script}`] }, { mounts: [tokenVolume(), { containerPath: '/host', hostPath: '/', readOnly: true }], env: { D: dir, T: tokens } });
    assert.deepEqual(await (await runtime.start(r)).exited, { exitCode: 0, reason: 'Completed' });
    assert.deepEqual(logLines(r.logPath), ['stdout F no-ca-key', 'stdout F ls:', 'stdout F no-other-token', 'stdout F no-ca-key-through-a-volume', 'stdout F tokens:', 'stdout F no-umount', 'stdout F no-mount', 'stdout F a.b.c', 'stdout F terminals:ptmx', 'stdout F 0 1 2 3 ']);
  });

  it('keeps writes to the root file system in the container; readOnlyRootFilesystem makes it read-only, not a writable volume', async () => {
    const marker = `/etc/badge-test-${process.pid}`;
    const scratch = join(dir, 'scratch-volume');
    mkdirSync(scratch);
    const writes = `for f in ${marker} /tmp/x /scratch/x; do touch $f 2>/dev/null && echo "wrote $f" || echo "read-only $f"; done`;
    const rw = run({ command: ['sh', '-c', writes] }, { mounts: [{ containerPath: '/scratch', hostPath: scratch, readOnly: false }] });
    await (await runtime.start(rw)).exited;
    assert.deepEqual(logLines(rw.logPath), [`stdout F wrote ${marker}`, 'stdout F wrote /tmp/x', 'stdout F wrote /scratch/x']);
    assert.equal(existsSync(marker), false, 'not on the host');
    const ro = run({ command: ['sh', '-c', writes], securityContext: { readOnlyRootFilesystem: true } }, { mounts: [{ containerPath: '/scratch', hostPath: scratch, readOnly: false }] });
    await (await runtime.start(ro)).exited;
    assert.deepEqual(logLines(ro.logPath), [`stdout F read-only ${marker}`, 'stdout F read-only /tmp/x', 'stdout F wrote /scratch/x']);
  });

  it('runs as the security context\'s user and groups, with no_new_privs for allowPrivilegeEscalation: false, and execs so too', async () => {
    const vol = tokenVolume();
    // The agent gives the token to the pod's runAsUser (0600).
    chownSync(join(vol.hostPath, 'token'), 1000, -1);
    chmodSync(join(vol.hostPath, 'token'), 0o600);
    const r = run(
      { command: ['sh', '-c', 'id -u; id -g; id -G; grep NoNewPrivs /proc/self/status; cat /var/run/secrets/kubernetes.io/serviceaccount/token; echo; echo $HOME; sleep 3600'], securityContext: { runAsGroup: 3000, allowPrivilegeEscalation: false } },
      { mounts: [vol], pod: { spec: { securityContext: { runAsUser: 1000, supplementalGroups: [4000], fsGroup: 5000 }, containers: [] } } },
    );
    const h = await runtime.start(r);
    try {
      await eventually(() => logLines(r.logPath).length >= 6, 'the output');
      const home = (readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[2] === '1000') ?? '').split(':')[5] || '/';
      assert.deepEqual(logLines(r.logPath), ['stdout F 1000', 'stdout F 3000', 'stdout F 3000 4000 5000', 'stdout F NoNewPrivs:\t1', 'stdout F a.b.c', `stdout F ${home}`]);
      const out = new Sink();
      assert.equal(await runtime.exec(h, r, ['sh', '-c', 'id -u; grep NoNewPrivs /proc/self/status'], { stdout: out, tty: false }), 0);
      assert.equal(out.text, '1000\nNoNewPrivs:\t1\n');
    } finally {
      await h.stop(0);
    }
  });

  it('gives root a container runtime\'s capabilities at most, and runs no privileged container', async () => {
    const caps = async (securityContext: SecurityContext) => {
      const r = run({ command: ['sh', '-c', 'grep -E "^Cap(Eff|Bnd)" /proc/self/status'], securityContext });
      const exit = await (await runtime.start(r)).exited;
      return exit.exitCode ? exit.message : logLines(r.logPath).join(' ');
    };
    // CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE AUDIT_WRITE SETFCAP
    assert.equal(await caps({}), 'stdout F CapEff:\t00000000a00005fb stdout F CapBnd:\t00000000a00005fb');
    assert.equal(await caps({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }), 'stdout F CapEff:\t0000000000000400 stdout F CapBnd:\t0000000000000400');
    assert.match(await caps({ capabilities: { add: ['SYS_ADMIN'] } }) ?? '', /unable to start container process: the process runtime does not grant the capability CAP_SYS_ADMIN: unknown$/);
    assert.match(await caps({ privileged: true }) ?? '', /unable to start container process: the process runtime does not run privileged containers: unknown$/);
  });

  it('gives the pod\'s environment to the container\'s command only', async () => {
    const preload = run({ command: ['true'] }, { env: { LD_PRELOAD: '/no-such-library.so' } });
    await (await runtime.start(preload)).exited;
    // The loader complains once: for the command, not for the runtime's programs before it.
    assert.deepEqual(logLines(preload.logPath), ["stderr F ERROR: ld.so: object '/no-such-library.so' from LD_PRELOAD cannot be preloaded (cannot open shared object file): ignored."]);
    const r = run({ command: ['env'] }, { env: { 'my.dotted-name': 'kept', GREETING: 'hello' } });
    await (await runtime.start(r)).exited;
    const env = logLines(r.logPath).map((l) => l.replace(/^stdout F /, '').replace(/=.*/, '')).sort();
    assert.deepEqual(env, ['GREETING', 'HOME', 'HOSTNAME', 'KUBERNETES_PORT', 'KUBERNETES_PORT_443_TCP', 'KUBERNETES_PORT_443_TCP_ADDR', 'KUBERNETES_PORT_443_TCP_PORT', 'KUBERNETES_PORT_443_TCP_PROTO', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT', 'KUBERNETES_SERVICE_PORT_HTTPS', 'PATH', 'my.dotted-name']);
  });

  it('execs with a terminal that follows resizes', async () => {
    const r = run({ command: ['sleep', '3600'] });
    const h = await runtime.start(r);
    try {
      const stdin = new PassThrough();
      const stdout = new Sink();
      const resize = new EventEmitter();
      const done = runtime.exec(h, r, ['sh', '-c', 'tty; read line; stty size; exit 5'], { stdin, stdout, tty: true, resize });
      await new Promise((res) => setTimeout(res, 300));
      resize.emit('resize', { width: 100, height: 40 });
      await new Promise((res) => setTimeout(res, 200));
      stdin.write('go\n');
      assert.equal(await done, 5);
      assert.match(stdout.text, /^\/dev\/pts\/\d+\r\n/);
      assert.match(stdout.text, /40 100\r\n$/);
    } finally {
      await h.stop(0);
    }
  });
});
