// Command-line flags in kube-apiserver's style: --name=value or --name value, booleans as --name
// or --name=false, repeatable flags collected in order, Go durations (300s, 5m, 8760h).

export interface FlagSpec {
  type: 'string' | 'boolean' | 'list';
  default?: string | boolean | string[];
  help: string;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export function parseFlags(args: string[], specs: Record<string, FlagSpec>): FlagValues {
  const values: FlagValues = {};
  for (const [name, spec] of Object.entries(specs)) values[name] = spec.type === 'list' ? [...((spec.default as string[] | undefined) ?? [])] : spec.default;
  const given = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const spec = specs[name];
    if (!spec) throw new Error(`unknown flag: --${name}`);
    let value = eq < 0 ? undefined : arg.slice(eq + 1);
    if (spec.type === 'boolean') {
      if (value === undefined) values[name] = true;
      else if (value === 'true' || value === 'false') values[name] = value === 'true';
      else throw new Error(`invalid argument ${JSON.stringify(value)} for --${name}: expected true or false`);
      continue;
    }
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new Error(`flag needs an argument: --${name}`);
    }
    if (spec.type === 'list') {
      // The first use replaces the default; repeated uses (and commas) add to the list.
      const list = given.has(name) ? (values[name] as string[]) : [];
      list.push(...value.split(',').filter(Boolean));
      values[name] = list;
    } else values[name] = value;
    given.add(name);
  }
  return values;
}

export function usage(specs: Record<string, FlagSpec>): string {
  return Object.entries(specs)
    .map(([name, s]) => `  --${name}${s.type === 'boolean' ? '' : ' VALUE'}\n      ${s.help}${s.default !== undefined && s.default !== '' ? ` (default ${JSON.stringify(s.default)})` : ''}`)
    .join('\n');
}

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A Go duration ("1h30m", "300s", "0") in seconds. */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
    total += Number(m[1]) * UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (!text) throw new Error('time: invalid duration ""');
  return total;
}
