import { setFlagsFromString } from "node:v8";

/**
 * V8 settings for a long-running process with a small, steady footprint. Node's defaults suit short
 * jobs on big machines: the young generation grows to two 16 MiB halves (32 MiB on Node 24), and the old generation may
 * grow to about four times what is live before a full collection — a bridge with 40 MiB live sat at
 * 230–250 MiB resident. With young-generation halves kept at their initial 1 MiB and the old
 * generation growing 30 % between full collections it stays near 120 MiB, for no CPU cost we could
 * measure (BENCHMARKS.md, "RSS with 10,000 watches").
 *
 * Both are set at run time on purpose: `--semi-space-growth-factor` has no effect as a command-line
 * flag (the young generation is sized before it is read), only once the heap exists.
 */
const FOOTPRINT_FLAGS: { flag: string; unlessGiven: string[] }[] = [
    { flag: "--semi-space-growth-factor=1", unlessGiven: ["--semi-space-growth-factor", "--max-semi-space-size", "--min-semi-space-size"] },
    { flag: "--heap-growing-percent=30", unlessGiven: ["--heap-growing-percent"] },
];

/**
 * Applies the footprint settings, except those the operator chose otherwise on the command line or
 * in NODE_OPTIONS (their flags always win). Call before the big modules load: the young generation
 * only ever grows. Returns the flags applied.
 */
export function tuneHeapForFootprint(givenFlags: string[] = nodeFlagsGiven(), apply: (flag: string) => void = setFlagsFromString): string[] {
    const given = new Set(givenFlags.map(flagName));
    const applied = FOOTPRINT_FLAGS.filter(({ unlessGiven }) => !unlessGiven.some((name) => given.has(name))).map(({ flag }) => flag);
    for (const flag of applied) apply(flag);
    return applied;
}

function nodeFlagsGiven(): string[] {
    return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/).filter(Boolean)];
}

/** `--max_semi_space_size=8` → `--max-semi-space-size`: V8 takes both spellings. */
function flagName(flag: string): string {
    return flag.split("=")[0].replace(/_/g, "-");
}
