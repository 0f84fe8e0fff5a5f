// Test harness: a real Badge server in a temporary data dir, and the real kubectl against it.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../src/app.js';
import { detectMode } from '../../src/node/runtime/process.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ApiReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body's bytes (a protobuf body's too). */
  body: Buffer;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
  /** Each Warning header, its bytes read as UTF-8. */
  warnings: string[];
}

export interface Badge {
  server: RunningServer;
  /** A raw HTTPS request as the admin (client certificate), for what kubectl cannot send. */
  api(method: string, path: string, body?: string | Buffer, headers?: Record<string, string>): Promise<ApiReply>;
  /** A GET without the admin's client certificate: only the credentials in `headers`, if any. */
  get(path: string, headers?: Record<string, string>): Promise<ApiReply>;
  /** A request as the bearer of `token`, with no client certificate (a GET unless `method` says). */
  asBearer(token: string, path: string, method?: string, body?: string): Promise<ApiReply>;
  dataDir: string;
  kubeconfig: string;
  /** Runs the real kubectl (`/usr/bin/kubectl`, or `kubectl.<version>` beside it) with its own cache dir. */
  kubectl(args: string[], opts?: { stdin?: string; version?: string; env?: Record<string, string> }): Promise<RunResult>;
  /** kubectl that must succeed (the test fails with its stderr otherwise): its stdout. */
  ok(args: string[], stdin?: string): Promise<string>;
  /** kubectl that must fail with exit code 1: its stderr. */
  fails(args: string[], stdin?: string): Promise<string>;
  close(): Promise<void>;
}

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';

/** Why the process runtime cannot run on this machine (a reason to skip), or undefined when it can. */
export function processRuntimeUnavailable(): string | undefined {
  try {
    detectMode();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Why the Python client cannot be run (a reason to skip), or false when /usr/bin/python3 has it. */
export function pythonClientMissing(): string | false {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import kubernetes'], { encoding: 'utf8' });
  return r.status === 0 ? false : '/usr/bin/python3 has no kubernetes module (apt-get install python3-kubernetes)';
}

export function run(cmd: string, args: string[], opts: { stdin?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

export async function startBadge(opts: Partial<ServerOptions> = {}): Promise<Badge> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'badge-e2e-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'badge-kubecache-'));
  const server = await startServer({ port: 0, bindAddress: '127.0.0.1', ...opts, dataDir });
  const badge: Badge = {
    server,
    dataDir,
    kubeconfig: server.kubeconfigPath,
    api: (method, path, body, headers) => request(server, method, path, body, headers),
    get: (path, headers) => request(server, 'GET', path, undefined, headers, false),
    asBearer: (token, path, method = 'GET', body) => request(server, method, path, body, { Authorization: `Bearer ${token}` }, false),
    kubectl(args, o = {}) {
      const bin = o.version ? join(KUBECTL_DIR, `kubectl.${o.version}`) : '/usr/bin/kubectl';
      // Each version its own discovery cache: they read and write it differently.
      const cache = o.version ? join(cacheDir, o.version) : cacheDir;
      return run(bin, ['--kubeconfig', server.kubeconfigPath, '--cache-dir', cache, ...args], { stdin: o.stdin, env: o.env }).then(withoutStreamRace);
    },
    async ok(args, stdin) {
      const r = await badge.kubectl(args, { stdin });
      assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    },
    async fails(args, stdin) {
      const r = await badge.kubectl(args, { stdin });
      assert.equal(r.code, 1, `kubectl ${args.join(' ')} should fail: ${r.stdout}`);
      return r.stderr;
    },
    async close() {
      await server.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
  return badge;
}

/** Opens a watch and collects its events until `stop` is called. */
export function openWatch(b: Badge, path: string, headers: Record<string, string> = {}) {
  const events: any[] = [];
  let status = 0;
  let ended = false;
  const req = httpsRequest(`${b.server.url}${path}`, { ca: b.server.pki.ca.cert, cert: b.server.pki.admin.cert, key: b.server.pki.admin.key, headers }, (res) => {
    status = res.statusCode ?? 0;
    let buf = '';
    res.on('data', (c) => {
      buf += c;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
      }
    });
    res.on('end', () => (ended = true));
  });
  req.on('error', () => {});
  req.end();
  return {
    events,
    get status() {
      return status;
    },
    get ended() {
      return ended;
    },
    async until(pred: () => boolean, ms = 5000) {
      const deadline = Date.now() + ms;
      while (!pred()) {
        if (Date.now() > deadline) throw new Error(`timed out; events so far: ${JSON.stringify(events.map((e) => [e.type, e.object?.metadata?.name]))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: () => req.destroy(),
  };
}

/** Where a request goes: the server's URL and CA, and the admin's certificate. */
interface Target {
  url: string;
  pki: { ca: { cert: string }; admin: { cert: string; key: string } };
}

/** An HTTPS request to the server, as the admin (its client certificate) unless `asAdmin` is false. */
function request(server: Target, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}, asAdmin = true): Promise<ApiReply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${server.url}${path}`,
      {
        method,
        ca: server.pki.ca.cert,
        ...(asAdmin ? { cert: server.pki.admin.cert, key: server.pki.admin.key } : {}),
        headers: { 'Content-Type': 'application/json', ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const warnings = (res.headersDistinct.warning ?? []).map((h) => Buffer.from(h, 'latin1').toString('utf8'));
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body, json, warnings });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * kubectl's WebSocket exec starts reading before it has made its streams, so the kubelet's "ready"
 * message (an empty stdout message, which Badge sends as the kubelet does) sometimes arrives first
 * and client-go logs that it discarded it: the same happens against a real cluster. That one log
 * line is dropped from stderr; everything else is kept.
 */
function withoutStreamRace(r: RunResult): RunResult {
  return { ...r, stderr: r.stderr.replace(/^E\d{4} [\d:.]+ +\d+ websocket\.go:\d+\] Unknown stream id \d+, discarding message\n/gm, '') };
}

/** The bundled CLI (scripts/bundle.mjs), as `npm start` and the `badge` binary run it. */
export const BADGE_CLI = join(process.cwd(), 'dist/badge.mjs');

export interface BadgeProcess {
  child: ChildProcess;
  url: string;
  /** A raw HTTPS request as the admin. */
  api(method: string, path: string, body?: string | Buffer, headers?: Record<string, string>): Promise<ApiReply>;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `badge server` as its own process on a free port; rejects with its output if it exits first. */
export function startBadgeProcess(dataDir: string, args: string[] = []): Promise<BadgeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BADGE_CLI, 'server', '--data-dir', dataDir, '--port', '0', ...args]);
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /ready at (https:\/\/\S+)/.exec(out);
      if (!m) return;
      const pem = (f: string) => readFileSync(join(dataDir, 'pki', f), 'utf8');
      const target: Target = { url: m[1]!, pki: { ca: { cert: pem('ca.crt') }, admin: { cert: pem('admin.crt'), key: pem('admin.key') } } };
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      resolve({
        child,
        url: target.url,
        api: (method, path, body, headers) => request(target, method, path, body, headers),
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}
