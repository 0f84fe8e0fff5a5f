// A Badge server in a child process for benchmarks, and an admin HTTPS client for setting it up.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The bundled CLI, as users run it. */
export const BADGE = join(process.cwd(), 'dist', 'badge.mjs');

export interface BenchServer {
  child: ChildProcess;
  url: string;
  dataDir: string;
  /** Milliseconds from spawn to the ready line. */
  readyMs: number;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; text: string }>;
  rssBytes(): number;
  stop(): Promise<void>;
}

export function pkiOf(dataDir: string) {
  const read = (f: string) => readFileSync(join(dataDir, 'pki', f), 'utf8');
  return { ca: read('ca.crt'), cert: read('admin.crt'), key: read('admin.key'), servingCert: read('serving.crt'), servingKey: read('serving.key') };
}

export async function startBenchServer(args: string[] = [], dataDir = mkdtempSync(join(tmpdir(), 'badge-bench-')), keep = false): Promise<BenchServer> {
  const started = performance.now();
  const child = spawn(process.execPath, [BADGE, 'server', '--data-dir', dataDir, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /ready at (https:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d) => (out += d));
    child.once('exit', (code) => reject(new Error(`badge exited ${code}: ${out}`)));
  });
  const readyMs = performance.now() - started;
  const pki = pkiOf(dataDir);
  const agent = new Agent({ keepAlive: true, ca: pki.ca, cert: pki.cert, key: pki.key });
  const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; json: any; text: string }>((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const req = request(`${url}${path}`, { method, agent, headers: { 'Content-Type': 'application/json', ...(text ? { 'Content-Length': String(Buffer.byteLength(text)) } : {}), ...headers } }, (res) => {
        let t = '';
        res.on('data', (c) => (t += c));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(t);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json, text: t });
        });
      });
      req.on('error', reject);
      req.end(text);
    });
  return {
    child,
    url,
    dataDir,
    readyMs,
    api,
    rssBytes: () => Number(readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)![1]) * 1024,
    async stop() {
      agent.destroy();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
