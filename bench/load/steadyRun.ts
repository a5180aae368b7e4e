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
    /** Alerts for a status the room never saw because it learned the task had finished first. */
    superseded: number;
    duplicated: number;
    /** How far the load generator fell behind its schedule at worst (should be a few ms). */
    generatorBehindMs: number;
    /**
     * CPU time the bridge process spent per alert (user + system, ms), from posting the first alert
     * until every room was told. Unlike wall-clock numbers, barely affected by other load on the machine.
     */
    bridgeCpuMsPerAlert: number;
    /**
     * The same for the benchmark process (simulators, homeserver stand-in, load generator, tracking),
     * which shares the machine's cores with the bridge: what is left of them bounds the bridge.
     */
    harnessCpuMsPerAlert: number;
    /** The same measurements for the warm-up that preceded the run (not part of the numbers above). */
    warmup?: Omit<SteadyRun, "warmup">;
}

export interface SteadyRunOptions {
    /** Alerts at the same rate first, not counted: the first message to each room costs a join and a power-level read, and code is still cold. */
    warmupS?: number;
    /** The tasks to post alerts for (default: all of the rig's); warm-up takes the first ones. */
    tasks?: readonly WorldTask[];
    /** How long to wait for the last alerts to reach their rooms before counting them lost. */
    settleMs?: number;
}

/** Alerts a steady run at `rate` for `durationS` needs: two per task (see planAlerts). */
export function tasksFor(rate: number, durationS: number): number {
    return Math.ceil((rate * durationS) / 2);
}

/** Tasks for a run of `durationS` after a warm-up of `warmupS`. */
export function tasksWithWarmup(rate: number, durationS: number, warmupS: number): number {
    return tasksFor(rate, warmupS) + tasksFor(rate, durationS);
}

/** Projects for `tasks` watched tasks, each project's tasks within one `tasks/last` window. */
export function projectsFor(tasks: number): number {
    return Math.max(1, Math.ceil(tasks / 150));
}

/**
 * Posts alerts at a steady `rate` for `durationS` (after the warm-up, if any), then waits for the
 * bridge to tell every room. Latency is per alert: frame written by Gotify → first Matrix request.
 */
export async function runSteady(rig: Rig, rate: number, durationS: number, options: SteadyRunOptions = {}): Promise<SteadyRun> {
    const { warmupS = 0, tasks = rig.world.tasks, settleMs = 10_000 } = options;
    const warmupTasks = tasksFor(rate, warmupS);
    const warmup = warmupS > 0 ? await measure(rig, rate, warmupS, tasks.slice(0, warmupTasks), settleMs) : undefined;
    const run = await measure(rig, rate, durationS, tasks.slice(warmupTasks), settleMs);
    return warmup ? { ...run, warmup } : run;
}

async function measure(rig: Rig, rate: number, durationS: number, tasks: readonly WorldTask[], settleMs: number): Promise<SteadyRun> {
    const plan = planAlerts(rig.world, tasks);
    const bridge = rig.running();
    const deliveries = rig.trackAnew();
    const before = await bridge.usage();
    const harnessBefore = process.cpuUsage();
    const load = await postSteadily(plan.length, rate, durationS * 1000, (i) => rig.post(plan[i]));
    await deliveries.settle(settleMs);
    const after = await bridge.usage();
    const harness = process.cpuUsage(harnessBefore);
    const perAlert = (cpuMicros: number) => Math.round(cpuMicros / 10 / Math.max(1, deliveries.posted)) / 100;
    return {
        rate,
        durationS,
        posted: deliveries.posted,
        latency: percentiles(deliveries.latencies()),
        lost: deliveries.lost(),
        superseded: deliveries.superseded(),
        duplicated: deliveries.duplicated(),
        generatorBehindMs: Math.round(load.maxBehindMs * 10) / 10,
        bridgeCpuMsPerAlert: perAlert(after.cpuMicros - before.cpuMicros),
        harnessCpuMsPerAlert: perAlert(harness.user + harness.system),
    };
}
