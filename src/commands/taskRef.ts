import { CommandError } from "./Command";
import { TaskRef } from "../monitor/TaskEvent";
import { parsePositiveId } from "../semaphore/ids";
import { quoteInput } from "./quoteInput";

/** The one error parseTaskRef throws: the input is not a task reference. Shown in the room as it is. */
export class TaskRefError extends CommandError {}

/** A task reference as written; `projectId` is null for a bare id (the room's default project applies). */
export interface ParsedTaskRef {
    projectId: number | null;
    taskId: number;
}

const FORMS = "write 42, #42, 3/42 (project/task) or paste the task's link from Semaphore";
// A pasted link: https://host[/base]/project/3/templates/5?t=42, …/project/3/history?t=42, or the
// relative /project/3/… form Semaphore uses when it has no web_host.
const LINK_START = /^(?:https?:\/\/|\/)/i;
// Any base URL for relative links: only the path and query are read.
const PLACEHOLDER_BASE = "http://link.invalid";

function refError(input: string): TaskRefError {
    return new TaskRefError(`${quoteInput(input)} is not a task reference: ${FORMS}.`);
}

function parseLink(input: string): ParsedTaskRef | null {
    let url: URL;
    try {
        url = new URL(input, PLACEHOLDER_BASE);
    } catch {
        return null;
    }
    const segments = url.pathname.split("/");
    const at = segments.lastIndexOf("project");
    const projectId = at >= 0 ? parsePositiveId(segments[at + 1]) : null;
    // Exactly one t: two would leave it unclear which task is meant.
    const ts = url.searchParams.getAll("t");
    const taskId = ts.length === 1 ? parsePositiveId(ts[0]) : null;
    return projectId !== null && taskId !== null ? { projectId, taskId } : null;
}

/**
 * Read `42`, `#42`, `3/42` or a pasted Semaphore task link. Ids are plain positive decimal integers:
 * `-1`, `1e3`, `0x10`, `1/../2`, `3/4/5` are refused with a TaskRefError and nothing else is thrown.
 */
export function parseTaskRef(input: string): ParsedTaskRef {
    const text = input.trim();
    if (LINK_START.test(text)) {
        const link = parseLink(text);
        if (link) return link;
        throw refError(input);
    }
    const bare = parsePositiveId(text.startsWith("#") ? text.slice(1) : text);
    if (bare !== null) return { projectId: null, taskId: bare };
    const parts = text.split("/");
    if (parts.length === 2) {
        const projectId = parsePositiveId(parts[0]);
        const taskId = parsePositiveId(parts[1].startsWith("#") ? parts[1].slice(1) : parts[1]);
        if (projectId !== null && taskId !== null) return { projectId, taskId };
    }
    throw refError(input);
}

/** Complete a bare id with the room's default project, or explain how to name the project. */
export function withDefaultProject(parsed: ParsedTaskRef, defaultProjectId: number | undefined, prefix: string): TaskRef {
    if (parsed.projectId !== null) return { projectId: parsed.projectId, taskId: parsed.taskId };
    if (defaultProjectId === undefined) {
        throw new CommandError(
            `No default project in this room: write <project>/${parsed.taskId} (e.g. 3/${parsed.taskId}), ` +
                `or set one with ${prefix} project <name>.`,
        );
    }
    return { projectId: defaultProjectId, taskId: parsed.taskId };
}
