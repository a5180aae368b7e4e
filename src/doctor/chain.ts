import { CheckResult, Outcome, failed, skipped } from "./results";

/** One check of a chain: later steps rely on earlier ones (no token check against a server that is down). */
export interface Step {
    title: string;
    run(): Promise<Outcome>;
}

export type Emit = (result: CheckResult) => void;

/**
 * Runs `steps` in order and emits each result as soon as it is known. Once a step fails or is
 * skipped, the rest are not run but reported as skipped, naming that step: their answers would
 * only repeat its problem.
 */
export async function runChain(steps: readonly Step[], emit: Emit): Promise<void> {
    let blockedBy: string | undefined;
    for (const step of steps) {
        const outcome = blockedBy === undefined ? await runSafely(step) : skipped(`not checked (needs "${blockedBy}")`);
        emit({ title: step.title, ...outcome });
        if (blockedBy === undefined && (outcome.status === "fail" || outcome.status === "skip")) {
            blockedBy = step.title;
        }
    }
}

/** Checks catch the failures they know; anything else is a bug in the check, reported without its message (it could quote a request). */
async function runSafely(step: Step): Promise<Outcome> {
    try {
        return await step.run();
    } catch (err) {
        const kind = err instanceof Error ? err.name : typeof err;
        return failed(`the check stopped with an unexpected error (${kind})`, "please report this as a bug of the doctor");
    }
}
