// The `process` runtime: a container's command (with its args; the image is ignored, the host's
// binaries run) runs as a host process in namespaces of its own: a private mount namespace with
// the container's file system (see mount-plan.ts: the host's files under a copy-on-write or
// read-only root, the server's data dir and secret files hidden, every volume bound at its mount
// path), entered with chroot; a UTS namespace with the pod's hostname; and a PID namespace where
// the command is process 1, so that, as in a real container, SIGTERM reaches it only if it handles
// SIGTERM and SIGKILL follows after the grace period. It runs as the security context's user,
// with a container runtime's capabilities at most (see privileges.ts). What it does not isolate:
// the network (the host's), the host's files outside the hidden paths (readable), resources.
//
// In-cluster clients work unchanged: /etc/hosts maps kubernetes.default.svc (and the shorter
// names) to a loopback address of this API server, on whose port 443 the runtime forwards TCP to
// the API server, and KUBERNETES_SERVICE_HOST/PORT point there. The address is derived from the
// API port (127.<hi>.<lo>.1), so parallel servers do not clash; the serving certificate covers it
// (server.ts asks ensurePki for it).
//
// The container's stdin is a pipe the runtime keeps open when the spec asks for `stdin: true`, and
// with `tty: true` the container runs on a terminal of its own (pty.ts); attach reaches both, and
// sees the output as it comes (container-io.ts). Port forwarding dials the host's loopback port,
// where the container listens (port-forward.ts). What a container uses (the metrics API) is read
// from its process 1 and that process's descendants under /proc (../usage/kernel.ts).
//
// It needs root, or unprivileged user namespaces (then the namespaces are entered through a user
// namespace where the caller is root, and containers run only as that root), and capsh
// (libcap2-bin); processRuntime() checks that and fails with a message.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { join, resolve } from 'node:path';
import type { Duplex, Readable, Writable } from 'node:stream';
import { ContainerIO } from './container-io.js';
import { CriLogWriter } from './cri-log.js';
import { CLOSE_INHERITED_FDS, envFile, execScript, startScript } from './entry.js';
import { hostsFile, planMounts, setupScript, type PlannedMount } from './mount-plan.js';
import { ServiceForwarder } from './forwarder.js';
import { forwardToLoopback } from './port-forward.js';
import { capshArgs, privileges, PrivilegesError, type Privileges } from './privileges.js';
import { ptyCommand } from './pty.js';
import type { ApiServerAddress, ContainerHandle, ContainerRun, Exit, Runtime, RuntimeDeps } from './runtime.js';
import { timerDelay } from '../../api/clock.js';
import type { ExecStreams } from '../../api/node-streams.js';
import { containerSample, ownCgroupPath, type KernelSample } from '../usage/kernel.js';

/** The loopback address pods of the server on `apiPort` reach the API at (port 443). */
export function loopbackServiceHost(apiPort: number): string {
  return `127.${(apiPort >> 8) & 255}.${apiPort & 255}.1`;
}

export const SERVICE_PORT = 443;
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The shell of the runtime's own scripts (they close file descriptors above 9); run with --norc. */
const BASH = '/bin/bash';

export class ProcessRuntimeUnavailable extends Error {}

type Mode = 'root' | 'userns';

