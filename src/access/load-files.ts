// The files source: manifests from files, directories (recursively: *.yaml, *.yml, *.json) or
// stdin (`-`), as multi-document YAML or JSON, with `List` kinds (and kustomize build output) unpacked.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../api/meta.js';
import { yaml } from '../api/yaml.js';

const MANIFEST = /\.(ya?ml|json)$/i;

function filesUnder(path: string, out: string[]): void {
  if (!statSync(path).isDirectory()) {
    out.push(path);
    return;
  }
  for (const name of readdirSync(path).sort()) {
    const child = join(path, name);
    if (statSync(child).isDirectory()) filesUnder(child, out);
    else if (MANIFEST.test(name)) out.push(child);
  }
}

/** The objects in one text (a YAML stream: JSON is YAML), Lists unpacked. */
export function parseManifests(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  const add = (doc: unknown) => {
    if (!doc || typeof doc !== 'object') return;
    const o = doc as KubeObject & { items?: unknown[] };
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) o.items.forEach(add);
    else if (o.kind && o.metadata?.name) out.push(o);
  };
  for (const doc of yaml().parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length) throw new Error(`${source}: ${doc.errors[0]!.message}`);
    add(doc.toJS());
  }
  return out;
}

/** Every object in the paths given (`-` is stdin). */
export function loadFiles(paths: readonly string[], stdin: () => string = () => readFileSync(0, 'utf8')): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const path of paths) {
    if (path === '-') {
      objects.push(...parseManifests(stdin(), 'stdin'));
      continue;
    }
    const files: string[] = [];
    filesUnder(path, files);
    for (const file of files) objects.push(...parseManifests(readFileSync(file, 'utf8'), file));
  }
  return objects;
}
