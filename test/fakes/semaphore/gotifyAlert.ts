/**
 * Semaphore's Gotify alert (PROTOCOLS.md §1), rendered the way Semaphore renders it: by string
 * templating a JSON text. Before v2.20 nothing is escaped, so a template name with `"` or `\`
 * produces invalid JSON and Gotify answers 400: the alert is lost at the source.
 */

export type AlertStatus = "success" | "error" | "waiting_confirmation";

export const ALERT_STATUSES: readonly string[] = ["success", "error", "waiting_confirmation"];

export interface GotifyTarget {
    /** Gotify base URL, e.g. http://127.0.0.1:PORT */
    url: string;
    /** Application token Semaphore posts with. */
    appToken: string;
    /** true = v2.20+: values JSON-escaped and the token sent as X-Gotify-Key. false = older: raw values, `?token=`. */
    jsonEscaping?: boolean;
    /** true renders "✅ SUCCESS" (later versions), false "✅SUCCESS" (v2.10). */
    spacedStatus?: boolean;
}

export interface AlertFacts {
    taskId: number;
    templateName: string;
    status: AlertStatus;
    /** Semaphore user name, or null for a task without one (rendered "—"). */
    author: string | null;
    version: string | null;
    /** `{web_host}/project/{pid}/templates/{tpl}?t={id}`, relative without a web host. */
    link: string;
}

/** What happened to one alert, for assertions. `status` null = Gotify could not be reached. */
export interface GotifyDelivery {
    status: number | null;
    body: string;
}

const STATUS_LABELS: Record<AlertStatus, [emoji: string, word: string]> = {
    success: ["✅", "SUCCESS"],
    error: ["❌", "ERROR"],
    waiting_confirmation: ["⚠️", "WAITING_CONFIRMATION"],
};

export function renderGotifyAlert(facts: AlertFacts, target: Pick<GotifyTarget, "jsonEscaping" | "spacedStatus">): string {
    const value = target.jsonEscaping ? (s: string) => JSON.stringify(s).slice(1, -1) : (s: string) => s;
    const [emoji, word] = STATUS_LABELS[facts.status];
    const result = `${emoji}${target.spacedStatus ? " " : ""}${word}`;
    // `\\n` is the two characters \n inside the JSON text, exactly as in Semaphore's template file.
    const versionLine = facts.version ? `Version: ${value(facts.version)}   \\n` : "";
    return (
        "{\n" +
        `  "message": "Execution #: ${facts.taskId}   \\nStatus: ${result}   \\nAuthor: ${value(facts.author ?? "—")}   \\n` +
        `${versionLine}[Task Link](${value(facts.link)})",\n` +
        `  "title": "Task: ${value(facts.templateName)}",\n` +
        '  "extras": {\n    "client::display": {\n      "contentType": "text/markdown"\n    }\n  }\n' +
        "}"
    );
}

/** One POST, no retry, as Semaphore does it. */
export async function postGotifyAlert(target: GotifyTarget, facts: AlertFacts): Promise<GotifyDelivery> {
    const body = renderGotifyAlert(facts, target);
    const base = target.url.replace(/\/+$/, "");
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    let url = `${base}/message?token=${encodeURIComponent(target.appToken)}`;
    if (target.jsonEscaping) {
        url = `${base}/message`;
        headers["X-Gotify-Key"] = target.appToken;
    }
    try {
        const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(5000) });
        await response.arrayBuffer();
        return { status: response.status, body };
    } catch {
        return { status: null, body };
    }
}
