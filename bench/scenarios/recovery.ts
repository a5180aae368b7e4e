import { performance } from "node:perf_hooks";
import { BridgeProcess, sleep } from "../bridge/BridgeProcess";
import { postSteadily } from "../load/steadyLoad";
import { projectsFor, tasksFor } from "../load/steadyRun";
import { median } from "../stats";
import { Rig } from "../rig";
import { planAlerts } from "../world/alerts";
import { ScenarioContext, withRig } from "./context";

export interface RecoveryResult {
    restarts: number;
    /** Gotify listening again → the bridge's Gotify source connected and caught up, per restart. */
    reconnectMs: number[];
    reconnectMsP50: number;
    /** Alerts Gotify accepted (while it was down Semaphore's single POST fails: lost at the source). */
    posted: number;
    notAcceptedWhileDown: number;
    lost: number;
    duplicated: number;
}

const SETTLE_MS = 30_000;
const RECONNECT_TIMEOUT_MS = 120_000;
const RECONNECT_ALLOWANCE_S = 10;

/**
 * Gotify is killed (connections cut, no close frame) and restarted on the same port `restarts`
 * times while alerts keep coming. Every alert Gotify accepted must reach its room exactly once.
 */
export async function recoveryScenario(ctx: ScenarioContext): Promise<RecoveryResult> {
    const { rooms, restarts, rate, downS, upS } = ctx.sizes.recovery;
    // Alerts for the cycles plus a generous reconnect time each; should they run out, posting stops early.
    const maxDurationS = restarts * (upS + downS + RECONNECT_ALLOWANCE_S) + upS;
    const tasks = tasksFor(rate, maxDurationS);
    return withRig(ctx, { name: "recovery", rooms, tasks, projects: projectsFor(tasks) }, async (rig) => {
        const bridge = await rig.launch();
        await rig.settle();
        ctx.progress(`recovery: ${restarts} Gotify restarts (down ${downS} s, up ${upS} s) under ${rate} alerts/s`);
        const plan = planAlerts(rig.world, rig.world.tasks);
        let notAccepted = 0;
        let cycling = true;
        const load = postSteadily(plan.length, rate, maxDurationS * 1000, (i) => void (rig.post(plan[i]) || notAccepted++), () => !cycling);
        const reconnectMs: number[] = [];
        try {
            for (let n = 1; n <= restarts; n++) {
                await sleep(upS * 1000);
                reconnectMs.push(await restartGotify(rig, bridge, downS * 1000));
                ctx.progress(`recovery: restart ${n}/${restarts}: reconnected ${Math.round(reconnectMs[n - 1])} ms after Gotify was back`);
            }
            await sleep(upS * 1000);
        } finally {
            cycling = false;
            await load;
        }
        await rig.deliveries.settle(SETTLE_MS);
        return {
            restarts,
            reconnectMs: reconnectMs.map(Math.round),
            reconnectMsP50: median(reconnectMs),
            posted: rig.deliveries.posted,
            notAcceptedWhileDown: notAccepted,
            lost: rig.deliveries.lost(),
            duplicated: rig.deliveries.duplicated(),
        };
    });
}

/** Kills Gotify, brings it back after `downMs`; resolves with the time from back to reconnected. */
async function restartGotify(rig: Rig, bridge: BridgeProcess, downMs: number): Promise<number> {
    const gotify = rig.world.gotify;
    rig.poster.gotifyAvailable = false;
    await gotify.stop();
    await sleep(downMs);
    let backAt = Infinity;
    const reconnected = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
            stopListening();
            reject(new Error(`the bridge did not reconnect to Gotify within ${RECONNECT_TIMEOUT_MS} ms`));
        }, RECONNECT_TIMEOUT_MS);
        const stopListening = bridge.onConnection((change) => {
            if (change.name === "gotify" && change.connected && change.at > backAt) {
                clearTimeout(timer);
                stopListening();
                resolve(change.at - backAt);
            }
        });
    });
    await gotify.start();
    backAt = performance.now();
    rig.poster.gotifyAvailable = true;
    return reconnected;
}
