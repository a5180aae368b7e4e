import { projectsFor, runSteady, SteadyRun, tasksWithWarmup } from "../load/steadyRun";
import { ScenarioContext, withRig } from "./context";

/**
 * Notification latency: alerts at a steady rate over 100 rooms, from the Gotify simulator writing
 * the frame to the homeserver stand-in receiving the resulting send or edit.
 */
export async function latencyScenario(ctx: ScenarioContext): Promise<SteadyRun> {
    const { rooms, rate, durationS } = ctx.sizes.latency;
    const { warmupS } = ctx.sizes;
    const tasks = tasksWithWarmup(rate, durationS, warmupS);
    return withRig(ctx, { name: "latency", rooms, tasks, projects: projectsFor(tasks) }, async (rig) => {
        await rig.launch();
        await rig.settle();
        ctx.progress(`latency: ${rate} alerts/s for ${warmupS} s (warm-up) + ${durationS} s over ${rooms} rooms`);
        return runSteady(rig, rate, durationS, { warmupS });
    });
}
