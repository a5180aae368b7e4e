import { projectsFor, runSteady, SteadyRun, tasksWithWarmup } from "../load/steadyRun";
import { ScenarioContext, withRig } from "./context";

export interface ThroughputResult {
    /** Highest rate that held for the full confirmation run; 0 when none did. */
    eventsPerSecond: number;
    probes: SteadyRun[];
    confirmations: SteadyRun[];
}

/**
 * Highest sustained alert rate with nothing lost and p99 under the bound. Steps up through the
 * rates with short probes (each on a fresh bridge, so no backlog carries over) until one fails,
 * then confirms the best probe over the full duration, stepping down when the confirmation fails.
 */
export async function throughputScenario(ctx: ScenarioContext): Promise<ThroughputResult> {
    const { rates, probeS, confirmS, maxConfirmations } = ctx.sizes.throughput;
    const passed = (run: SteadyRun) => run.lost === 0 && run.latency.p99 < ctx.sizes.throughput.maxP99Ms;
    const probes: SteadyRun[] = [];
    for (const rate of rates) {
        const probe = await steadyRunOnFreshBridge(ctx, "throughput-probe", rate, probeS);
        probes.push(probe);
        ctx.progress(`throughput probe ${rate}/s: p99 ${probe.latency.p99} ms, lost ${probe.lost} → ${passed(probe) ? "pass" : "fail"}`);
        if (!passed(probe)) break;
    }
    const candidates = probes.filter(passed).map((probe) => probe.rate).reverse().slice(0, maxConfirmations);
    const confirmations: SteadyRun[] = [];
    for (const rate of candidates) {
        const run = await steadyRunOnFreshBridge(ctx, "throughput-confirm", rate, confirmS);
        confirmations.push(run);
        ctx.progress(`throughput confirm ${rate}/s for ${confirmS} s: p99 ${run.latency.p99} ms, lost ${run.lost} → ${passed(run) ? "pass" : "fail"}`);
        if (passed(run)) return { eventsPerSecond: rate, probes, confirmations };
    }
    return { eventsPerSecond: 0, probes, confirmations };
}

async function steadyRunOnFreshBridge(ctx: ScenarioContext, name: string, rate: number, durationS: number): Promise<SteadyRun> {
    const { rooms } = ctx.sizes.throughput;
    const { warmupS } = ctx.sizes;
    const tasks = tasksWithWarmup(rate, durationS, warmupS);
    return withRig(ctx, { name: `${name}-${rate}`, rooms, tasks, projects: projectsFor(tasks) }, async (rig) => {
        await rig.launch();
        await rig.settle();
        return runSteady(rig, rate, durationS, { warmupS });
    });
}
