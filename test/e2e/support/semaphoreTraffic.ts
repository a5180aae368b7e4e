import axios from "axios";
import { SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";
import { SemaphoreTask } from "../../../src/semaphore/types";

/** The Authorization header of the bridge's API token (BridgeFixture's `semaphore.apiToken`). */
export const BRIDGE_AUTH = "Bearer sem-token";

const POLL_STEP_MS = 50;

/** Every request of the bridge that changed something in a project: ["POST /api/project/…", body]. */
export function bridgeWrites(sim: SemaphoreSimulator, projectId: number): Array<[string, unknown]> {
    const prefix = `/api/project/${projectId}/`;
    return sim.requests
        .filter((request) => request.method !== "GET" && request.auth === BRIDGE_AUTH && request.path.startsWith(prefix))
        .map((request) => [`${request.method} ${request.path}`, request.body]);
}

function projectWindowFetches(sim: SemaphoreSimulator, projectId: number): number {
    const path = `/api/project/${projectId}/tasks/last`;
    return sim.requests.filter((request) => request.method === "GET" && request.path === path && request.auth === BRIDGE_AUTH).length;
}

/**
 * Resolves once the bridge has fetched the project's recent tasks `count` more times. Polls never
 * overlap, so after two more fetches at least one whole poll ran after this call.
 */
export async function pollsOfProject(sim: SemaphoreSimulator, projectId: number, count: number, timeoutMs = 10_000): Promise<void> {
    const target = projectWindowFetches(sim, projectId) + count;
    const deadline = Date.now() + timeoutMs;
    while (projectWindowFetches(sim, projectId) < target) {
        if (Date.now() > deadline) throw new Error(`the bridge did not poll project ${projectId} ${count} more time(s) within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, POLL_STEP_MS));
    }
}

/** The project's newest task, read through the API as a Semaphore user would, with a token of their own. */
export async function newestTask(sim: SemaphoreSimulator, projectId: number, userToken: string): Promise<SemaphoreTask> {
    const response = await axios.get<SemaphoreTask[]>(`${sim.url}/api/project/${projectId}/tasks/last`, {
        params: { limit: 1 },
        headers: { Authorization: `Bearer ${userToken}` },
    });
    const [task] = response.data;
    if (!task) throw new Error(`project ${projectId} has no task`);
    return task;
}
