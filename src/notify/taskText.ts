import { TaskStatus } from "../monitor/TaskEvent";

/** Longest template name or author shown in a room; Semaphore puts no limit on either. */
export const MAX_DISPLAY_CHARS = 200;

// Line breaks and tabs become spaces (they would break the one-line layout); other C0/C1 controls
// and bidi overrides/isolates are dropped, since they can make a name render as something else.
const WHITESPACE_CONTROLS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
const OTHER_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Semaphore-supplied text made fit to show: controls stripped, whitespace collapsed, at most
 * `maxChars` code points (cut with "…"). Idempotent. Not HTML-safe: escape it where HTML is built.
 */
export function displayText(raw: string, maxChars: number = MAX_DISPLAY_CHARS): string {
    const clean = raw.replace(WHITESPACE_CONTROLS, " ").replace(OTHER_CONTROLS, "").replace(/\s+/g, " ").trim();
    // Counted in code points so a cut never splits a surrogate pair.
    const chars = Array.from(clean);
    return chars.length <= maxChars ? clean : `${chars.slice(0, maxChars - 1).join("").trimEnd()}…`;
}

/** "5s", "2m 5s", "1h 0m 5s". */
export function formatDuration(ms: number): string {
    const totalSeconds = Math.max(0, Math.round(ms / 1000));
    const hours = Math.floor(totalSeconds / 3600);
    const minutes = Math.floor((totalSeconds % 3600) / 60);
    const seconds = totalSeconds % 60;
    if (hours > 0) return `${hours}h ${minutes}m ${seconds}s`;
    if (minutes > 0) return `${minutes}m ${seconds}s`;
    return `${seconds}s`;
}

export interface StatusDisplay {
    emoji: string;
    label: string;
}

export const STATUS_DISPLAY: Readonly<Record<TaskStatus, StatusDisplay>> = {
    waiting: { emoji: "⏳", label: "waiting" },
    starting: { emoji: "🚀", label: "starting" },
    waiting_confirmation: { emoji: "⚠️", label: "waiting for confirmation" },
    confirmed: { emoji: "👍", label: "confirmed" },
    running: { emoji: "🔄", label: "running" },
    stopping: { emoji: "🛑", label: "stopping" },
    stopped: { emoji: "⏹️", label: "stopped" },
    success: { emoji: "✅", label: "succeeded" },
    error: { emoji: "❌", label: "failed" },
    rejected: { emoji: "🚫", label: "rejected" },
};