function tryUnshare(args: string[]): string | undefined {
  const r = spawnSync('unshare', [...args, 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) return r.error.message;
  return r.status === 0 ? undefined : (r.stderr || `exit code ${r.status}`).trim();
}

/** Which way the namespaces can be made here; throws when neither works, or without capsh or bash. */
export function detectMode(): Mode {
  for (const [program, args, pkg] of [['capsh', ['--supports=cap_sys_chroot'], 'libcap2-bin'], [BASH, ['-c', 'true'], 'bash']] as const) {
    const r = spawnSync(program, args, { encoding: 'utf8', timeout: 10_000 });
    if (r.error || r.status !== 0) throw new ProcessRuntimeUnavailable(`the process runtime needs ${program} (${pkg}): ${r.error?.message ?? (r.stderr.trim() || `exit code ${r.status}`)}`);
  }
  const ns = ['--mount', '--uts', '--pid', '--fork', '--propagation', 'private'];
  if (process.getuid?.() === 0) {
    const err = tryUnshare(ns);
    if (!err) return 'root';
    throw new ProcessRuntimeUnavailable(`the process runtime needs root or unprivileged user namespaces (unshare ${ns.join(' ')} failed: ${err})`);
  }
  const err = tryUnshare(['--user', '--map-root-user', ...ns]);
  if (err) throw new ProcessRuntimeUnavailable(`the process runtime needs root or unprivileged user namespaces (unshare --user --map-root-user failed: ${err})`);
  let start = 1024;
  try {
    start = Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim());
  } catch {
    // an old kernel: privileged ports are privileged
  }
  if (start > SERVICE_PORT) {
    throw new ProcessRuntimeUnavailable(
      `the process runtime needs root to serve the in-cluster API address on port ${SERVICE_PORT} (net.ipv4.ip_unprivileged_port_start is ${start}); run as root or lower it to ${SERVICE_PORT}`,
    );
  }
  return 'userns';
}

/** The KUBERNETES_* variables of the `kubernetes` Service, pointing at the loopback forwarder. */
export function serviceEnv(host: string, port = SERVICE_PORT): Record<string, string> {
  return {
    KUBERNETES_SERVICE_HOST: host,
    KUBERNETES_SERVICE_PORT: String(port),
    KUBERNETES_SERVICE_PORT_HTTPS: String(port),
    KUBERNETES_PORT: `tcp://${host}:${port}`,
    KUBERNETES_PORT_443_TCP: `tcp://${host}:${port}`,
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_443_TCP_PORT: String(port),
    KUBERNETES_PORT_443_TCP_ADDR: host,
  };
}

function signalNumber(name: string): number {
  return (osConstants.signals as Record<string, number>)[name] ?? 0;
}

/** The host PIDs of the children of `pid`. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    const out: number[] = [];
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === pid) out.push(Number(d));
      } catch {
        // gone
      }
    }
    return out;
  }
}

/** Reads a pipe up to its first newline (or its end). */
function readLine(stream: Readable | null | undefined): Promise<string> {
  if (!stream) return Promise.resolve('');
  return new Promise((resolve) => {
    let text = '';
    stream.setEncoding('utf8');
    const done = () => {
      stream.removeAllListeners('data');
      stream.resume();
      resolve(text.split('\n')[0] ?? '');
    };
    stream.on('data', (d: string) => {
      text += d;
      if (text.includes('\n')) done();
    });
    stream.on('end', done);
    stream.on('error', done);
  });
}

/** Reads a pipe to its end. */
function readAll(stream: Readable | null | undefined): Promise<string> {
  if (!stream) return Promise.resolve('');
  return new Promise((resolve) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => (text += d));
    stream.on('end', () => resolve(text));
    stream.on('error', () => resolve(text));
  });
}

/** What the container's process sees: the container's environment with the runtime's additions. */
function containerEnv(run: ContainerRun, serviceHost: string, hostname: string, home: string): Record<string, string> {
  const env: Record<string, string> = { PATH: DEFAULT_PATH, HOSTNAME: hostname, HOME: home, ...run.env };
  Object.assign(env, serviceEnv(serviceHost));
  return env;
}

