/** A promise settled from outside, by an event that comes later (Promise.withResolvers, which Node 20 lacks). */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

/** `quiet`: a rejection nobody awaits yet (a failure while still starting) is not an unhandled one. */
export function deferred<T = void>(quiet = false): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((settle, fail) => {
    resolve = settle;
    reject = fail;
  });
  if (quiet) promise.catch(() => undefined);
  return { promise, resolve, reject };
}
