import { TaskRef } from "../monitor/TaskEvent";

/**
 * How the NeDB store maps the domain onto RoomBridgeStore entries (rooms.db). Every entry's matrix_id
 * is the room and its id starts with the room, so a room's entries are one range of the unique `id`
 * index; remote_id names what the room follows, so the hot paths are one indexed lookup each:
 *   watch         id "{room} task:{pid}:{tid}",                remote_id "task:{pid}:{tid}",  data = the TaskWatch
 *   subscription  id "{room} project:{pid}[ template:{tid}]",  remote_id "project:{pid}",     data = the Subscription
 *   settings      id "{room} settings",                        no remote_id,                  data = the RoomSettings
 */
export const TASK_PREFIX = "task:";
export const PROJECT_PREFIX = "project:";
export const taskRemoteId = (ref: TaskRef) => `${TASK_PREFIX}${ref.projectId}:${ref.taskId}`;
export const projectRemoteId = (projectId: number) => `${PROJECT_PREFIX}${projectId}`;
export const watchEntryId = (roomId: string, ref: TaskRef) => `${roomId} ${taskRemoteId(ref)}`;
export const subscriptionEntryId = (roomId: string, projectId: number, templateId?: number) =>
    `${roomId} ${projectRemoteId(projectId)}` + (templateId === undefined ? "" : ` template:${templateId}`);
export const settingsEntryId = (roomId: string) => `${roomId} settings`;

/** Strings that start with `prefix`: a range NeDB answers from an index. */
function startingWith(prefix: string) {
    const last = prefix.length - 1;
    return { $gte: prefix, $lt: prefix.slice(0, last) + String.fromCharCode(prefix.charCodeAt(last) + 1) };
}

/**
 * Query for a room's entries, all or of one kind (TASK_PREFIX, PROJECT_PREFIX). matrix_id is compared
 * too, for a room id that is another's followed by a space.
 */
export const roomEntries = (roomId: string, kind = "") => ({ id: startingWith(`${roomId} ${kind}`), matrix_id: roomId });
