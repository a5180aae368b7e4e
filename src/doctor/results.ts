/** What one doctor check found. */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface Outcome {
    status: CheckStatus;
    /** One sentence: what was found (never a token or a URL carrying one). */
    detail: string;
    /** Further lines shown under the check, e.g. one per configuration problem. */
    notes?: string[];
    /** What to do about a failure or warning. */
    fix?: string;
}

export interface CheckResult extends Outcome {
    /** What was checked: "Homeserver", "Semaphore API token". */
    title: string;
}

export function passed(detail: string): Outcome {
    return { status: "ok", detail };
}

export function failed(detail: string, fix?: string, notes?: string[]): Outcome {
    return { status: "fail", detail, fix, notes };
}

export function warned(detail: string, fix?: string, notes?: string[]): Outcome {
    return { status: "warn", detail, fix, notes };
}

export function skipped(detail: string): Outcome {
    return { status: "skip", detail };
}

/** An error class of one of the bridge's clients: a safe message and a kind that selects the fix. */
type KindedError<K extends string> = abstract new (...args: never[]) => Error & { readonly kind: K };

/**
 * Runs `check`; an error of `type` becomes a failure showing its message (the clients keep tokens
 * out of those) with the fix for its kind. Any other error is left to the chain.
 */
export async function explainErrors<K extends string>(type: KindedError<K>, fixes: Record<K, string>, check: () => Promise<Outcome>): Promise<Outcome> {
    try {
        return await check();
    } catch (err) {
        if (err instanceof type) return failed(err.message, fixes[err.kind]);
        throw err;
    }
}
