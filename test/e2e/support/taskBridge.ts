import { BridgeFixture } from "../bridgeFixture";
import { SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";
import { SimClock } from "./SimClock";
import { ShownTask } from "./taskMessages";

/** Polling once a second, so statuses reach rooms within a second or two of the simulator's change. */
const POLL_SECONDS = 1;

/** Longer than one poll: enough for a duplicate edit or mention to show up if the bridge would send one. */
export const SETTLE_MS = POLL_SECONDS * 1000 + 500;

export function settle(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/** A project with one template, made for one test so its tasks and polls are its own. */
export interface TestTemplate {
    projectId: number;
    templateId: number;
    /** Task `taskId` of this template as rooms show it. */
    shown(taskId: number): ShownTask;
}

/**
 * The real bridge on polling only, over a Semaphore simulator whose clock the test moves, plus a
 * Semaphore user of the test's own (its API reads are told apart from the bridge's by token).
 */
export class TaskBridge {
    private constructor(
        readonly fixture: BridgeFixture,
        readonly observerToken: string,
        readonly clock: SimClock,
    ) {}

    static async start(permissions: Array<{ actor: string; level: string }>): Promise<TaskBridge> {
        const clock = new SimClock("2026-03-01T12:00:00Z");
        const fixture = await BridgeFixture.create({
            // A stopped task's runner "ends" when the test says so (setTaskStatus stopped), not on a timer.
            semaphore: { now: clock.now, stopDelayMs: 60_000 },
            config: {
                permissions,
                monitor: { source: "polling", pollIntervalSeconds: POLL_SECONDS, startingPollIntervalSeconds: POLL_SECONDS },
            },
        });
        const observer = fixture.semaphore.addUser("observer");
        await fixture.start();
        return new TaskBridge(fixture, observer.token, clock);
    }

    get sim(): SemaphoreSimulator {
        return this.fixture.semaphore;
    }

    get botUserId(): string {
        return this.fixture.homeserver.botUserId;
    }

    addTemplate(projectName: string, templateName: string, nameHtml?: string): TestTemplate {
        const projectId = this.sim.addProject({ name: projectName }).id;
        const templateId = this.sim.addTemplate(projectId, { name: templateName }).id;
        const semaphoreUrl = this.sim.url;
        return {
            projectId,
            templateId,
            shown: (taskId) => ({ semaphoreUrl, projectId, templateId, taskId, name: templateName, ...(nameHtml === undefined ? {} : { nameHtml }) }),
        };
    }

    dispose(): Promise<void> {
        return this.fixture.dispose();
    }
}
