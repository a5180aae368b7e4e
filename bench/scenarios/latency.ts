import { projectsFor, runSteady, SteadyRun, tasksFor } from "../load/steadyRun";
import { ScenarioContext, withRig } from "./context";

/**
 * Notification latency: alerts at a steady rate over 100 rooms, from the Gotify simulator writing
 * the frame to the homeserver stand-in receiving the resulting send or edit.
 */
export async function latencyScenario(ctx: ScenarioContext): Promise<SteadyRun> {
    const { rooms, rate, durationS } = ctx.sizes.latency;
    const tasks = tasksFor(rate, durationS);
    return withRig(ctx, { name: "latency", rooms, tasks, projects: projectsFor(tasks) }, async (rig) => {
        await rig.launch();
        await rig.settle();
        ctx.progress(`latency: ${rate} alerts/s for ${durationS} s over ${rooms} rooms`);
        return runSteady(rig, rate, durationS);
    });
}
