import { percentiles, Percentiles } from "../stats";
import { Rig } from "../rig";
import { planAlerts } from "../world/alerts";
import { WorldTask } from "../world/World";
import { postSteadily } from "./steadyLoad";

export interface SteadyRun {
    rate: number;
    durationS: number;
    posted: number;
    latency: Percentiles;
    lost: number;
    duplicated: number;
    /** How far the load generator fell behind its schedule at worst (should be a few ms). */
    generatorBehindMs: number;
    /**
     * CPU time the bridge process spent per alert (user + system, ms), from posting the first alert
     * until every room was told. Unlike wall-clock numbers, barely affected by other load on the machine.
     */
    bridgeCpuMsPerAlert: number;
}

/** Alerts a steady run at `rate` for `durationS` needs: two per task (see planAlerts). */
export function tasksFor(rate: number, durationS: number): number {
    return Math.ceil((rate * durationS) / 2);
}

/** Projects for `tasks` watched tasks, each project's tasks within one `tasks/last` window. */
export function projectsFor(tasks: number): number {
    return Math.max(1, Math.ceil(tasks / 150));
}

/**
 * Posts alerts for `tasks` (default: all of the rig's) at a steady `rate` for `durationS`, then
 * waits up to `settleMs` for the bridge to tell every room. Latency is per alert: frame written by
 * Gotify → first Matrix request for it.
 */
export async function runSteady(rig: Rig, rate: number, durationS: number, tasks: readonly WorldTask[] = rig.world.tasks, settleMs = 10_000): Promise<SteadyRun> {
    const plan = planAlerts(rig.world, tasks);
    const bridge = rig.running();
    const before = await bridge.usage();
    const load = await postSteadily(plan.length, rate, durationS * 1000, (i) => rig.post(plan[i]));
    await rig.deliveries.settle(settleMs);
    const after = await bridge.usage();
    const { deliveries } = rig;
    return {
        rate,
        durationS,
        posted: deliveries.posted,
        latency: percentiles(deliveries.latencies()),
        lost: deliveries.lost(),
        duplicated: deliveries.duplicated(),
        generatorBehindMs: Math.round(load.maxBehindMs * 10) / 10,
        bridgeCpuMsPerAlert: Math.round((after.cpuMicros - before.cpuMicros) / 10 / Math.max(1, deliveries.posted)) / 100,
    };
}
