/** The promise's outcome, or a rejection with `DeadlineExceeded` once `ms` have passed (the timer never outlives it). */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new DeadlineExceeded(ms)), ms);
    });
    return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
}

export class DeadlineExceeded extends Error {
    constructor(readonly ms: number) {
        super(`no answer within ${ms} ms`);
        this.name = "DeadlineExceeded";
    }
}
