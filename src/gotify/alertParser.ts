import { TaskStatus, isTaskStatus } from "../monitor/TaskEvent";

/**
 * Reads the task alerts Semaphore posts to Gotify (PROTOCOLS.md §1). The body is rendered from a Go
 * text template without escaping, differs between Semaphore versions and may be fully custom from
 * v2.20, so everything here is lenient, bounded, and never throws.
 */

export interface SemaphoreAlert {
    taskId: number;
    /** From the task link; null when the body has no link. */
    projectId: number | null;
    templateId: number | null;
    templateName: string;
    status: TaskStatus;
    /** Null when Semaphore wrote "—" (no user, e.g. a scheduled run). */
    author: string | null;
    version: string | null;
}

export type IgnoreReason = "test-notification" | "other-application" | "unparsed";

export type ParsedGotifyMessage = { kind: "task"; alert: SemaphoreAlert } | { kind: "ignored"; reason: IgnoreReason };

/** Alerts are a few hundred characters; anything beyond this is not a Semaphore alert we can read. */
const MAX_BODY_CHARS = 16_384;
const MAX_FIELD_CHARS = 1_000;
const NO_AUTHOR = "\u2014";

const EXECUTION_LINE = /^Execution\s*#\s*:\s*(\d+)/;
// PROTOCOLS.md's `Status:\s*[^A-Z_]*([A-Z_]+)` without the redundant `\s*` (whitespace is already in
// [^A-Z_]); the overlap would make failed matches quadratic.
const STATUS_LINE = /^Status:[^A-Z_]*([A-Z_]+)/;
const AUTHOR_LINE = /^Author:\s*(.*)$/;
const VERSION_LINE = /^Version:\s*(.*)$/;
const LINK_PATH = /\/project\/(\d+)\/templates\/(\d+)/;
const LINK_TASK = /[?&]t=(\d+)/;
const TITLE_PREFIX = /^Task:\s*/;

const UNPARSED: ParsedGotifyMessage = { kind: "ignored", reason: "unparsed" };

/** Classifies any value received from Gotify; only messages of the Semaphore application are alerts. */
export function parseGotifyMessage(message: unknown, semaphoreAppId: number): ParsedGotifyMessage {
    if (!isRecord(message) || typeof message.appid !== "number") {
        return UNPARSED;
    }
    if (message.appid !== semaphoreAppId) {
        return { kind: "ignored", reason: "other-application" };
    }
    return parseSemaphoreAlert(message);
}

/** Reads a message assumed to come from the Semaphore application (no application check). */
export function parseSemaphoreAlert(message: unknown): ParsedGotifyMessage {
    if (!isRecord(message) || typeof message.message !== "string") {
        return UNPARSED;
    }
    const body = readBody(message.message);
    const taskId = body.executionId ?? body.linkTaskId;
    if (taskId === null) {
        return UNPARSED;
    }
    if (taskId === 0) {
        return { kind: "ignored", reason: "test-notification" };
    }
    if (body.status === null) {
        return UNPARSED;
    }
    return {
        kind: "task",
        alert: {
            taskId,
            projectId: body.projectId,
            templateId: body.templateId,
            templateName: templateNameFromTitle(message.title),
            status: body.status,
            author: body.author,
            version: body.version,
        },
    };
}

/** The flat form used by the test vectors and `inspect-message`. */
export function summarizeParsedMessage(parsed: ParsedGotifyMessage): SemaphoreAlert | { ignored: IgnoreReason } {
    return parsed.kind === "task" ? parsed.alert : { ignored: parsed.reason };
}

interface AlertBody {
    executionId: number | null;
    status: TaskStatus | null;
    author: string | null;
    version: string | null;
    projectId: number | null;
    templateId: number | null;
    linkTaskId: number | null;
}

function readBody(text: string): AlertBody {
    const body: AlertBody = {
        executionId: null,
        status: null,
        author: null,
        version: null,
        projectId: null,
        templateId: null,
        linkTaskId: null,
    };
    let sawStatus = false;
    // Lines end with "   \n" (markdown hard break), possibly "\r\n": trimming handles both. Every line of
    // the bounded body is read: a user name of many lines must not push the real link out of reach.
    for (const rawLine of text.slice(0, MAX_BODY_CHARS).split("\n")) {
        const line = rawLine.trim();
        let match: RegExpExecArray | null;
        if ((match = EXECUTION_LINE.exec(line))) {
            body.executionId ??= toId(match[1]);
        } else if ((match = STATUS_LINE.exec(line))) {
            // A second status line would be ambiguous: only the first counts.
            if (!sawStatus) {
                body.status = toStatus(match[1]);
            }
            sawStatus = true;
        } else if ((match = AUTHOR_LINE.exec(line))) {
            body.author ??= optionalField(match[1], NO_AUTHOR);
        } else if ((match = VERSION_LINE.exec(line))) {
            body.version ??= optionalField(match[1]);
        } else if ((match = LINK_PATH.exec(line))) {
            // The last link counts: Semaphore writes the task link after every field its users fill in
            // (author, version), so a forged link inside a user name cannot redirect the alert.
            body.projectId = toId(match[1]);
            body.templateId = toId(match[2]);
            const task = LINK_TASK.exec(line);
            body.linkTaskId = task ? toId(task[1]) : null;
        }
    }
    if (text.length > MAX_BODY_CHARS) {
        // The real link (always last) may lie beyond what was read, and a link read so far may be one
        // forged inside a long user name: better an unknown project than a wrong one.
        body.projectId = body.templateId = body.linkTaskId = null;
    }
    return body;
}

function toStatus(word: string): TaskStatus | null {
    const status = word.toLowerCase();
    return isTaskStatus(status) ? status : null;
}

function toId(digits: string): number | null {
    const value = Number(digits);
    return Number.isSafeInteger(value) ? value : null;
}

function optionalField(raw: string, meaningNone?: string): string | null {
    const value = raw.trim().slice(0, MAX_FIELD_CHARS);
    return value === "" || value === meaningNone ? null : value;
}

function templateNameFromTitle(title: unknown): string {
    if (typeof title !== "string") {
        return "";
    }
    return title.slice(0, MAX_FIELD_CHARS).replace(TITLE_PREFIX, "").trim();
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
