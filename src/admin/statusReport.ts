import { SourceStatus } from "../monitor/EventSource";
import { MonitorStatus } from "../monitor/SourceManager";
import { StoreCounts } from "../store/TaskRoomStore";
import { TextContent } from "../matrix/formatting";
import { formatDuration } from "../notify/taskText";
import { sectionsNotice, textItem } from "../commands/tasks/listNotice";
import { countsText, SOURCE_LABELS, utcTime } from "./adminTexts";
import { ComponentVersions } from "./versions";

export interface StatusSnapshot {
    monitor: MonitorStatus;
    counts: StoreCounts;
    versions: ComponentVersions;
    /** Epoch ms the ages are measured from. */
    now: number;
}

function ago(now: number, at: number): string {
    return `${formatDuration(now - at)} ago`;
}

/** "connected since 2026-01-02 10:00:00 UTC (5m 0s ago), last event 12s ago" and the like. */
export function sourceLine(status: SourceStatus, now: number): string {
    const polling = status.name === "poll";
    const state = status.connected ? (polling ? "working" : "connected") : polling ? "failing" : "down";
    let text: string;
    if (status.since !== null) {
        text = `${state} since ${utcTime(status.since)} (${ago(now, status.since)})`;
    } else {
        text = status.connected ? state : "not connected yet";
    }
    if (!status.connected && status.lastError) text += `: ${status.lastError}`;
    const lastEvent = status.lastEventAt === null ? "no event yet" : `last event ${ago(now, status.lastEventAt)}`;
    return `${SOURCE_LABELS[status.name]}: ${text}; ${lastEvent}`;
}

/** The admin `status` reply. */
export function statusNotice(snapshot: StatusSnapshot): TextContent {
    const { monitor, counts, versions, now } = snapshot;
    const v = versions;
    return sectionsNotice("Bridge status:", [
        {
            heading: `Mode: ${monitor.mode}, fallback polling ${monitor.fallbackActive ? "on" : "off"}`,
            items: monitor.sources.map((source) => textItem(sourceLine(source, now))),
        },
        { heading: "Store:", items: [textItem(countsText(counts))] },
        {
            heading: "Versions:",
            items: [`bridge ${v.bridge}`, `Semaphore ${v.semaphore}`, `Gotify ${v.gotify}`, `homeserver ${v.homeserver}`].map(textItem),
        },
    ]);
}
