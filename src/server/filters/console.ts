// The web console's own files (dist/console/: its page, script, styles, and the graph layout
// library), served under /console/ to anyone, authenticated or not, as /version is: they hold no
// data. Every data call the page makes carries its signed-in token and goes through the rest of
// the pipeline like any other request. The files are read once, when serving starts.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Filter } from '../context.js';
import { writeText } from '../respond.js';

export const CONSOLE_PATH = '/console/';

/** Scripts, styles, images and data calls from Badge alone; no inline script or style, no frames, no forms posted anywhere. */
export const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface ConsoleAsset {
  body: Buffer;
  type: string;
  etag: string;
}

/** dist/console beside the running module: dist/badge.mjs (bundled, installed) or dist/src/server/filters/console.js (tsc). */
function findAssets(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = dirname(dir)) if (existsSync(join(dir, 'console', 'index.html'))) return join(dir, 'console');
  return undefined;
}

/** The console's files by name; none when they were not built. */
export function loadConsoleAssets(dir = findAssets()): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  if (!dir) return assets;
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    assets.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
  }
  return assets;
}

export function serveConsole(assets: Map<string, ConsoleAsset>): Filter {
  return async (rc, next) => {
    const path = rc.url.pathname;
    if (path !== '/console' && !path.startsWith(CONSOLE_PATH)) return next();
    const { res, req } = rc;
    if (path === '/console') {
      res.writeHead(301, { Location: CONSOLE_PATH, 'Content-Length': '0' });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return writeText(res, 405, '405 method not allowed\n');
    }
    const name = path.slice(CONSOLE_PATH.length) || 'index.html';
    const asset = assets.get(name);
    if (!asset) return writeText(res, 404, assets.size ? '404 page not found\n' : '404 the console was not built (node scripts/bundle.mjs)\n');
    const headers = {
      'Content-Type': asset.type,
      'Content-Security-Policy': CONSOLE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      // Kept, but checked with the server (the ETag) on every use: a new Badge brings new files under the same names.
      'Cache-Control': 'no-cache',
      ETag: asset.etag,
    };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(asset.body.length) });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  };
}
