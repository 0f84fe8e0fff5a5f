// /openapi/v2 is one document of every group version, its protobuf form several hundred KB: building
// both takes longer than the event loop may be held, and protobufjs takes a while to load. So the
// document is built once, in a worker thread, on the first request for it, and served from memory.
import { Worker } from 'node:worker_threads';
import type { ResourceDef } from '../../registry/resource.js';
import { OPENAPI_SERVER_VERSION } from '../openapi.js';
import { apiResource } from './resource-operations.js';
import type { V2WorkerData, V2WorkerResult } from './v2-worker.js';

export interface OpenApiV2 {
  json: string;
  proto: Uint8Array;
  /** The sha512 of the JSON, upper-case hex: the Etag of both forms (kube-openapi computeETag). */
  etag: string;
  lastModified: Date;
}

/**
 * The document, built on first call, and again on the first call after the resources changed
 * (`generation`: custom resources come and go); a failed build is tried again on the next call.
 */
export function openApiV2(defs: () => readonly ResourceDef[], generation: () => number = () => 0, serverVersion = OPENAPI_SERVER_VERSION): () => Promise<OpenApiV2> {
  let built: Promise<OpenApiV2> | undefined;
  let builtAt = -1;
  return () => {
    if (builtAt !== generation()) built = undefined;
    builtAt = generation();
    built ??= build({ resources: defs().map(apiResource), serverVersion }).catch((err: unknown) => {
      built = undefined;
      throw err;
    });
    return built;
  };
}

function build(workerData: V2WorkerData): Promise<OpenApiV2> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./v2-worker.js', import.meta.url), { workerData });
    worker.once('message', (r: V2WorkerResult) => {
      if ('error' in r) reject(new Error(`building /openapi/v2 failed: ${r.error}`));
      else resolve({ ...r, lastModified: new Date() });
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the /openapi/v2 thread exited (${code})`)));
  });
}
