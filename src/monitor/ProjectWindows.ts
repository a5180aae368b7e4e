import { Logger } from "matrix-appservice-bridge";
import { SemaphoreTask, TaskLookup } from "../semaphore/types";
import { describeError, isNotFound } from "./semaphoreFailures";

const log = new Logger("Poller");

/**
 * Fetches a project's `tasks/last` window. A project Semaphore does not show (deleted, or the
 * bridge's user lost its membership) is one project's problem, not an outage: it is skipped with
 * one warning until it is visible again, and does not slow down the polling of the others.
 */
export class ProjectWindows {
    private readonly invisible = new Set<number>();

    constructor(
        private readonly lookup: TaskLookup,
        private readonly windowSize: number,
    ) {}

    /** Newest first; null for a project Semaphore does not show. Throws on other failures. */
    async fetch(projectId: number): Promise<SemaphoreTask[] | null> {
        try {
            const window = await this.lookup.getLastTasks(projectId, this.windowSize);
            if (this.invisible.delete(projectId)) {
                log.info(`Project ${projectId} is visible again; polling its tasks`);
            }
            return window;
        } catch (err) {
            if (!isNotFound(err)) {
                throw err;
            }
            if (!this.invisible.has(projectId)) {
                this.invisible.add(projectId);
                log.warn(`Skipping project ${projectId} until Semaphore shows it again: ${describeError(err)}`);
            }
            return null;
        }
    }
}
