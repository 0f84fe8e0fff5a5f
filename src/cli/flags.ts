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
