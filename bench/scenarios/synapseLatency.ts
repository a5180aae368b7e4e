import { getTestHomeserver, shutdownTestHomeserver } from "../../test/harness/synapse";
import { MatrixTestUser } from "../../test/harness/matrixUser";
import { RecordingProxy } from "../homeserver/recordingProxy";
import { projectsFor, runSteady, SteadyRun, tasksWithWarmup } from "../load/steadyRun";
import { HomeserverUnderTest } from "../rig";
import { ScenarioContext, withRig } from "./context";

/** Synapse answers slowly under this load: give the backlog time before counting alerts as lost. */
export const SYNAPSE_SETTLE_MS = 60_000;
const JOIN_TIMEOUT_MS = 60_000;

/**
 * The latency scenario against the real Synapse of test/harness (SQLite, loopback), through a
 * recording proxy that timestamps each send when Synapse has accepted it. The rooms are real:
 * created by a user who invites the bot; the bridge joins them itself; the watches are then added
 * through the running bridge's store.
 */
export interface SynapseLatencyResult extends SteadyRun {
    /** Events Synapse accepted per second while the bridge kept it busy (warm-up and run). */
    synapseSendsPerSecond: number;
}

export async function synapseLatencyScenario(ctx: ScenarioContext): Promise<SynapseLatencyResult> {
    const { rooms, rate, durationS } = ctx.sizes.latency;
    const { warmupS } = ctx.sizes;
    const tasks = tasksWithWarmup(rate, durationS, warmupS);
    const synapse = await getTestHomeserver();
    const proxy = new RecordingProxy(synapse.url);
    await proxy.start();
    try {
        const user = await synapse.registerUser("bench");
        ctx.progress(`synapse: creating ${rooms} rooms`);
        const roomIds = await inBatches(rooms, 10, () => user.createRoom({ name: "Semaphore benchmark" }));
        const homeserver: HomeserverUnderTest = {
            url: proxy.url,
            domain: synapse.serverName,
            registration: { ...synapse.registration },
            bridgePort: synapse.bridgePort,
            onSend: (listener) => proxy.onSend(listener),
            unrecognizedRequests: () => [],
            stop: () => proxy.stop(),
        };
        const size = { name: "synapse-latency", rooms, tasks, projects: projectsFor(tasks), seedBeforeStart: false };
        return await withRig(
            ctx,
            size,
            async (rig) => {
                const bridge = await rig.launch();
                await inviteAndAwaitJoin(user, roomIds, synapse.botUserId);
                await bridge.call("putWatches", rig.watches());
                await rig.settle();
                ctx.progress(`synapse latency: ${rate} alerts/s for ${warmupS} s (warm-up) + ${durationS} s over ${rooms} rooms`);
                const accepted: number[] = [];
                proxy.onSend((send) => accepted.push(send.receivedAt));
                const run = await runSteady(rig, rate, durationS, { warmupS, settleMs: SYNAPSE_SETTLE_MS });
                const spanS = (accepted[accepted.length - 1] - accepted[0]) / 1000;
                return { ...run, synapseSendsPerSecond: spanS > 0 ? Math.round(accepted.length / spanS) : 0 };
            },
            { homeserver, roomIds },
        );
    } finally {
        await proxy.stop();
        await shutdownTestHomeserver();
    }
}

async function inviteAndAwaitJoin(user: MatrixTestUser, roomIds: string[], botUserId: string): Promise<void> {
    let next = 0;
    await inBatches(roomIds.length, 10, async () => {
        const roomId = roomIds[next++];
        await user.invite(roomId, botUserId);
        await user.waitForMembership(roomId, botUserId, "join", { timeoutMs: JOIN_TIMEOUT_MS });
    });
}

/** Runs `make` `count` times, `parallel` at a time; results in call order. */
async function inBatches<T>(count: number, parallel: number, make: () => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    for (let done = 0; done < count; done += parallel) {
        results.push(...(await Promise.all(Array.from({ length: Math.min(parallel, count - done) }, make))));
    }
    return results;
}
