// The direction of dependencies, as data: which folders of src/ each folder's code may import.
// A new import that points the wrong way fails here, naming the file and what it imported.
// Tests (*.test.ts) and src/testing/ may import anything they exercise.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAY_IMPORT: Record<string, string[] | '*'> = {
  api: [],
  storage: ['api'],
  client: ['api'],
  pki: ['api'],
  cel: ['api'],
  auth: ['api', 'client', 'pki'],
  admission: ['api', 'client', 'auth', 'cel'],
  registry: ['api', 'storage', 'client', 'auth', 'admission', 'cel'],
  server: ['api', 'storage', 'client', 'pki', 'auth', 'admission', 'registry', 'cel'],
  controllers: ['api', 'client'],
  node: ['api', 'client'],
  access: ['api', 'client', 'auth'],
  // The web console runs in the browser: the analysis engine and the pure parts it builds on.
  console: ['api', 'auth', 'access'],
  // The composition root and the command line wire everything; test support uses what it tests.
  app: '*',
  cli: '*',
  testing: '*',
};

/** The TypeScript sources: tests run from dist/src/, the sources sit in src/ beside dist/. */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** The folder of src/ a file belongs to (`app` for src/app.ts). */
const folderOf = (path: string) => {
  const parts = relative(SRC, path).split('/');
  return parts.length === 1 ? parts[0]!.replace(/\.ts$/, '') : parts[0]!;
};

it('every import points the way the layers allow', () => {
  const wrong: string[] = [];
  const files = sources(SRC);
  assert.ok(files.length > 100, 'the sources were found');
  for (const file of files) {
    const from = folderOf(file);
    const allowed = MAY_IMPORT[from];
    assert.ok(allowed, `src/${relative(SRC, file)}: the folder ${from} is not in the rule`);
    if (allowed === '*') continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^'";]*?from\s+'(\.[^']+)'/gm)) {
      const to = folderOf(resolve(dirname(file), m[1]!));
      if (to !== from && !allowed.includes(to)) wrong.push(`src/${relative(SRC, file)} (${from}) imports ${m[1]} (${to})`);
    }
  }
  assert.deepEqual(wrong, []);
});
