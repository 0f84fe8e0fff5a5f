// CEL names for OpenAPI property names, as k8s.io/apiserver/pkg/cel/escaping.go gives them.

/** CEL's reserved words and the names Kubernetes keeps back: properties so named are escaped. */
const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

const NAME = /^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/;
const SPECIAL: Record<string, string> = { '.': '__dot__', '-': '__dash__', '/': '__slash__' };

/** The CEL field name of a property, or undefined when the property cannot be named in CEL (hidden). */
export function escapeName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!NAME.test(name)) return undefined;
  return name.replace(/__|[.\-/]/g, (m) => (m === '__' ? '__underscores__' : SPECIAL[m]!));
}
