import { median } from "../stats";
import { projectsFor } from "../load/steadyRun";
import { ScenarioContext, withRig } from "./context";

export interface StartupRun {
    /** fork() → ready (listening, store loaded, Gotify stream connected and caught up), ms. */
    totalMs: number;
    /** Of which inside start() (store, appservice listener, bot profile, sources started). */
    startMs: number;
}

export interface StartupResult {
    watches: number;
    medianMs: number;
    runs: StartupRun[];
}

/** Process start to ready, against the homeserver stand-in (so the homeserver costs nothing). */
export async function startupScenario(ctx: ScenarioContext): Promise<StartupResult> {
    const { rooms, watches, runs } = ctx.sizes.startup;
    return withRig(ctx, { name: "startup", rooms, tasks: watches, projects: projectsFor(watches) }, async (rig) => {
        const results: StartupRun[] = [];
        for (let run = 1; run <= runs; run++) {
            const bridge = await rig.launch();
            results.push({ totalMs: Math.round(bridge.startupMs), startMs: Math.round(bridge.childTimes.startMs) });
            ctx.progress(`startup ${run}/${runs}: ${Math.round(bridge.startupMs)} ms with ${watches} watches`);
            await rig.stopBridge();
        }
        return { watches, medianMs: median(results.map((r) => r.totalMs)), runs: results };
    });
}
