// The console's bundle (scripts/bundle.mjs) runs in the browser: none of its code may lean on Node's globals.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** dist/console, beside dist/src/console where this test runs. */
const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../console');

it('the console bundle uses no Node global and loads nothing from elsewhere', { skip: !existsSync(DIR) && 'dist/console was not built (node scripts/bundle.mjs)' }, () => {
  const app = readFileSync(join(DIR, 'app.js'), 'utf8');
  assert.doesNotMatch(app, /\b(Buffer|process|require|__dirname)\b[.(]/);
  assert.doesNotMatch(app, /https?:\/\/(?!www\.w3\.org\/)/, 'no fetch, script or style from another origin');
  const html = readFileSync(join(DIR, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script>|<style|style=|https?:/, 'no inline script or style, nothing from elsewhere');
  assert.deepEqual(readdirSync(DIR).filter((f) => !/^(app|elk|yaml)\.js$|^index\.html$|^style\.css$/.test(f)), []);
});
