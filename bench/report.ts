import { execFileSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { Percentiles } from "./stats";
import { SteadyRun } from "./load/steadyRun";
import { ThroughputResult } from "./scenarios/throughput";
import { PollingResult } from "./scenarios/polling";
import { MemoryResult } from "./scenarios/memory";
import { StartupResult } from "./scenarios/startup";
import { RecoveryResult } from "./scenarios/recovery";
import { SYNAPSE_SETTLE_MS, SynapseLatencyResult } from "./scenarios/synapseLatency";

/** What the scenarios measured; a scenario left out by --only stays undefined. */
export interface Measurements {
    latency?: SteadyRun;
    synapseLatency?: SynapseLatencyResult;
    throughput?: ThroughputResult;
    polling?: PollingResult;
    memory?: MemoryResult;
    startup?: StartupResult;
    recovery?: RecoveryResult;
}

export interface Machine {
    nproc: number;
    cpu: string;
    memoryMb: number;
    node: string;
    /** 1-minute load average when the run started and ended: other work on the machine skews results. */
    loadavgStart: number;
    loadavgEnd: number;
    date: string;
    /** Commit measured, "+ local changes" when src/ differed from it. */
    revision: string;
}

function revision(): string {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: __dirname, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    try {
        const dirty = git("status", "--porcelain", "--", "src") !== "";
        return `${git("rev-parse", "--short", "HEAD")}${dirty ? " + local changes in src/" : ""}`;
    } catch {
        return "unknown (not a git checkout)";
    }
}

/** Taken when the run starts: what is measured is the checkout as it was then. */
export interface RunStart {
    date: Date;
    loadavg: number;
    revision: string;
}

export function runStart(): RunStart {
    return { date: new Date(), loadavg: Math.round(loadavg()[0] * 100) / 100, revision: revision() };
}

export function describeMachine(start: RunStart): Machine {
    return {
        nproc: cpus().length,
        cpu: cpus()[0]?.model ?? "unknown",
        memoryMb: Math.round(totalmem() / 1024 / 1024),
        node: process.version,
        loadavgStart: start.loadavg,
        loadavgEnd: Math.round(loadavg()[0] * 100) / 100,
        date: start.date.toISOString(),
        revision: start.revision,
    };
}

interface Goal {
    name: string;
    measured: string;
    goal: string;
    met: boolean | null;
}

function goals(m: Measurements): Goal[] {
    const list: Goal[] = [];
    const add = (name: string, value: number | undefined, show: (v: number) => string, goal: string, met: (v: number) => boolean) =>
        list.push(value === undefined ? { name, measured: "not run", goal, met: null } : { name, measured: show(value), goal, met: met(value) });
    const ms = (v: number) => `${v} ms`;
    add("latency p99", m.latency?.latency.p99, ms, "≤ 25 ms", (v) => v <= 25);
    if (m.synapseLatency) list.push({ name: "latency p99 (Synapse)", measured: ms(m.synapseLatency.latency.p99), goal: "(none)", met: null });
    add("throughput", m.throughput?.eventsPerSecond, (v) => `${v} events/s`, "≥ 2000 events/s", (v) => v >= 2000);
    const projects = m.polling?.projects;
    add("poll requests per interval", m.polling?.requestsPerInterval, (v) => `${v} (naive ${m.polling?.naiveRequestsPerInterval})`, `= projects (${projects ?? 10})`, (v) => v === projects);
    add("RSS at 10k watches", rssMegabytes(m), (v) => `${v} MB`, "≤ 150 MB", (v) => v <= 150);
    add("start-up", m.startup?.medianMs, ms, "≤ 2000 ms", (v) => v <= 2000);
    add("reconnect p50", m.recovery?.reconnectMsP50, ms, "≤ 2000 ms", (v) => v <= 2000);
    add("lost", m.recovery?.lost, String, "0", (v) => v === 0);
    add("duplicated", m.recovery?.duplicated, String, "0", (v) => v === 0);
    return list;
}

/** The memory headline in MB (10^6 bytes), as the goal is stated; the details stay in MiB. */
function rssMegabytes(m: Measurements): number | undefined {
    return m.memory && Math.round(m.memory.rssMiBAfter * 1.048576 * 10) / 10;
}

const pick = (p: Percentiles | undefined) => (p ? { p50: p.p50, p95: p.p95, p99: p.p99 } : null);

/** How the run differed from the default one: a quick run or experiment settings make other numbers. */
export interface RunSettings {
    quick: boolean;
    nodeOptions: string[];
    monitorSettings: Record<string, string | number>;
}

function describeSettings(settings: RunSettings): string {
    const parts = [
        ...settings.nodeOptions.map((flag) => `node ${flag}`),
        ...Object.entries(settings.monitorSettings).map(([key, value]) => `monitor.${key}=${value}`),
    ];
    return parts.length === 0 ? "" : `experiment settings: ${parts.join(", ")}`;
}

/** The one JSON object of `--json`: the agreed keys first, then goals, details and the machine. */
export function jsonReport(m: Measurements, machine: Machine, settings: RunSettings): Record<string, unknown> {
    return {
        latency_ms: pick(m.latency?.latency),
        ...(m.synapseLatency ? { synapse_latency_ms: pick(m.synapseLatency.latency) } : {}),
        throughput_eps: m.throughput?.eventsPerSecond ?? null,
        poll_requests_per_interval: m.polling?.requestsPerInterval ?? null,
        naive_requests_per_interval: m.polling?.naiveRequestsPerInterval ?? null,
        rss_mb_10k_watches: rssMegabytes(m) ?? null,
        startup_ms: m.startup?.medianMs ?? null,
        recovery: m.recovery ? { reconnect_ms_p50: m.recovery.reconnectMsP50, lost: m.recovery.lost, duplicated: m.recovery.duplicated } : null,
        goals: Object.fromEntries(goals(m).map((g) => [g.name, { measured: g.measured, goal: g.goal, met: g.met }])),
        details: m,
        machine,
        quick: settings.quick,
        settings: { nodeOptions: settings.nodeOptions, monitor: settings.monitorSettings },
    };
}

/** A plain-text table for people: one line per goal. */
export function tableReport(m: Measurements, machine: Machine, settings: RunSettings): string {
    const rows = goals(m).map((g) => [g.name, g.measured, g.goal, g.met === null ? "-" : g.met ? "yes" : "NO"]);
    const header = ["metric", "measured", "goal", "met"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
    const extra = [
        m.latency ? `latency ${m.latency.rate}/s × ${m.latency.durationS} s: p50 ${m.latency.latency.p50} / p95 ${m.latency.latency.p95} / p99 ${m.latency.latency.p99} ms, ${m.latency.posted} alerts, lost ${m.latency.lost}` : "",
        m.synapseLatency
            ? `Synapse latency: p50 ${m.synapseLatency.latency.p50} / p95 ${m.synapseLatency.latency.p95} / p99 ${m.synapseLatency.latency.p99} ms, ` +
              `not told within ${SYNAPSE_SETTLE_MS / 1000} s: ${m.synapseLatency.lost}; Synapse accepted ${m.synapseLatency.synapseSendsPerSecond} events/s`
            : "",
        m.memory
            ? `RSS with ${m.memory.watches} watches: idle ${m.memory.rssMiBIdle}, peak ${m.memory.rssMiBPeak}, after ${m.memory.rssMiBAfter} MiB; ` +
              `live heap ${m.memory.heapMiBLive} MiB`
            : "",
        m.recovery ? `reconnects (ms): ${m.recovery.reconnectMs.join(", ")}; ${m.recovery.posted} alerts accepted, ${m.recovery.notAcceptedWhileDown} refused while Gotify was down` : "",
    ].filter((text) => text !== "");
    return [
        `matrix-semaphore-bridge benchmarks${settings.quick ? " (quick smoke run: numbers are not meaningful)" : ""}`,
        ...[describeSettings(settings)].filter((line) => line !== ""),
        `${machine.date} · ${machine.revision} · ${machine.nproc} CPU (${machine.cpu}) · ${machine.memoryMb} MiB · node ${machine.node} · load ${machine.loadavgStart} → ${machine.loadavgEnd}`,
        "",
        line(header),
        line(widths.map((w) => "-".repeat(w))),
        ...rows.map(line),
        "",
        ...extra,
    ].join("\n");
}
