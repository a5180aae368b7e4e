/**
 * Matrix event content exactly as a user's client receives it from the bridge, spelled out for deep
 * equality. Written from the protocol (m.replace, m.annotation, m.mentions), not from the bridge's
 * own builders, so a change in what rooms see fails the e2e tests.
 */

export type Content = Record<string, unknown>;

/** The namespaced machine-readable task facts every task message carries. */
export const TASK_FACTS_KEY = "io.github.matrix-semaphore-bridge.task";

export interface TaskFacts {
    projectId: number;
    taskId: number;
    templateId: number;
    status: string;
    url: string;
}

/** An m.notice with HTML; `m.mentions` names exactly `mentions` (empty: nobody is pinged). */
export function notice(body: string, html: string, mentions: string[] = []): Content {
    return {
        msgtype: "m.notice",
        body,
        format: "org.matrix.custom.html",
        formatted_body: html,
        "m.mentions": mentions.length > 0 ? { user_ids: mentions } : {},
    };
}

/** A task message: one line (plain and HTML), the task's link on a second plain line, and the facts. */
export function taskNotice(plain: string, html: string, facts: TaskFacts, mentions: string[] = []): Content {
    // A task message that mentions someone is m.text: push rules never notify for m.notice.
    const msgtype = mentions.length > 0 ? "m.text" : "m.notice";
    return { ...notice(`${plain}\n${facts.url}`, html, mentions), msgtype, [TASK_FACTS_KEY]: facts };
}

/** The edit that replaces `originalEventId` with `content`: "* " fallback, new content, and no pings. */
export function replacement(originalEventId: string, content: Content): Content {
    const { "m.mentions": _ignored, ...rest } = content;
    return {
        ...rest,
        body: `* ${String(content.body)}`,
        formatted_body: `* ${String(content.formatted_body)}`,
        "m.new_content": { ...rest, "m.mentions": {} },
        "m.mentions": {},
        "m.relates_to": { rel_type: "m.replace", event_id: originalEventId },
    };
}

/** A reaction (✅ / ⛔ on a command). */
export function reaction(eventId: string, key: string): Content {
    return { "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key } };
}
