// The `isX(s)` functions of the parsing libraries (isIP, isCIDR, isURL, isSemver): whether `parse` accepts s.
import { chargeSize } from '../cost.js';

export function parses<A extends unknown[]>(parse: (s: string, ...rest: A) => unknown): (s: string, ...rest: A) => boolean {
  return (s, ...rest) => {
    chargeSize(s.length);
    try {
      parse(s, ...rest);
      return true;
    } catch {
      return false;
    }
  };
}
