/**
 * Runs jobs one after the other per key, jobs of different keys side by side. A failed job does
 * not stop the ones queued behind it. Keys without pending jobs are forgotten.
 */
export class KeyedQueue {
    private readonly tails = new Map<string, Promise<unknown>>();

    run<T>(key: string, job: () => Promise<T>): Promise<T> {
        const previous = this.tails.get(key) ?? Promise.resolve();
        const result = previous.then(job, job);
        const tail = result.catch(() => undefined);
        this.tails.set(key, tail);
        void tail.then(() => {
            if (this.tails.get(key) === tail) this.tails.delete(key);
        });
        return result;
    }

    /** Resolves when every job queued so far, under every key, has settled. */
    async whenIdle(): Promise<void> {
        await Promise.allSettled([...this.tails.values()]);
    }
}