/** The runc-style message of a container that could not start. */
function startErrorMessage(detail: string): string {
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${detail}: unknown`;
}

interface Started extends ContainerHandle {
  readonly pid?: number;
  readonly workingDir: string;
  /** The file holding the container's environment (see entry.ts). */
  readonly envPath?: string;
  /** capsh's arguments into the container (root, capabilities, user). */
  readonly enter?: string[];
  /** Its standard streams, for attach. */
  readonly io?: ContainerIO;
}

/** Only the runtime's PATH reaches the programs that run with privileges (see entry.ts). */
const RUNTIME_ENV = { PATH: DEFAULT_PATH };

/** The realpath of `p` (made absolute), or undefined when it does not exist. */
function real(p: string): string | undefined {
  try {
    return realpathSync(resolve(p));
  } catch {
    return undefined;
  }
}

/** The first line of a file, or ''. */
function firstLine(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n')[0]!.trim();
  } catch {
    return '';
  }
}

/**
 * The forwarders of this process, by loopback address: shared by runtimes, so that a server
 * restarted in the same process on the same port finds its address still served, now for it.
 */
const forwarders = new Map<string, ServiceForwarder>();

export class ProcessRuntime implements Runtime {
  readonly name = 'process' as const;
  private readonly mine = new Set<string>();
  private readonly handles = new WeakMap<ContainerHandle, Started>();

  constructor(
    readonly mode: Mode,
    readonly deps?: RuntimeDeps,
  ) {}

  /** The forwarder for the API server at `api`, listening once. */
  private async forwarder(api: ApiServerAddress): Promise<string> {
    const host = loopbackServiceHost(api.port);
    let f = forwarders.get(host);
    if (f) f.retarget(api.host, api.port);
    else {
      f = new ServiceForwarder(host, SERVICE_PORT, api.host, api.port);
      forwarders.set(host, f);
      f.ready.catch(() => forwarders.delete(host));
    }
    this.mine.add(host);
    await f.ready;
    return host;
  }

  /** What a container must not see: the data dir and the server's other secret files, as they are on disk. */
  private hidden(): string[] {
    const paths = [this.deps?.dataDir, ...(this.deps?.secretFiles ?? [])].flatMap((p) => (p ? [real(p)] : []));
    return [...new Set(paths.filter((p): p is string => !!p && p !== '/'))];
  }

  async start(run: ContainerRun): Promise<ContainerHandle> {
    const serviceHost = await this.forwarder(run.apiServer);
    const spec = run.pod.spec;
    const hostname = (spec?.hostname || run.pod.metadata.name || 'pod').slice(0, 63);
    const workingDir = run.container.workingDir || '/';
    let p: Privileges;
    try {
      p = privileges(run.security, this.mode);
    } catch (err) {
      if (!(err instanceof PrivilegesError)) throw err;
      return ended({ exitCode: 128, reason: 'StartError', message: startErrorMessage(err.message) }, workingDir);
    }
    const env = containerEnv(run, serviceHost, hostname, p.home);

    // A runtime directory of this run (the root, overlay layers, the hosts file, the environment,
    // the setup errors), and a home of the container's own at its user's home directory.
    const base = join(run.scratchDir, 'runtime');
    rmSync(base, { recursive: true, force: true });
    const rt = join(base, `run-${run.restartCount ?? 0}`);
    mkdirSync(rt, { recursive: true });
    const home = join(run.scratchDir, 'home');
    mkdirSync(home, { recursive: true });
    if (this.mode === 'root') chownSync(home, p.uid, p.gid);
    const aliases = (spec?.hostAliases ?? []).map((a) => ({ ip: a.ip ?? '', hostnames: a.hostnames ?? [] }));
    let hostText = '127.0.0.1\tlocalhost\n';
    try {
      hostText = readFileSync('/etc/hosts', 'utf8');
    } catch {
      // no hosts file on the host
    }
    const hostsPath = join(rt, 'hosts');
    writeFileSync(hostsPath, hostsFile(hostText, serviceHost, hostname, aliases));
    chmodSync(hostsPath, 0o644);
    // The home first: a volume at the same path wins.
    const mounts: PlannedMount[] = p.home === '/' ? [] : [{ containerPath: p.home, hostPath: home, readOnly: false }];
    mounts.push(...run.mounts.map((m) => ({ containerPath: m.containerPath, hostPath: m.hostPath, readOnly: m.readOnly })));
    if (!mounts.some((m) => m.containerPath === '/etc/hosts')) mounts.push({ containerPath: '/etc/hosts', hostPath: hostsPath, readOnly: false });
    // A resolv.conf that links into the host's /run (systemd-resolved) would point into the
    // container's empty /run: its target is bound there.
    const resolvConf = real('/etc/resolv.conf');
    if (resolvConf && resolvConf !== '/etc/resolv.conf') mounts.push({ containerPath: resolvConf, hostPath: resolvConf, readOnly: true });
    const errorFile = join(rt, 'setup.err');
    // Readable by the container's user, who opens it as /proc/self/fd/5; the data dir above is
    // not, to anyone else.
    const envPath = join(rt, 'env');
    writeFileSync(envPath, envFile(env));
    chmodSync(envPath, 0o644);

    // The container's command. Without command or args the image's entrypoint would run, which
    // the host does not have: a process that waits stands in for it.
    let argv = [...(run.container.command ?? []), ...(run.container.args ?? [])];
    if (!argv.length) argv = ['sleep', 'infinity'];

    let plan;
    try {
      plan = planMounts({
        mounts,
        directories: [workingDir],
        runtimeDir: rt,
        hidden: this.hidden(),
        readOnlyRoot: run.security.readOnlyRootFilesystem,
        rootLayer: this.mode === 'userns' ? 'tmpfs' : 'overlay',
      });
    } catch (err) {
      return ended({ exitCode: 128, reason: 'StartError', message: startErrorMessage((err as Error).message) }, workingDir);
    }
    const enter = [...capshArgs(plan.root, p, this.mode), '--shell=/bin/sh', '--'];
    const script = setupScript({ plan, errorFile, hostname, enter: ['capsh', ...enter, '-c', startScript(workingDir), 'sh'] });
    const ns = ['--mount', '--uts', '--pid', '--fork', '--kill-child', '--propagation', 'private'];
    const args = [...(this.mode === 'userns' ? ['--user', '--map-root-user'] : []), ...ns, '--', BASH, '--norc', '--noprofile', '-c', script, 'bash', ...argv];
    // With a terminal, the pty program owns it and runs unshare on it (fd 6 takes the sizes; the
    // setup's report pipe and the environment are unshare's, not its).
    const tty = !!run.container.tty;
    const wrapped = tty ? ptyCommand(['unshare', ...args], { cols: 80, rows: 24, ptmx: '/dev/ptmx', resizeFd: 6, parentCloses: [3, 5] }) : { argv: ['unshare', ...args], resizable: false };
    const envFd = openSync(envPath, 'r');
    let child: ChildProcess;
    try {
      child = spawn(wrapped.argv[0]!, wrapped.argv.slice(1), {
        env: RUNTIME_ENV,
        cwd: '/',
        detached: true,
        stdio: [run.container.stdin || tty ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe', 'ignore', envFd, wrapped.resizable ? 'pipe' : 'ignore'],
      });
    } finally {
      closeSync(envFd);
    }
    child.stdin?.on('error', () => {});
    const resizePipe = (child.stdio as unknown[])[6] as Writable | null | undefined;
    resizePipe?.on('error', () => {});
    const io = new ContainerIO({
      ...(run.container.stdin && child.stdin ? { stdin: child.stdin } : {}),
      tty,
      stdinOnce: !!run.container.stdinOnce,
      ...(resizePipe ? { resize: (size: { width: number; height: number }) => writeSize(resizePipe, size) } : {}),
    });
    child.stdout!.on('data', (c: Buffer) => io.output('stdout', c));
    // With a terminal the container's output is all on stdout; stderr is the pty program's own.
    if (!tty) child.stderr!.on('data', (c: Buffer) => io.output('stderr', c));
    const log = new CriLogWriter(run.logPath);
    const copied = Promise.all([log.follow(child.stdout!, 'stdout'), log.follow(child.stderr!, 'stderr')]);
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: 128, signal: null }));
    });
    const first = await readLine(child.stdio[3] as Readable);

    let initPid: number | undefined;
    let startError: string | undefined;
    // Under the pty program, unshare is its child, in a session (and process group) of its own.
    const unshare = tty ? childrenOf(child.pid!)[0] : child.pid!;
    if (first === 'ok') {
      initPid = unshare ? childrenOf(unshare)[0] : undefined;
    } else if (first.startsWith('start: ')) {
      startError = startErrorMessage(first.slice('start: '.length));
    } else {
      // A failed step says so; capsh or the shell after it leave their error in the file.
      startError = startErrorMessage(first.replace(/^error: /, '') || firstLine(errorFile) || 'the container process ended during setup');
    }

    const exited = (async (): Promise<Exit> => {
      const { code, signal } = await exit;
      await copied;
      io.end();
      await log.close();
      if (startError) return { exitCode: 128, reason: 'StartError', message: startError };
      if (signal) return { exitCode: 128 + signalNumber(signal), signal, reason: 'Error' };
      return { exitCode: code ?? 0, reason: code === 0 ? 'Completed' : 'Error' };
    })();
    let done = false;
    void exited.then(() => (done = true));
    const groupKill = (sig: NodeJS.Signals) => {
      for (const group of new Set([unshare, child.pid])) {
        try {
          if (group) process.kill(-group, sig);
        } catch {
          // already gone
        }
      }
    };
    const handle: Started = {
      pid: initPid,
      exited,
      workingDir,
      envPath,
      enter,
      io,
      stop: async (graceMs: number) => {
        if (done) return exited;
        try {
          if (initPid) process.kill(initPid, 'SIGTERM');
          else groupKill('SIGTERM');
        } catch {
          // already gone
        }
        const timer = setTimeout(() => {
          // unshare first: it is what exits with the signal (killed itself), and --kill-child ends
          // the container with it. Left to see its child killed, unshare 2.38 exits 1 instead.
          groupKill('SIGKILL');
          if (initPid) {
            try {
              process.kill(initPid, 'SIGKILL');
            } catch {
              // already gone
            }
          }
        }, timerDelay(Math.max(0, graceMs)));
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      },
    };
    this.handles.set(handle, handle);
    return handle;
  }

  async exec(handle: ContainerHandle, run: ContainerRun, command: string[], streams: ExecStreams): Promise<number> {
    const started = this.handles.get(handle);
    const pid = started?.pid ?? handle.pid;
    if (!started?.envPath || !started.enter || !pid) throw new Error(`container ${JSON.stringify(run.container.name)} is not running`);
    if (!command.length) throw new Error('failed to exec in container: no command given');
    const signal = streams.signal;
    // Into the container's namespaces (nsenter forks into the PID namespace), then as the
    // container's process: capsh, and the shell that reports a command it cannot find on fd 4.
    const enter = [
      'nsenter',
      '--target',
      String(pid),
      ...(this.mode === 'userns' ? ['--user', '--preserve-credentials'] : []),
      '--mount',
      '--uts',
      '--pid',
      '--',
      BASH,
      '--norc',
      '--noprofile',
      '-c',
      `${CLOSE_INHERITED_FDS}; exec "$@"`,
      'bash',
      'capsh',
      ...started.enter,
      '-c',
      execScript(started.workingDir),
      'sh',
      ...command,
    ];
    const tty = streams.tty;
    const wrapped = tty ? ptyCommand(enter, { cols: 80, rows: 24, ptmx: `/proc/${pid}/root/dev/pts/ptmx`, resizeFd: 3, parentCloses: [4] }) : { argv: enter, resizable: false };
    const envFd = openSync(started.envPath, 'r');
    let child: ChildProcess;
    try {
      child = spawn(wrapped.argv[0]!, wrapped.argv.slice(1), {
        env: RUNTIME_ENV,
        cwd: '/',
        detached: true,
        stdio: [streams.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', tty && wrapped.resizable ? 'pipe' : 'ignore', 'pipe', envFd],
      });
    } finally {
      closeSync(envFd);
    }
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    };
    if (signal?.aborted) kill();
    signal?.addEventListener('abort', kill, { once: true });
    const marker = readAll(child.stdio[4] as Readable);
    if (streams.stdin && child.stdin) {
      child.stdin.on('error', () => {});
      streams.stdin.pipe(child.stdin);
    }
    const resizePipe = child.stdio[3] as Writable | null;
    const onResize = (size: { width: number; height: number }) => resizePipe && writeSize(resizePipe, size);
    if (resizePipe) {
      resizePipe.on('error', () => {});
      streams.resize?.on('resize', onResize);
    }
    const outputs: Promise<void>[] = [];
    const copy = (from: Readable | null, to: Writable | undefined) => {
      if (!from) return;
      outputs.push(
        new Promise((resolve) => {
          from.on('end', resolve);
          from.on('error', () => resolve());
          from.on('close', () => resolve());
          if (to) from.pipe(to, { end: false });
          else from.resume();
        }),
      );
    };
    copy(child.stdout, streams.stdout);
    copy(child.stderr, tty ? streams.stdout : streams.stderr);
    const exit = await new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('exit', (code, sig) => resolve({ code, sig }));
      child.once('error', reject);
    });
    // The output still in the pipes, unless a background process keeps them open.
    await Promise.race([Promise.all(outputs), new Promise((r) => setTimeout(r, 2000).unref())]);
    streams.resize?.off('resize', onResize);
    signal?.removeEventListener('abort', kill);
    if (streams.stdin && child.stdin) streams.stdin.unpipe(child.stdin);
    const notFound = await Promise.race([marker, new Promise<string>((r) => setTimeout(() => r(''), 200).unref())]);
    if (notFound && exit.code === 127) {
      throw new Error(`failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: ${JSON.stringify(command[0])}: ${notFound}: unknown`);
    }
    if (exit.sig) return 128 + signalNumber(exit.sig);
    return exit.code ?? 0;
  }

  async attach(handle: ContainerHandle, run: ContainerRun, streams: ExecStreams): Promise<void> {
    const io = this.handles.get(handle)?.io;
    if (!io) throw new Error(`container ${JSON.stringify(run.container.name)} is not running`);
    await io.attach(streams);
  }

  private ownCgroup: Promise<string | undefined> | undefined;

  /**
   * The container's figures: its cgroup's when it has one of its own (this runtime makes none, so
   * only when something else moved it), else those of its process 1 and its descendants under /proc.
   */
  async usage(handle: ContainerHandle): Promise<KernelSample | undefined> {
    const pid = this.handles.get(handle)?.pid;
    if (!pid) return undefined;
    this.ownCgroup ??= ownCgroupPath();
    return containerSample(pid, await this.ownCgroup);
  }

  /** Containers share the host's network: the pod's port is the host's loopback port. */
  portForward(sandboxId: string, port: number, stream: Duplex): Promise<void> {
    return forwardToLoopback(sandboxId, port, stream);
  }

  /** Stops listening on the in-cluster addresses. */
  async close(): Promise<void> {
    const all = [...this.mine].flatMap((h) => {
      const f = forwarders.get(h);
      forwarders.delete(h);
      return f ? [f] : [];
    });
    this.mine.clear();
    await Promise.all(all.map((f) => f.close()));
  }
}

/** Tells the pty program a terminal size ("COLS ROWS"). */
function writeSize(pipe: Writable, size: { width: number; height: number }): void {
  if (!pipe.destroyed && size.width > 0 && size.height > 0) pipe.write(`${Math.floor(size.width)} ${Math.floor(size.height)}\n`);
}

/** A handle of a container that never ran. */
function ended(exit: Exit, workingDir: string): Started {
  const exited = Promise.resolve(exit);
  return { exited, workingDir, stop: () => exited };
}

/** The process runtime; throws ProcessRuntimeUnavailable without root or user namespaces. */
export function processRuntime(deps?: RuntimeDeps): ProcessRuntime {
  return new ProcessRuntime(detectMode(), deps);
}
