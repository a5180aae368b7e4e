/** Command line of `npm run bench` and the sizes of each scenario in a full and a quick run. */

export const SCENARIOS = ["latency", "throughput", "polling", "memory", "startup", "recovery"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Profile {
    /** Seconds of alerts before a latency or throughput run, not counted (see SteadyRunOptions). */
    warmupS: number;
    latency: { rooms: number; rate: number; durationS: number };
    throughput: { rooms: number; probeS: number; confirmS: number; rates: number[]; maxP99Ms: number; maxConfirmations: number };
    polling: { rooms: number; projects: number; tasks: number; intervalS: number; rounds: number };
    memory: { rooms: number; watches: number; rate: number; durationS: number };
    startup: { rooms: number; watches: number; runs: number };
    /** upS: how long after a bridge start Gotify is killed; downS: how long it stays down. */
    recovery: { rooms: number; restarts: number; rate: number; downS: number; upS: number };
}

const FULL: Profile = {
    warmupS: 5,
    latency: { rooms: 100, rate: 200, durationS: 30 },
    throughput: {
        rooms: 100,
        probeS: 5,
        confirmS: 30,
        rates: [50, 100, 150, 200, 300, 400, 600, 800, 1000, 1500, 2000, 2500, 3000, 4000],
        maxP99Ms: 100,
        maxConfirmations: 3,
    },
    polling: { rooms: 100, projects: 10, tasks: 1000, intervalS: 2, rounds: 5 },
    memory: { rooms: 100, watches: 10_000, rate: 100, durationS: 10 },
    startup: { rooms: 100, watches: 10_000, runs: 3 },
    recovery: { rooms: 100, restarts: 10, rate: 50, downS: 1, upS: 3 },
};

/** A smoke run: every scenario for a few seconds, so a test can check the whole harness works. */
const QUICK: Profile = {
    warmupS: 1,
    latency: { rooms: 100, rate: 100, durationS: 2 },
    throughput: { rooms: 100, probeS: 1, confirmS: 2, rates: [50, 100], maxP99Ms: 100, maxConfirmations: 1 },
    polling: { rooms: 100, projects: 10, tasks: 1000, intervalS: 1, rounds: 2 },
    memory: { rooms: 100, watches: 10_000, rate: 100, durationS: 1 },
    startup: { rooms: 100, watches: 1_000, runs: 1 },
    recovery: { rooms: 100, restarts: 2, rate: 20, downS: 0.5, upS: 1 },
};

export interface BenchOptions {
    quick: boolean;
    json: boolean;
    /** Also run the latency scenario against the real Synapse of test/harness. */
    synapse: boolean;
    /** Run the bridge with --cpu-prof; profiles stay in the work directory. */
    profile: boolean;
    /** Keep the work directory (logs, data, profiles) after a successful run. */
    keep: boolean;
    only: ScenarioName[];
    sizes: Profile;
}

export const USAGE = `usage: npm run bench -- [--quick] [--json] [--synapse] [--profile] [--keep] [--only NAME[,NAME…]]
  --quick    a few seconds per scenario (smoke run)
  --json     print one JSON object instead of the table
  --synapse  also measure latency against the real Synapse (test/harness/synapse.ts)
  --profile  run the bridge under node --cpu-prof (profiles kept in the work directory)
  --keep     keep the work directory (bridge logs, data) after a successful run
  --only     run only these scenarios: ${SCENARIOS.join(", ")}`;

/** Parses argv (without node and script); throws an Error whose message is the problem. */
export function parseOptions(argv: readonly string[]): BenchOptions {
    const options: BenchOptions = { quick: false, json: false, synapse: false, profile: false, keep: false, only: [...SCENARIOS], sizes: FULL };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--quick") options.quick = true;
        else if (arg === "--json") options.json = true;
        else if (arg === "--synapse") options.synapse = true;
        else if (arg === "--profile") options.profile = true;
        else if (arg === "--keep") options.keep = true;
        else if (arg === "--only") options.only = scenarioList(argv[++i]);
        else if (arg.startsWith("--only=")) options.only = scenarioList(arg.slice("--only=".length));
        else throw new Error(`unknown argument: ${arg}`);
    }
    options.sizes = options.quick ? QUICK : FULL;
    return options;
}

function scenarioList(text: string | undefined): ScenarioName[] {
    const names = (text ?? "").split(",").filter((name) => name !== "");
    const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
    if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes scenario names from: ${SCENARIOS.join(", ")}`);
    return names as ScenarioName[];
}
