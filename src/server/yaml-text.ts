// YAML request bodies (one document) to plain values, with Kubernetes' limits: aliases may not
// expand a document (the yaml package's 100-alias limit stands in for go-yaml's), nor may it nest
// deeper than MAX_JSON_DEPTH. Duplicate keys keep the last value, as YAMLToJSON does.
import { jsonDepth, MAX_JSON_DEPTH } from '../api/json-values.js';
import { yaml } from '../api/yaml.js';

/** A body that could not be decoded; the handler words it for the kind it expected. */
export class DecodeError extends Error {}

export function parseYamlText(text: string): unknown {
  let value: unknown;
  try {
    const docs = yaml().parseAllDocuments(text, { uniqueKeys: false });
    if (Array.isArray(docs) && docs.length > 1) throw new DecodeError('yaml: multiple documents are not allowed');
    const doc = Array.isArray(docs) ? docs[0] : docs;
    if (!doc) return null;
    const error = doc.errors[0]?.message;
    if (error?.includes('Maximum call stack size exceeded')) throw new DecodeError(`yaml: exceeded max depth of ${MAX_JSON_DEPTH}`);
    if (error) throw new DecodeError(`yaml: ${error.split('\n')[0]}`);
    value = doc.toJSON();
  } catch (err) {
    if (err instanceof DecodeError) throw err;
    if (err instanceof ReferenceError && /alias/i.test(err.message)) throw new DecodeError('yaml: document contains excessive aliasing');
    if (err instanceof RangeError) throw new DecodeError(`yaml: exceeded max depth of ${MAX_JSON_DEPTH}`);
    throw err;
  }
  if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw new DecodeError(`yaml: exceeded max depth of ${MAX_JSON_DEPTH}`);
  return value;
}
