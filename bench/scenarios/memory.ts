import { sleep } from "../bridge/BridgeProcess";
import { projectsFor, runSteady, SteadyRun, tasksFor } from "../load/steadyRun";
import { ScenarioContext, withRig } from "./context";

export interface MemoryResult {
    watches: number;
    /** Resident set of the bridge process in MiB (2^20 bytes): settled after start, at most while alerts flowed, after. */
    rssMiBIdle: number;
    rssMiBPeak: number;
    rssMiBAfter: number;
    heapMiBAfter: number;
    /** After a forced full garbage collection at the end: what the bridge really keeps alive. */
    rssMiBAfterGc: number;
    heapMiBLive: number;
    flow: SteadyRun;
}

const MIB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;

/** Resident memory of the bridge process with 10,000 watches loaded while alerts flow. */
export async function memoryScenario(ctx: ScenarioContext): Promise<MemoryResult> {
    const { rooms, watches, rate, durationS } = ctx.sizes.memory;
    return withRig(ctx, { name: "memory", rooms, tasks: watches, projects: projectsFor(watches), exposeGc: true }, async (rig) => {
        const bridge = await rig.launch();
        await rig.settle();
        const idle = await bridge.usage();
        ctx.progress(`memory: ${watches} watches loaded, ${mib(idle.rssBytes)} MiB; ${rate} alerts/s for ${durationS} s`);
        let peak = idle.rssBytes;
        let flowing = true;
        const sampling = (async () => {
            while (flowing) {
                peak = Math.max(peak, (await bridge.usage()).rssBytes);
                await sleep(250);
            }
        })();
        const flow = await runSteady(rig, rate, durationS, { tasks: rig.world.tasks.slice(0, tasksFor(rate, durationS)) }).finally(() => (flowing = false));
        await sampling;
        const after = await bridge.usage();
        const collected = (await bridge.call("usageAfterGc")) ?? after;
        return {
            watches,
            rssMiBIdle: mib(idle.rssBytes),
            rssMiBPeak: mib(Math.max(peak, after.rssBytes)),
            rssMiBAfter: mib(after.rssBytes),
            heapMiBAfter: mib(after.heapUsedBytes),
            rssMiBAfterGc: mib(collected.rssBytes),
            heapMiBLive: mib(collected.heapUsedBytes),
            flow,
        };
    });
}
