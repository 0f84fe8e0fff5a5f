// The graph layout library, bundled on its own (dist/console/elk.js) and loaded when a graph is first drawn.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ELK as Layout } from 'elkjs/lib/elk-api.js';

export const newElk = (): Layout => new (ELK as unknown as new () => Layout)();
