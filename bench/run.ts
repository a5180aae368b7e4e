/**
 * `npm run bench`: the bridge's benchmarks on loopback against the project's Gotify and Semaphore
 * simulators and a homeserver stand-in (see BENCHMARKS.md). Prints a table, or one JSON object with
 * --json. Exit code 0 when every scenario ran (goals met or not), 1 when one failed, 2 on bad usage.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BenchOptions, parseOptions, ScenarioName, USAGE } from "./options";
import { describeMachine, jsonReport, Measurements, runStart, tableReport } from "./report";
import { ScenarioContext } from "./scenarios/context";
import { latencyScenario } from "./scenarios/latency";
import { memoryScenario } from "./scenarios/memory";
import { pollingScenario } from "./scenarios/polling";
import { recoveryScenario } from "./scenarios/recovery";
import { startupScenario } from "./scenarios/startup";
import { synapseLatencyScenario } from "./scenarios/synapseLatency";
import { throughputScenario } from "./scenarios/throughput";

type Runner = (ctx: ScenarioContext, into: Measurements) => Promise<void>;

const RUNNERS: Record<ScenarioName, Runner> = {
    latency: async (ctx, into) => void (into.latency = await latencyScenario(ctx)),
    throughput: async (ctx, into) => void (into.throughput = await throughputScenario(ctx)),
    polling: async (ctx, into) => void (into.polling = await pollingScenario(ctx)),
    memory: async (ctx, into) => void (into.memory = await memoryScenario(ctx)),
    startup: async (ctx, into) => void (into.startup = await startupScenario(ctx)),
    recovery: async (ctx, into) => void (into.recovery = await recoveryScenario(ctx)),
};

/** Runs the chosen scenarios one after the other; bridge data, logs and profiles go under `workDir`. */
export async function runBenchmarks(options: BenchOptions, workDir: string, progress: (line: string) => void): Promise<Measurements> {
    const profiling = options.profile ? ["--cpu-prof", "--cpu-prof-dir", join(workDir, "profiles")] : [];
    const ctx: ScenarioContext = {
        workDir,
        sizes: options.sizes,
        execArgv: [...profiling, ...options.nodeOptions],
        monitorSettings: options.monitorSettings,
        progress,
    };
    const measurements: Measurements = {};
    for (const name of options.only) {
        progress(`— ${name}`);
        await RUNNERS[name](ctx, measurements);
    }
    if (options.synapse) {
        progress("— latency against Synapse");
        measurements.synapseLatency = await synapseLatencyScenario(ctx);
    }
    return measurements;
}

async function main(): Promise<number> {
    let options: BenchOptions;
    try {
        options = parseOptions(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
        return 2;
    }
    const start = runStart();
    const progress = (line: string) => process.stderr.write(`[bench ${((Date.now() - start.date.getTime()) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
    const workDir = mkdtempSync(join(tmpdir(), "msb-bench-"));
    try {
        const measurements = await runBenchmarks(options, workDir, progress);
        const machine = describeMachine(start);
        const output = options.json ? JSON.stringify(jsonReport(measurements, machine, options), null, 2) : tableReport(measurements, machine, options);
        process.stdout.write(`${output}\n`);
        if (options.keep || options.profile) progress(`work directory kept: ${workDir}`);
        else rmSync(workDir, { recursive: true, force: true });
        return 0;
    } catch (err) {
        process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\nbridge logs and data: ${workDir}\n`);
        return 1;
    }
}

if (require.main === module) {
    // Simulators and sockets may keep the event loop alive after the last scenario: exit explicitly.
    void main().then((code) => process.exit(code));
}
