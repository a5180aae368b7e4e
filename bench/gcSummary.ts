/**
 * Sums the garbage collections of a bridge run with `--trace-gc`:
 *   npm run bench -- --only throughput --keep --node-option=--trace-gc
 *   node dist/bench/bench/gcSummary.js WORK_DIRECTORY_OR_LOG…
 * prints, per bridge log, how many young-generation collections (scavenges) and full collections
 * (mark-compact) ran and the main-thread milliseconds V8 reported for them, so heap settings can be
 * compared by the collector work they cause rather than by noisy wall-clock figures.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface GcTotals {
    scavenges: number;
    scavengeMs: number;
    fullCollections: number;
    fullMs: number;
}

/** One `--trace-gc` line: `… Scavenge 40.6 (57.1) -> 40.1 (57.1) MB, 0.93 / 0.01 ms …`. */
const TRACE_LINE = /\b(Scavenge|Mark-Compact|Minor Mark-Sweep)\b[^,]*, ([\d.]+) \/ [\d.]+ ms/;

export function sumGcTrace(text: string): GcTotals {
    const totals: GcTotals = { scavenges: 0, scavengeMs: 0, fullCollections: 0, fullMs: 0 };
    for (const line of text.split("\n")) {
        const match = TRACE_LINE.exec(line);
        if (!match) continue;
        const ms = Number(match[2]);
        if (match[1] === "Mark-Compact") {
            totals.fullCollections++;
            totals.fullMs += ms;
        } else {
            totals.scavenges++;
            totals.scavengeMs += ms;
        }
    }
    return totals;
}

/** The bridge logs below a work directory (one directory per bridge run), or the files given. */
function logsIn(path: string): string[] {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? logsIn(join(path, entry.name)) : /^bridge-\d+\.log$/.test(entry.name) ? [join(path, entry.name)] : [],
    );
}

function main(paths: string[]): void {
    if (paths.length === 0) {
        process.stderr.write("usage: node dist/bench/bench/gcSummary.js WORK_DIRECTORY_OR_LOG…\n");
        process.exitCode = 2;
        return;
    }
    for (const log of paths.flatMap(logsIn).sort()) {
        const t = sumGcTrace(readFileSync(log, "utf8"));
        const line = `${t.scavenges} scavenges ${Math.round(t.scavengeMs)} ms, ${t.fullCollections} full collections ${Math.round(t.fullMs)} ms`;
        process.stdout.write(`${log}: ${t.scavenges + t.fullCollections === 0 ? "no --trace-gc lines" : line}\n`);
    }
}

if (require.main === module) main(process.argv.slice(2));
