// Subresources: the built-in status subresource, and those a resource defines itself
// (scale, token, finalize, …).
import { methodNotSupported, pathNotFound } from '../../api/errors.js';
import { apiVersionOf } from '../../api/meta.js';
import type { Registry } from '../../registry/registry.js';
import { subresourceKind, type SubresourceContext, type Verb } from '../../registry/resource.js';
import type { Store } from '../../registry/store.js';
import type { RequestContext } from '../context.js';
import { negotiate } from '../negotiate.js';
import { writeObject } from '../respond.js';
import { dryRunOf, writeContext } from './options.js';
import { applyPatch, patchObject, readPatch } from './patch.js';
import { readObject, replyObject } from './resources.js';

export async function handleSubresource(rc: RequestContext, registry: Registry, store: Store, namespace: string): Promise<void> {
  const { info } = rc;
  const def = store.def;
  const ctx = rc.op();
  const q = rc.url.searchParams;
  const gr = { group: def.group, resource: `${def.resource}/${info.subresource}` };

  const format = () => negotiate(rc.req.headers.accept, def.unstructured);
  if (info.subresource === 'status' && def.hasStatus) {
    switch (info.verb) {
      case 'get':
        return replyObject(rc, 200, def, await store.get(ctx, namespace, info.name), format());
      case 'update': {
        const writer = writeContext(rc, 'UpdateOptions');
        const obj = await readObject(rc, registry, def);
        const { object } = await store.update(writer, namespace, info.name, obj, { dryRun: dryRunOf(q, 'UpdateOptions'), subresource: 'status' });
        return replyObject(rc, 200, def, object, format());
      }
      case 'patch':
        return replyObject(rc, 200, def, (await applyPatch(rc, registry, store, namespace, 'status')).object, format());
      default:
        throw methodNotSupported(gr, info.verb);
    }
  }

  const sub = def.subresources?.[info.subresource];
  if (!sub) throw pathNotFound();
  const kind = subresourceKind(def, sub);
  const schema = registry.schemaFor(apiVersionOf(kind.group, kind.version), kind.kind)!;
  const optionsKind = { create: 'CreateOptions', update: 'UpdateOptions', patch: 'PatchOptions' }[info.verb];
  const writer = !sub.connect && optionsKind ? writeContext(rc, optionsKind) : ctx;
  const s: SubresourceContext = { ctx: writer, namespace, name: info.name, query: q, dryRun: false, store, registry, warnings: rc.warnings };
  if (sub.connect) {
    if (!sub.verbs.includes(info.verb as Verb)) throw methodNotSupported(gr, info.verb);
    return sub.connect({ ...s, req: rc.req, res: rc.res, verb: info.verb, ...(rc.upgrade ? { upgrade: rc.upgrade } : {}) });
  }
  const reply = (code: number, body: object) => writeObject(rc.res, code, body, format().mediaType, schema, rc.warnings);
  switch (info.verb) {
    case 'get':
      if (!sub.get) break;
      return reply(200, await sub.get(s));
    case 'create': {
      if (!sub.create) break;
      s.dryRun = dryRunOf(q, 'CreateOptions');
      const body = await readObject(rc, registry, def, kind);
      return reply(201, await sub.create(s, body));
    }
    case 'update': {
      if (!sub.update) break;
      s.dryRun = dryRunOf(q, 'UpdateOptions');
      const body = await readObject(rc, registry, def, kind);
      return reply(200, await sub.update(s, body));
    }
    case 'patch': {
      if (!sub.get || !sub.update) break;
      s.dryRun = dryRunOf(q, 'PatchOptions');
      const patch = await readPatch(rc, registry);
      const current = await sub.get(s);
      return reply(200, await sub.update(s, patchObject(current, patch, schema)));
    }
  }
  throw methodNotSupported(gr, info.verb);
}
