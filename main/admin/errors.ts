// A refusal an admin operation explains to its caller: the admin API answers it with `status` and
// the message as is (the error handler exposes messages of 4xx errors).
export class AdminOpError extends Error {
  override name = 'AdminOpError';
  readonly expose = true;
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
