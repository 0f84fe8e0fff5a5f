import type { Filter } from '../context.js';
import { writeError } from '../respond.js';

/** Turns anything thrown further down into a Status reply. */
export const handleErrors: Filter = async (rc, next) => {
  try {
    await next();
  } catch (err) {
    writeError(rc.res, err, rc.warnings);
  }
};
