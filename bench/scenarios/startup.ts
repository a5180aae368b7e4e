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
    /** The same with nothing in the store: what node, the modules and the connections cost alone. */
    emptyStore: StartupRun;
}

/** Process start to ready, against the homeserver stand-in (so the homeserver costs nothing). */
export async function startupScenario(ctx: ScenarioContext): Promise<StartupResult> {
    const { rooms, watches, runs } = ctx.sizes.startup;
    const emptyStore = (await startRepeatedly(ctx, "startup-empty", rooms, 0, 1))[0];
    const results = await startRepeatedly(ctx, "startup", rooms, watches, runs);
    return { watches, medianMs: median(results.map((r) => r.totalMs)), runs: results, emptyStore };
}

async function startRepeatedly(ctx: ScenarioContext, name: string, rooms: number, watches: number, runs: number): Promise<StartupRun[]> {
    return withRig(ctx, { name, rooms, tasks: watches, projects: projectsFor(watches) }, async (rig) => {
        const results: StartupRun[] = [];
        for (let run = 1; run <= runs; run++) {
            const bridge = await rig.launch();
            results.push({ totalMs: Math.round(bridge.startupMs), startMs: Math.round(bridge.childTimes.startMs) });
            ctx.progress(`startup ${run}/${runs}: ${Math.round(bridge.startupMs)} ms with ${watches} watches`);
            await rig.stopBridge();
        }
        return results;
    });
}
