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
