import { performance } from "node:perf_hooks";
import { sleep } from "../bridge/BridgeProcess";
import { deliveryKey } from "../load/Deliveries";
import { median } from "../stats";
import { Rig } from "../rig";
import { ScenarioContext, withRig } from "./context";

export interface PollingResult {
    projects: number;
    /** Distinct unfinished watched tasks, read from the store the way the poller reads them. */
    watchedTasks: number;
    /** Median requests to Semaphore per poll round. */
    requestsPerInterval: number;
    /** What a per-task poller would send per interval: one request per watched task. */
    naiveRequestsPerInterval: number;
    rounds: number[];
    /** Status changes made in Semaphore during the run (no alert) and how many rooms were told. */
    changesMade: number;
    changesTold: number;
}

/**
 * Polling load with 1,000 unfinished watched tasks in 10 projects (monitor.source polling): requests
 * to Semaphore per poll round, next to the one-request-per-task count. Then one task per project
 * finishes without any alert, to show the batched polls still tell every room.
 */
export async function pollingScenario(ctx: ScenarioContext): Promise<PollingResult> {
    const { rooms, projects, tasks, intervalS, rounds } = ctx.sizes.polling;
    const size = { name: "polling", rooms, tasks, projects, monitor: { source: "polling", pollIntervalSeconds: intervalS } };
    return withRig(ctx, size, async (rig) => {
        const bridge = await rig.launch();
        await rig.settle();
        ctx.progress(`polling: ${tasks} watched tasks in ${projects} projects, every ${intervalS} s for ${rounds} rounds`);
        const roundSizes = await requestRounds(rig, intervalS * 1000, rounds);
        const watchedTasks = await bridge.call("pollSetSize");
        const changes = await finishOnePerProject(rig, intervalS * 1000);
        return {
            projects,
            watchedTasks,
            requestsPerInterval: median(roundSizes),
            naiveRequestsPerInterval: watchedTasks,
            rounds: roundSizes,
            ...changes,
        };
    });
}

/**
 * Requests Semaphore received, grouped into poll rounds: a round is a burst of requests, rounds are
 * an interval apart. Arrival times are sampled every few ms, plenty to tell bursts seconds apart.
 */
async function requestRounds(rig: Rig, intervalMs: number, rounds: number): Promise<number[]> {
    const requests = rig.world.semaphore.requests;
    const times: number[] = [];
    let seen = requests.length;
    const deadline = performance.now() + rounds * intervalMs + intervalMs / 2;
    while (performance.now() < deadline) {
        await sleep(5);
        for (; seen < requests.length; seen++) times.push(performance.now());
    }
    const sizes: number[] = [];
    times.forEach((time, i) => {
        if (i === 0 || time - times[i - 1] > intervalMs / 2) sizes.push(0);
        sizes[sizes.length - 1]++;
    });
    return sizes;
}

async function finishOnePerProject(rig: Rig, intervalMs: number): Promise<{ changesMade: number; changesTold: number }> {
    const onePerProject = new Map(rig.world.tasks.map((task) => [task.projectId, task] as const));
    for (const task of onePerProject.values()) {
        void rig.world.semaphore.setTaskStatus(task.projectId, task.taskId, "success");
        rig.deliveries.expect(deliveryKey(task.roomId, task.projectId, task.taskId, "success"), performance.now());
    }
    await rig.deliveries.settle(3 * intervalMs);
    return { changesMade: onePerProject.size, changesTold: rig.deliveries.posted - rig.deliveries.lost() };
}
