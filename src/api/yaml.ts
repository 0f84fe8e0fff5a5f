// The yaml package, loaded on first use: most requests never read or write YAML, and loading it
// at start-up costs more than any other dependency.
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let loaded: Yaml | undefined;

export const yaml = (): Yaml => (loaded ??= createRequire(import.meta.url)('yaml') as Yaml);
