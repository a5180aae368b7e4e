import { isTaskStatus } from "../monitor/TaskEvent";
import { SemaphoreOutputLine, SemaphoreProject, SemaphoreTask, SemaphoreTemplate } from "./types";

/**
 * Light checks of what Semaphore answered. A proxy's HTML page or a changed API must become a
 * clear error here, not a crash deep in the monitor. Each reader returns undefined when unreadable.
 */

export interface SemaphoreInfo {
    version: string;
    [field: string]: unknown;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasNumericId(value: unknown): value is Json & { id: number } {
    return isRecord(value) && typeof value.id === "number";
}

function listOf<T>(data: unknown, item: (value: unknown) => T | undefined): T[] | undefined {
    if (!Array.isArray(data)) {
        return undefined;
    }
    const items = data.map(item);
    return items.every((x) => x !== undefined) ? (items as T[]) : undefined;
}

export function readInfo(data: unknown): SemaphoreInfo | undefined {
    return isRecord(data) && typeof data.version === "string" ? (data as SemaphoreInfo) : undefined;
}

export function readProject(data: unknown): SemaphoreProject | undefined {
    return hasNumericId(data) && typeof data.name === "string" ? (data as unknown as SemaphoreProject) : undefined;
}

export function readTemplate(data: unknown): SemaphoreTemplate | undefined {
    return hasNumericId(data) && typeof data.name === "string" ? (data as unknown as SemaphoreTemplate) : undefined;
}

/** A task whose status this bridge does not know is unreadable: the monitor relies on the TaskStatus type. */
export function readTask(data: unknown): SemaphoreTask | undefined {
    return hasNumericId(data) && typeof data.project_id === "number" && isTaskStatus(data.status)
        ? (data as unknown as SemaphoreTask)
        : undefined;
}

export function readOutputLine(data: unknown): SemaphoreOutputLine | undefined {
    return isRecord(data) && typeof data.output === "string" ? (data as unknown as SemaphoreOutputLine) : undefined;
}

export const readProjects = (data: unknown) => listOf(data, readProject);
export const readTemplates = (data: unknown) => listOf(data, readTemplate);
export const readOutput = (data: unknown) => listOf(data, readOutputLine);

/**
 * `tasks/last` entries: one task of a status unknown to this bridge (a newer Semaphore) is left
 * out rather than hiding every other task of the project. `skipped` counts them for a log line.
 */
export function readTaskList(data: unknown): { tasks: SemaphoreTask[]; skipped: number } | undefined {
    if (!Array.isArray(data) || !data.every(hasNumericId)) {
        return undefined;
    }
    const tasks = data.map(readTask).filter((t): t is SemaphoreTask => t !== undefined);
    return { tasks, skipped: data.length - tasks.length };
}
