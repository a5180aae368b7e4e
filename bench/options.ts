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
    /** Extra node flags for every bridge process, e.g. --max-old-space-size=96. */
    nodeOptions: string[];
    /** Raw `monitor` config values for every bridge, over each scenario's own (experiments). */
    monitorSettings: Record<string, string | number>;
}

export const USAGE = `usage: npm run bench -- [--quick] [--json] [--synapse] [--profile] [--keep] [--only NAME[,NAME…]]
                        [--node-option FLAG]… [--monitor-setting KEY=VALUE]…
  --quick            a few seconds per scenario (smoke run)
  --json             print one JSON object instead of the table
  --synapse          also measure latency against the real Synapse (test/harness/synapse.ts)
  --profile          run the bridge under node --cpu-prof (profiles kept in the work directory)
  --keep             keep the work directory (bridge logs, data) after a successful run
  --only             run only these scenarios: ${SCENARIOS.join(", ")}
  --node-option      a node flag for the bridge processes, e.g. --node-option=--max-old-space-size=96
  --monitor-setting  a monitor config value for every bridge, e.g. startingPollIntervalSeconds=3600`;

/** Parses argv (without node and script); throws an Error whose message is the problem. */
export function parseOptions(argv: readonly string[]): BenchOptions {
    const options: BenchOptions = {
        quick: false,
        json: false,
        synapse: false,
        profile: false,
        keep: false,
        only: [...SCENARIOS],
        sizes: FULL,
        nodeOptions: [],
        monitorSettings: {},
    };
    const flags: Record<string, () => void> = {
        "--quick": () => (options.quick = true),
        "--json": () => (options.json = true),
        "--synapse": () => (options.synapse = true),
        "--profile": () => (options.profile = true),
        "--keep": () => (options.keep = true),
    };
    const withValue: Record<string, (value: string) => void> = {
        "--only": (value) => (options.only = scenarioList(value)),
        "--node-option": (value) => options.nodeOptions.push(value),
        "--monitor-setting": (value) => Object.assign(options.monitorSettings, setting(value)),
    };
    for (let i = 0; i < argv.length; i++) {
        const [name, inline] = argv[i].startsWith("--") && argv[i].includes("=") ? splitOnce(argv[i], "=") : [argv[i], undefined];
        if (flags[name] && inline === undefined) flags[name]();
        else if (withValue[name]) {
            const value = inline ?? argv[++i];
            if (value === undefined) throw new Error(`${name} needs a value`);
            withValue[name](value);
        } else throw new Error(`unknown argument: ${argv[i]}`);
    }
    options.sizes = options.quick ? QUICK : FULL;
    return options;
}

function splitOnce(text: string, separator: string): [string, string] {
    const at = text.indexOf(separator);
    return [text.slice(0, at), text.slice(at + separator.length)];
}

function setting(text: string): Record<string, string | number> {
    if (!/^\w+=./.test(text)) throw new Error(`--monitor-setting takes KEY=VALUE, not ${text}`);
    const [key, value] = splitOnce(text, "=");
    return { [key]: /^\d+$/.test(value) ? Number(value) : value };
}

function scenarioList(text: string): ScenarioName[] {
    const names = text.split(",").filter((name) => name !== "");
    const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
    if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes scenario names from: ${SCENARIOS.join(", ")}`);
    return names as ScenarioName[];
}
