/** How often and how patiently an operation is tried again after a transient failure. */
export interface RetryPolicy {
    /** Total tries, the first included. */
    attempts: number;
    /** Wait before the second try; doubles after each failure. */
    initialDelayMs: number;
    maxDelayMs: number;
}

/** About 7.5 s in all: long enough to ride out a database restart, short enough to report an outage promptly. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 6, initialDelayMs: 250, maxDelayMs: 4000 };

export interface RetryOptions {
    policy: RetryPolicy;
    /** Only these failures are tried again; anything else is thrown at once. */
    isTransient(error: unknown): boolean;
    /** Called before each wait, e.g. to log or count the retry. */
    onRetry?(attempt: number, error: unknown, delayMs: number): void;
    sleep?(ms: number): Promise<void>;
}

export class RetriesExhaustedError extends Error {
    constructor(
        message: string,
        readonly attempts: number,
        options: { cause: unknown },
    ) {
        super(message, options);
        this.name = "RetriesExhaustedError";
    }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `operation`, trying transient failures again with exponential backoff. */
export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
    const { policy, isTransient, onRetry, sleep = realSleep } = options;
    let delayMs = policy.initialDelayMs;
    for (let attempt = 1; ; attempt++) {
        try {
            return await operation();
        } catch (error) {
            if (!isTransient(error)) throw error;
            if (attempt >= policy.attempts) {
                throw new RetriesExhaustedError(`gave up after ${attempt} attempts`, attempt, { cause: error });
            }
            onRetry?.(attempt, error, delayMs);
            await sleep(delayMs);
            delayMs = Math.min(delayMs * 2, policy.maxDelayMs);
        }
    }
}
