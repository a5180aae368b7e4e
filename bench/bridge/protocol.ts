import { TaskWatch } from "../../src/store/TaskRoomStore";

/** What the benchmark hands the bridge process: a raw config document, as a config.yaml would be. */
export interface BridgeSpec {
    config: Record<string, unknown>;
    registration: Record<string, unknown>;
    /** Directory the config's relative paths resolve from (and the NeDB data directory). */
    dataDir: string;
    /** Appservice port (start()'s override, like the CLI's -p). */
    port: number;
}

/** Resource use of the bridge process at one moment. */
export interface Usage {
    rssBytes: number;
    heapUsedBytes: number;
    /** User + system CPU time so far, in microseconds. */
    cpuMicros: number;
    /** process.hrtime of the sample, in microseconds: CPU share = Δcpu / Δat. */
    atMicros: number;
}

/** Calls the benchmark may make into the running bridge process, with their argument and answer. */
export interface ChildCalls {
    usage: { arg: undefined; result: Usage };
    /** Usage after a full garbage collection; null unless the process runs with --expose-gc. */
    usageAfterGc: { arg: undefined; result: Usage | null };
    /** Add watches through the running bridge's own store (rooms that exist only once the bridge runs). */
    putWatches: { arg: TaskWatch[]; result: number };
    /** Distinct unfinished watched tasks, as the poller reads them from the store. */
    pollSetSize: { arg: undefined; result: number };
    stop: { arg: undefined; result: null };
}

export type ChildMethod = keyof ChildCalls;

export type ParentMessage = { type: "call"; id: number; method: ChildMethod; arg?: unknown };

export type ChildMessage =
    /** start() returned and the push source is connected. Times in ms, measured inside the child. */
    | { type: "ready"; startMs: number; uptimeMs: number }
    | { type: "connection"; name: string; connected: boolean }
    | { type: "failed"; message: string }
    | { type: "reply"; id: number; value?: unknown; error?: string };
