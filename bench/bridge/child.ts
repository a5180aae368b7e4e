/**
 * The bridge under benchmark, in a process of its own: `node child.js SPEC.json`. Starts the real
 * bridge through start() and reports over the IPC channel when it is ready (listening, store loaded,
 * push source connected), every source connection change, and answers the calls of protocol.ts.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { RunningBridge } from "../../src/main";
import type { SourceManager } from "../../src/monitor/SourceManager";
import type { TaskWatch } from "../../src/store/TaskRoomStore";
import { tuneHeapForFootprint } from "../../src/runtime/heapTuning";
import { BridgeSpec, ChildCalls, ChildMessage, ChildMethod, ParentMessage, Usage } from "./protocol";

function tell(message: ChildMessage): void {
    process.send?.(message);
}

function usage(): Usage {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    return {
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        cpuMicros: cpu.user + cpu.system,
        atMicros: Number(process.hrtime.bigint() / 1000n),
    };
}

/** Resolves once the configured push source reports connected (at once in polling mode). */
function connected(sources: SourceManager, push: string | null): Promise<void> {
    const isUp = () => push === null || sources.status().sources.some((s) => s.name === push && s.connected);
    return new Promise((resolve) => {
        if (isUp()) return resolve();
        const check = () => {
            if (isUp()) {
                sources.off("connection", check);
                resolve();
            }
        };
        sources.on("connection", check);
    });
}

async function answer(running: RunningBridge, method: ChildMethod, arg: unknown): Promise<ChildCalls[ChildMethod]["result"]> {
    switch (method) {
        case "usage":
            return usage();
        case "usageAfterGc": {
            const collect = (globalThis as { gc?: () => void }).gc;
            if (!collect) return null;
            collect();
            return usage();
        }
        case "putWatches":
            for (const watch of arg as TaskWatch[]) await running.store.putWatch(watch);
            return (arg as TaskWatch[]).length;
        case "pollSetSize": {
            const { pollSetFromStore } = await import("../../src/monitor/storeAdapters.js");
            return (await pollSetFromStore(running.store).unfinishedWatchedTasks()).length;
        }
        case "stop":
            await running.stop();
            return null;
    }
}

async function main(): Promise<void> {
    // As the CLI entry (src/app.ts) does, before the Matrix libraries load.
    tuneHeapForFootprint();
    const [{ AppServiceRegistration }, { parseConfig }, { start }] = await Promise.all([
        import("matrix-appservice-bridge"),
        import("../../src/config/loadConfig.js"),
        import("../../src/main.js"),
    ]);
    const spec = JSON.parse(readFileSync(process.argv[2], "utf8")) as BridgeSpec;
    const config = parseConfig(spec.config, {}, spec.dataDir);
    const began = performance.now();
    const running = await start(config, AppServiceRegistration.fromObject(spec.registration as never), { port: spec.port });
    const startMs = performance.now() - began;
    const sources = running.monitoring.sources;
    sources.on("connection", (status) => tell({ type: "connection", name: status.name, connected: status.connected }));
    process.on("message", (message: ParentMessage) => {
        answer(running, message.method, message.arg).then(
            (value) => {
                tell({ type: "reply", id: message.id, value });
                if (message.method === "stop") process.exit(0);
            },
            (err: unknown) => tell({ type: "reply", id: message.id, error: err instanceof Error ? err.message : String(err) }),
        );
    });
    await connected(sources, config.monitor.source === "polling" ? null : config.monitor.source);
    tell({ type: "ready", startMs, uptimeMs: process.uptime() * 1000 });
}

main().catch((err: unknown) => {
    tell({ type: "failed", message: err instanceof Error ? err.message : String(err) });
    process.exitCode = 1;
});
