// /version and the health endpoints.
import type { ServerResponse } from 'node:http';
import { writeJson, writeText } from '../respond.js';

export const KUBE_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.2+badge' };

export function serveVersion(res: ServerResponse): void {
  writeJson(res, 200, {
    major: KUBE_VERSION.major,
    minor: KUBE_VERSION.minor,
    gitVersion: KUBE_VERSION.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  });
}

export interface HealthCheck {
  name: string;
  ok(): boolean;
}

/** /healthz, /livez and /readyz (with ?verbose and /<check> sub-paths). */
export function serveHealth(path: string, query: URLSearchParams, res: ServerResponse, checks: HealthCheck[]): boolean {
  const m = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(path);
  if (!m) return false;
  const kind = m[1]!;
  const selected = m[2] ? checks.filter((c) => c.name === m[2]) : checks;
  if (m[2] && !selected.length) {
    writeText(res, 404, '404 page not found\n');
    return true;
  }
  const failed = selected.filter((c) => !c.ok());
  if (query.has('verbose') || failed.length) {
    const lines = selected.map((c) => (c.ok() ? `[+]${c.name} ok` : `[-]${c.name} failed: reason withheld`));
    const tail = failed.length ? `${kind} check failed` : `${kind} check passed`;
    writeText(res, failed.length ? 500 : 200, `${lines.join('\n')}\n${tail}\n`);
  } else {
    writeText(res, 200, 'ok');
  }
  return true;
}
