// Concurrent calls with the same key share one in-flight promise; nothing is kept afterwards.
// Used by the billing guard (whole adapter reads) and the Carbon client (HTTP calls).
export class SingleFlight {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  get size(): number {
    return this.inFlight.size;
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing as Promise<T>;
    const promise = work();
    this.inFlight.set(key, promise);
    // then(), not finally(): one derived promise instead of several, on every API request.
    const forget = () => {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    };
    promise.then(forget, forget);
    return promise;
  }
}
