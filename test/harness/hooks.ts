/**
 * Mocha root hooks for external test services (Synapse, …).
 *
 * .mocharc.yml has no `require` entry, so instead of a root-hook plugin this registers the hooks the moment a
 * service module is first imported: a top-level `after`/`afterEach` call made while mocha loads spec files
 * lands on the root suite, so it runs once per run / after every test of every file. Import service
 * modules statically (not from inside a running test), or the hooks cannot be attached.
 */

export interface RootHookHandlers {
    /** Called after any test that failed, e.g. to print a service's log tail. */
    afterFailedTest?: (test: Mocha.Test) => void;
    /** Called once when the whole run ends, e.g. to stop a service. */
    afterRun?: () => Promise<void>;
    /** Time allowed for afterRun. */
    afterRunTimeoutMs?: number;
}

export function registerRootHooks(handlers: RootHookHandlers): void {
    // Not under mocha (a script importing the harness): nothing to hook into, the caller cleans up itself.
    if (typeof after !== "function" || typeof afterEach !== "function") return;

    const { afterFailedTest, afterRun } = handlers;
    if (afterFailedTest) {
        afterEach(function reportServiceStateOnFailure() {
            const test = this.currentTest;
            if (test?.state === "failed") afterFailedTest(test);
        });
    }
    if (afterRun) {
        after(async function stopServices() {
            this.timeout(handlers.afterRunTimeoutMs ?? 30_000);
            await afterRun();
        });
    }
}
