import { CheckResult, CheckStatus } from "./results";

const MARKS: Record<CheckStatus, string> = { ok: "✅", warn: "⚠️", fail: "❌", skip: "⏭️" };
const INDENT = "   ";

/** The lines of one check: `✅ Title: detail`, then indented notes and the fix. */
export function formatCheck(result: CheckResult): string[] {
    const lines = [`${MARKS[result.status]} ${result.title}: ${result.detail}`];
    for (const note of result.notes ?? []) lines.push(`${INDENT}${note}`);
    if (result.fix) lines.push(`${INDENT}Fix: ${result.fix}`);
    return lines;
}

function count(n: number, one: string, many: string): string {
    return `${n} ${n === 1 ? one : many}`;
}

/** The closing line: how many checks failed, warned or could not run. */
export function summaryLine(results: readonly CheckResult[]): string {
    const tally = (status: CheckStatus) => results.filter((r) => r.status === status).length;
    const [failures, warnings, skips] = [tally("fail"), tally("warn"), tally("skip")];
    if (failures === 0) {
        return warnings === 0 ? "All checks passed." : `No check failed; ${count(warnings, "warning", "warnings")}.`;
    }
    const parts = [count(failures, "check failed", "checks failed")];
    if (warnings > 0) parts.push(count(warnings, "warning", "warnings"));
    if (skips > 0) parts.push(`${skips} not checked`);
    return `${parts.join(", ")}.`;
}

/** 1 when any check failed; warnings and skipped checks alone do not fail the run. */
export function exitCode(results: readonly CheckResult[]): number {
    return results.some((r) => r.status === "fail") ? 1 : 0;
}
