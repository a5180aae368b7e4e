import { MonitorSource } from "../config/Config";
import { SourceName, SourceStatus } from "../monitor/EventSource";
import { StoreCounts } from "../store/TaskRoomStore";
import { plainNotice, TextContent } from "../matrix/formatting";
import { formatDuration } from "../notify/taskText";
import { formatTimestamp } from "../commands/tasks/taskText";

/** How an operator calls each source. */
export const SOURCE_LABELS: Readonly<Record<SourceName, string>> = {
    gotify: "Gotify stream",
    semaphore: "Semaphore WebSocket",
    poll: "Semaphore polling",
};

/** "2026-01-02 10:00:00 UTC". */
export function utcTime(ms: number): string {
    return formatTimestamp(new Date(ms).toISOString()) ?? "an unknown time";
}

/** A sentence ends with a full stop, whatever the source's message ended with. */
function sentence(text: string): string {
    return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** "rooms 2, watches 3 (1 unfinished), subscriptions 1". */
export function countsText(counts: StoreCounts): string {
    return `rooms ${counts.rooms}, watches ${counts.watches} (${counts.unfinishedWatches} unfinished), subscriptions ${counts.subscriptions}`;
}

export function welcomeNotice(prefix: string): TextContent {
    return plainNotice(
        "This is the admin room of the Semaphore bridge. I post here when an event source goes down, " +
            "when fallback polling starts or stops, and when Semaphore or Gotify reject a token. " +
            `Type ${prefix} help for the admin commands.`,
    );
}

export interface StartupSummary {
    bridgeVersion: string;
    mode: MonitorSource;
    counts: StoreCounts;
}

export function startupNotice(summary: StartupSummary, prefix: string): TextContent {
    return plainNotice(
        `🟢 matrix-semaphore-bridge ${summary.bridgeVersion} started. Mode: ${summary.mode}. ` +
            `Store: ${countsText(summary.counts)}. Type ${prefix} status for the sources.`,
    );
}

/** The push source's own words for what went wrong, as a closing sentence, or nothing. */
function lastError(push: SourceStatus | undefined): string {
    return push?.lastError ? ` Last error: ${sentence(push.lastError)}` : "";
}

export function fallbackOnNotice(push: SourceStatus | undefined, pollIntervalSeconds: number): TextContent {
    const label = push ? `the ${SOURCE_LABELS[push.name]}` : "the push source";
    return plainNotice(
        `⚠️ Fallback polling on: ${label} is down. ` +
            `Task updates come from polling Semaphore every ${pollIntervalSeconds} s until it is back.${lastError(push)}`,
    );
}

/** `downForMs` is how long fallback polling ran; `mode` tells a repaired source from a switch to polling. */
export function fallbackOffNotice(mode: MonitorSource, downForMs: number): TextContent {
    if (mode === "polling") {
        return plainNotice("Fallback polling off: the bridge now runs in polling mode, so polling is its only source.");
    }
    return plainNotice(
        `✅ Fallback polling off: the ${SOURCE_LABELS[mode]} is connected again after ${formatDuration(downForMs)}.`,
    );
}

export function sourceDownNotice(push: SourceStatus | undefined, downSince: number, alertMinutes: number, prefix: string): TextContent {
    const label = push ? `The ${SOURCE_LABELS[push.name]}` : "The push source";
    return plainNotice(
        `🚨 ${label} has been down for more than ${alertMinutes} min (since ${utcTime(downSince)}). ` +
            `Fallback polling keeps tasks moving meanwhile. Check that the bridge can reach it; ${prefix} reconnect tries again now.` +
            lastError(push),
    );
}

export function tokenRejectedNotice(source: SourceName, message: string): TextContent {
    return plainNotice(
        `🔑 Token rejected (${SOURCE_LABELS[source]}): ${sentence(message)} ` +
            "Fix the token in the bridge's configuration and restart it.",
    );
}
