// Content negotiation for replies: JSON, YAML, server-side Tables and metadata-only objects.
import { notAcceptable } from '../api/errors.js';

export type ReplyFormat = 'json' | 'yaml' | 'table' | 'partial';

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

interface Clause {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string): Clause[] {
  return header
    .split(',')
    .map((part) => {
      const [type, ...rest] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
      }
      return { type: (type ?? '').toLowerCase(), params };
    })
    .filter((c) => c.type);
}

/** Picks the first clause of Accept the server can produce. */
export function negotiate(accept: string | undefined): ReplyFormat {
  if (!accept) return 'json';
  for (const c of parseAccept(accept)) {
    const as = c.params.as;
    if (as) {
      const metaGroup = c.params.g === 'meta.k8s.io' && (c.params.v === 'v1' || c.params.v === 'v1beta1');
      if (as === 'Table' && metaGroup) return 'table';
      if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && metaGroup) return 'partial';
      continue;
    }
    if (c.type === 'application/json' || c.type === '*/*' || c.type === 'application/*') return 'json';
    if (c.type === 'application/yaml') return 'yaml';
  }
  throw notAcceptable('application/json, application/yaml');
}
