import { AppError } from '../../src/infra/errors';

/** The paths of the field errors of the 400 AppError `fn` throws; fails the test when it throws nothing else. */
export function fieldErrors(fn: () => unknown): string[] {
  return problems(fn).map((x) => x.path);
}

/** The field errors (path and message) of the 400 AppError `fn` throws. */
export function problems(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).status).toBe(400);
    return (e as AppError).details.errors ?? [];
  }
  throw new Error('expected an AppError');
}
