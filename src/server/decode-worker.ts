// The decode thread: decodes large request bodies off the server's event loop (see
// decode-thread.ts). It knows the kinds' schemas from its start (workerData).
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../api/errors.js';
import type { ObjectSchema } from '../api/schema.js';
import { decodeRequestObject, type DecodeRequest } from './decode-object.js';
import { DecodeError, parseYamlText } from './yaml-text.js';

export type DecodeJob = { id: number; object: DecodeRequest } | { id: number; yaml: string } | DecodeWorkerData;

export type DecodeResult =
  | { id: number; json: string; warnings?: string[] }
  | { id: number; apiError: { code: number; reason: string; message: string; details?: ApiError['details'] } }
  | { id: number; decodeError: string }
  | { id: number; error: string };

export interface DecodeWorkerData {
  /** Schemas by "apiVersion/kind". */
  schemas: [string, ObjectSchema][];
}

let schemas = new Map((workerData as DecodeWorkerData).schemas);
const schemaFor = (apiVersion: string, kind: string) => schemas.get(`${apiVersion}/${kind}`);

parentPort!.on('message', (job: DecodeJob) => {
  // The kinds served changed (custom resources): the new set, before the jobs that need it.
  if ('schemas' in job) return void (schemas = new Map(job.schemas));
  let result: DecodeResult;
  try {
    if ('yaml' in job) result = { id: job.id, json: JSON.stringify(parseYamlText(job.yaml)) ?? 'null' };
    else {
      const { object, warnings } = decodeRequestObject(job.object, schemaFor);
      result = { id: job.id, json: JSON.stringify(object), warnings };
    }
  } catch (err) {
    if (err instanceof ApiError) result = { id: job.id, apiError: { code: err.code, reason: err.reason, message: err.message, details: err.details } };
    else if (err instanceof DecodeError) result = { id: job.id, decodeError: err.message };
    else result = { id: job.id, error: String((err as Error).stack ?? err) };
  }
  parentPort!.postMessage(result);
});
