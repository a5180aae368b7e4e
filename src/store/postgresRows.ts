import { TaskStatus } from "../monitor/TaskEvent";
import { RoomSettings, Subscription, TaskWatch, TaskWatchUpdate } from "./TaskRoomStore";
import { normalizeSettings, normalizeSubscription, normalizeWatch } from "./records";

/** Rows of the tables in postgresSchema.ts and their conversion to and from the domain records. */

export interface WatchRow {
    room_id: string;
    project_id: number;
    task_id: number;
    template_id: number | null;
    template_name: string | null;
    requested_by: string | null;
    last_status: string | null;
    status_event_id: string | null;
    finished: boolean;
    /** BIGINT arrives as a string. */
    created_at: string | number;
}

export interface SubscriptionRow {
    room_id: string;
    project_id: number;
    template_id: number | null;
    requested_by: string | null;
    created_at: string | number;
}

export interface SettingsRow {
    room_id: string;
    default_project_id: number | null;
    last_task_project_id: number | null;
    last_task_id: number | null;
}

export function watchRow(watch: TaskWatch): WatchRow {
    return {
        room_id: watch.roomId,
        project_id: watch.projectId,
        task_id: watch.taskId,
        template_id: watch.templateId ?? null,
        template_name: watch.templateName ?? null,
        requested_by: watch.requestedBy ?? null,
        last_status: watch.lastStatus ?? null,
        status_event_id: watch.statusEventId ?? null,
        finished: watch.finished,
        created_at: watch.createdAt,
    };
}

export function watchOf(row: WatchRow): TaskWatch {
    return normalizeWatch({
        roomId: row.room_id,
        projectId: row.project_id,
        taskId: row.task_id,
        templateId: row.template_id ?? undefined,
        templateName: row.template_name ?? undefined,
        requestedBy: row.requested_by ?? undefined,
        lastStatus: (row.last_status ?? undefined) as TaskStatus | undefined,
        statusEventId: row.status_event_id ?? undefined,
        finished: row.finished,
        createdAt: Number(row.created_at),
    });
}

const UPDATE_COLUMNS: Record<keyof Required<TaskWatchUpdate>, keyof WatchRow> = {
    templateId: "template_id",
    templateName: "template_name",
    lastStatus: "last_status",
    statusEventId: "status_event_id",
    finished: "finished",
};

/** Column values for the fields an update changes (callers pass definedUpdate(update)). */
export function watchUpdateColumns(update: TaskWatchUpdate): Partial<WatchRow> {
    return Object.fromEntries(
        Object.entries(update).map(([field, value]) => [UPDATE_COLUMNS[field as keyof TaskWatchUpdate], value]),
    ) as Partial<WatchRow>;
}

export function subscriptionRow(sub: Subscription): SubscriptionRow {
    return {
        room_id: sub.roomId,
        project_id: sub.projectId,
        template_id: sub.templateId ?? null,
        requested_by: sub.requestedBy ?? null,
        created_at: sub.createdAt,
    };
}

export function subscriptionOf(row: SubscriptionRow): Subscription {
    return normalizeSubscription({
        roomId: row.room_id,
        projectId: row.project_id,
        templateId: row.template_id ?? undefined,
        requestedBy: row.requested_by ?? undefined,
        createdAt: Number(row.created_at),
    });
}

export function settingsRow(roomId: string, settings: RoomSettings): SettingsRow {
    return {
        room_id: roomId,
        default_project_id: settings.defaultProjectId ?? null,
        last_task_project_id: settings.lastTask?.projectId ?? null,
        last_task_id: settings.lastTask?.taskId ?? null,
    };
}

export function settingsOf(row: SettingsRow): RoomSettings {
    const hasLastTask = row.last_task_project_id !== null && row.last_task_id !== null;
    return normalizeSettings({
        defaultProjectId: row.default_project_id ?? undefined,
        lastTask: hasLastTask ? { projectId: row.last_task_project_id!, taskId: row.last_task_id! } : undefined,
    });
}
