/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --profile`):
 *   node dist/bench/bench/profileSummary.js FILE.cpuprofile [TOP]
 * prints where the sampled time went by module (npm package or src/ file) and the hottest functions
 * by self time, so a missed benchmark goal can be traced to its cause.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
}

interface CpuProfile {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
}

/** "npm:ws", "src/gotify/GotifySource.ts", "node:internal…" or "(program)" / "(garbage collector)". */
export function moduleOf(url: string, functionName: string): string {
    if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
    const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (npm) return `npm:${npm[1]}`;
    const own = /\/dist\/(?:bench\/)?((?:src|test|bench)\/.*)\.js$/.exec(url);
    if (own) return `${own[1]}.ts`;
    return url.startsWith("node:") ? "node:" + url.slice(5).split("/")[0] : url;
}

function selfTimes(profile: CpuProfile): Map<number, number> {
    const times = new Map<number, number>();
    profile.samples.forEach((nodeId, i) => times.set(nodeId, (times.get(nodeId) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    return times;
}

function top(entries: Map<string, number>, total: number, count: number): string[] {
    return [...entries.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, count)
        .map(([name, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`);
}

const isOwner = (module: string) => module.startsWith("npm:") || /^(src|test|bench)\//.test(module);

/**
 * The module a sample is charged to when node's own code and native calls are charged to the npm
 * package or project file that called them: shows who causes the HTTP, file and GC work.
 */
function ownerOf(node: ProfileNode, parents: Map<number, ProfileNode>): string {
    for (let current: ProfileNode | undefined = node; current; current = parents.get(current.id)) {
        const module = moduleOf(current.callFrame.url, current.callFrame.functionName);
        if (isOwner(module)) return module;
    }
    return moduleOf(node.callFrame.url, node.callFrame.functionName);
}

function add(map: Map<string, number>, key: string, micros: number): void {
    map.set(key, (map.get(key) ?? 0) + micros);
}

export function summarise(profile: CpuProfile, count = 25): string {
    const times = selfTimes(profile);
    const parents = new Map<number, ProfileNode>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
    const byModule = new Map<string, number>();
    const byOwner = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let total = 0;
    let busy = 0;
    for (const node of profile.nodes) {
        const micros = times.get(node.id) ?? 0;
        if (micros === 0) continue;
        total += micros;
        const { functionName, url, lineNumber } = node.callFrame;
        const module = moduleOf(url, functionName);
        if (module !== "(idle)") busy += micros;
        add(byModule, module, micros);
        add(byOwner, ownerOf(node, parents), micros);
        add(byFunction, `${functionName || "(anonymous)"} ${module}:${lineNumber + 1}`, micros);
    }
    return [
        `sampled ${(total / 1000).toFixed(0)} ms, of which busy ${(busy / 1000).toFixed(0)} ms`,
        "",
        "by module (self time):",
        ...top(byModule, total, count),
        "",
        "by calling package or project file (node internals charged to their caller):",
        ...top(byOwner, total, count),
        "",
        "hottest functions (self time):",
        ...top(byFunction, total, count),
    ].join("\n");
}

if (require.main === module) {
    const [file, count] = process.argv.slice(2);
    if (!file) {
        process.stderr.write("usage: profileSummary FILE.cpuprofile [TOP]\n");
        process.exit(2);
    }
    process.stdout.write(summarise(JSON.parse(readFileSync(file, "utf8")) as CpuProfile, count ? Number(count) : undefined) + "\n");
}
