// The thread that builds /openapi/v2 (see v2-thread.ts): the document, its JSON, and the protobuf
// made from that JSON as kube-openapi makes it, off the server's event loop. It answers once and ends.
import { parentPort, workerData } from 'node:worker_threads';
import { documentJson, sha512Hex } from './json.js';
import type { ApiResource } from './resource-operations.js';
import { buildOpenApiV2 } from './v2.js';
import { toProtoBinary } from './v2-proto.js';

export interface V2WorkerData {
  resources: ApiResource[];
  serverVersion: string;
}

export type V2WorkerResult = { json: string; etag: string; proto: Uint8Array } | { error: string };

let result: V2WorkerResult;
try {
  const { resources, serverVersion } = workerData as V2WorkerData;
  const json = documentJson(buildOpenApiV2(resources, serverVersion));
  result = { json, etag: sha512Hex(json), proto: toProtoBinary(JSON.parse(json)) };
} catch (err) {
  result = { error: String((err as Error).stack ?? err) };
}
parentPort!.postMessage(result, 'proto' in result ? [result.proto.buffer as ArrayBuffer] : []);
