// The structural schema as this layer reads it: a CRD version's schema once the definition passed
// validation (api/crd.ts).
export type { CrdSchema as Schema } from '../api/crd.js';
