// Kubernetes' format library (k8s.io/apiserver/pkg/cel/library/format.go): `format.<name>()` gives a format
// whose `validate(s)` answers optional.none() when s is valid, else optional.of(the errors).
import { Optional, type Environment } from '@marcbachmann/cel-js';
import {
  isCIdentifier, isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isHTTPHeaderName, isQualifiedName, isValidLabelValue,
} from '../../api/validation.js';
import { chargeSize } from '../cost.js';
import { namespace } from './compare.js';

export class KubeFormat {
  constructor(
    readonly name: string,
    readonly check: (s: string) => string[],
  ) {}
}

/** apimachinery's maskTrailingDash: a name prefix ending in `-` is checked with its last two characters as `a`. */
const maskTrailingDash = (s: string) => (s.length > 1 && s.endsWith('-') ? `${s.slice(0, -2)}a` : s);

const NAMED: Record<string, (s: string) => string[]> = {
  dns1123Label: isDNS1123Label,
  dns1123Subdomain: isDNS1123Subdomain,
  dns1035Label: isDNS1035Label,
  qualifiedName: isQualifiedName,
  dns1123LabelPrefix: (s) => isDNS1123Label(maskTrailingDash(s)),
  dns1123SubdomainPrefix: (s) => isDNS1123Subdomain(maskTrailingDash(s)),
  dns1035LabelPrefix: (s) => isDNS1035Label(maskTrailingDash(s)),
  labelValue: isValidLabelValue,
  uri: (s) => (URL.canParse(s) ? [] : ['invalid URI']),
  uuid: (s) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s) ? [] : ['does not match the UUID format']),
  byte: (s) => (/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) ? [] : ['invalid base64']),
  date: (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['invalid date']),
  datetime: (s) => (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['invalid datetime']),
  cIdentifier: isCIdentifier,
  configMapKey: isConfigMapKey,
  httpHeaderName: isHTTPHeaderName,
};

export function registerFormat(env: Environment): void {
  env.registerType('kubernetes.NamedFormat', KubeFormat);
  namespace(env, 'format', 'FormatNamespace');
  for (const [name, check] of Object.entries(NAMED)) {
    const fmt = new KubeFormat(name, check);
    env.registerFunction(`FormatNamespace.${name}(): kubernetes.NamedFormat`, () => fmt);
  }
  env.registerFunction('FormatNamespace.named(string): optional<kubernetes.NamedFormat>', (_n: unknown, name: string) => {
    const check = NAMED[name];
    return check ? Optional.of(new KubeFormat(name, check)) : Optional.none();
  });
  env.registerOperator('kubernetes.NamedFormat == kubernetes.NamedFormat', (a: KubeFormat, b: KubeFormat) => a.name === b.name);
  env.registerFunction('kubernetes.NamedFormat.validate(string): optional<list<string>>', (f: KubeFormat, s: string) => {
    chargeSize(s.length);
    const errs = f.check(s);
    return errs.length ? Optional.of(errs) : Optional.none();
  });
}
