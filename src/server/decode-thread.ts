// Large request bodies are decoded in a worker thread, so no body, however large or odd, holds up
// the event loop: parsing a 3 MiB JSON or YAML body, checking its fields and giving it its
// canonical form can take longer than a request may wait. Small bodies, nearly all of them, are
// decoded in place.
import { Worker } from 'node:worker_threads';
import { ApiError } from '../api/errors.js';
import { yieldToEventLoop } from '../api/event-loop.js';
import type { KubeObject } from '../api/meta.js';
import type { Registry } from '../registry/registry.js';
import { parseJson } from './body.js';
import type { DecodeJob, DecodeResult, DecodeWorkerData } from './decode-worker.js';
import { decodeRequestObject, type DecodeRequest, type Decoded } from './decode-object.js';
import { DecodeError, parseYamlText } from './yaml-text.js';

/** Bodies larger than this are decoded in the decode thread. */
const LARGE_BODY = 64 * 1024;

/** Decodes an object body: in place when small, in the registry's decode thread when large. */
export function readRequestObject(registry: Registry, request: DecodeRequest): Decoded | Promise<Decoded> {
  if (request.body.byteLength <= LARGE_BODY) return decodeRequestObject(request, registry.schemaFor);
  return threadOf(registry)
    .run({ object: request })
    .then(async ({ json, warnings }) => {
      const object = JSON.parse(json) as KubeObject;
      // What comes next (the store's steps) starts on a fresh turn of the event loop.
      await yieldToEventLoop();
      return { object, warnings: warnings ?? [] };
    });
}

/**
 * Parses a YAML patch. JSON (what kubectl sends as apply-patch+yaml) is YAML and parses much
 * faster as JSON; large YAML goes to the decode thread (the yaml package reads a few MB a second).
 */
export async function parseYaml(registry: Registry, text: string): Promise<unknown> {
  if (/^\s*[{[]/.test(text)) {
    try {
      return parseJson(text);
    } catch {
      // not JSON after all: YAML it is
    }
  }
  if (text.length <= LARGE_BODY) return parseYamlText(text);
  return JSON.parse((await threadOf(registry).run({ yaml: text })).json);
}

const threads = new WeakMap<Registry, DecodeThread>();

function threadOf(registry: Registry): DecodeThread {
  let t = threads.get(registry);
  if (!t) threads.set(registry, (t = new DecodeThread(registry, () => threads.delete(registry))));
  return t;
}

type Job = { object: DecodeRequest } | { yaml: string };

/** One worker; made on first use, it never keeps the process alive. */
class DecodeThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(r: { json: string; warnings?: string[] }): void; reject(e: unknown): void }>();
  private nextId = 0;
  /** The registry's generation the worker's schemas are from. */
  private generation: number;

  constructor(
    private readonly registry: Registry,
    gone: () => void,
  ) {
    this.generation = registry.generation;
    const workerData: DecodeWorkerData = { schemas: [...registry.schemas()] };
    this.worker = new Worker(new URL('./decode-worker.js', import.meta.url), { workerData });
    this.worker.on('message', (r: DecodeResult) => {
      const job = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (!job) return;
      if ('json' in r) job.resolve(r);
      else if ('apiError' in r) job.reject(new ApiError(r.apiError.code, r.apiError.reason, r.apiError.message, r.apiError.details));
      else if ('decodeError' in r) job.reject(new DecodeError(r.decodeError));
      else job.reject(new Error(`the decode thread failed: ${r.error}`));
    });
    const fail = (err: unknown) => {
      gone();
      for (const job of this.pending.values()) job.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the decode thread exited (${code})`)));
    // After the listeners: adding a 'message' listener refs the worker again.
    this.worker.unref();
  }

  run(job: Job): Promise<{ json: string; warnings?: string[] }> {
    // Custom resources came or went since: the worker learns the kinds first (messages keep their order).
    if (this.generation !== this.registry.generation) {
      this.generation = this.registry.generation;
      this.worker.postMessage({ schemas: [...this.registry.schemas()] } as DecodeJob);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...job } as DecodeJob);
    });
  }
}
