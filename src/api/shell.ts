// Words for a POSIX shell command line.

/** Quotes a word for sh: as it is when it holds only safe characters, else in single quotes. */
export const shq = (s: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
