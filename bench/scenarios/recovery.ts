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
    /** The first alerts never told, for diagnosis: "room project/task status". */
    lostExamples: string[];
    /** Waiting-for-confirmation alerts the room skipped because it learned first that the task finished. */
    superseded: number;
    duplicated: number;
}

const SETTLE_MS = 30_000;
const RECONNECT_TIMEOUT_MS = 120_000;
/** Bridge start, reconnect and slack per restart, for sizing the alerts (posting stops early should they run out). */
const OVERHEAD_PER_RESTART_S = 10;

/**
 * Gotify is killed (connections cut, no close frame) and restarted on the same port `restarts`
 * times while alerts keep coming, and every alert Gotify accepted must reach its room exactly once.
 *
 * Each restart meets a freshly started bridge process: the bridge resets its reconnect backoff only
 * after a connection stayed up 30 s and answers a flapping server with growing delays, on purpose.
 * A real Gotify restart (upgrade, crash) meets a bridge connected for hours, whose backoff is at its
 * start, exactly like a fresh process's; ten restarts 31 s apart would take five minutes to show the
 * same. The bridge restarts in between (alerts keep coming while it is down) add to what must not be
 * lost: those alerts arrive through the backfill from the persisted cursor.
 */
export async function recoveryScenario(ctx: ScenarioContext): Promise<RecoveryResult> {
    const { rooms, restarts, rate, downS, upS } = ctx.sizes.recovery;
    const tasks = tasksFor(rate, restarts * (upS + downS + OVERHEAD_PER_RESTART_S));
    return withRig(ctx, { name: "recovery", rooms, tasks, projects: projectsFor(tasks) }, async (rig) => {
        await rig.launch();
        await rig.settle();
        ctx.progress(`recovery: ${restarts} Gotify restarts (down ${downS} s, each ${upS} s after a bridge start) under ${rate} alerts/s`);
        const plan = planAlerts(rig.world, rig.world.tasks);
        let notAccepted = 0;
        let cycling = true;
        const load = postSteadily(plan.length, rate, Infinity, (i) => void (rig.post(plan[i]) || notAccepted++), () => !cycling);
        const reconnectMs: number[] = [];
        try {
            for (let n = 1; n <= restarts; n++) {
                if (n > 1) {
                    await rig.stopBridge();
                    await rig.launch();
                }
                await sleep(upS * 1000);
                reconnectMs.push(await restartGotify(rig, rig.running(), downS * 1000));
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
            lostExamples: rig.deliveries.lostKeys(),
            superseded: rig.deliveries.superseded(),
            duplicated: rig.deliveries.duplicated(),
        };
    });
}

/** Kills Gotify, brings it back after `downMs`; resolves with the time from back to reconnected. */
async function restartGotify(rig: Rig, bridge: BridgeProcess, downMs: number): Promise<number> {
    const gotify = rig.world.gotify;
    rig.poster.gotifyUp = false;
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
    rig.poster.gotifyUp = true;
    return reconnected;
}
