// A refusal an admin operation explains to its caller, with the status it is answered with.
import { ExposedError, codeFor } from '../../shared/wire.js';

export class AdminOpError extends ExposedError {
  override name = 'AdminOpError';
  constructor(status: number, message: string) {
    super(status, codeFor(status), message);
  }
}
