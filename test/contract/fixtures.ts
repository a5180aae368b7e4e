import { Subscription, TaskWatch } from "../../src/store/TaskRoomStore";
import { DumpableStore } from "../../src/store/StoreDump";

/** What each part of the contract gets: the store under test, and a way to close and re-open it. */
export interface ContractContext {
    readonly store: DumpableStore;
    reopen(): Promise<DumpableStore>;
}

export const ROOM_A = "!a:example.org";
export const ROOM_B = "!b:example.org";
export const ROOM_C = "!c:example.org";

export const fullWatch: TaskWatch = {
    roomId: ROOM_A,
    projectId: 1,
    taskId: 42,
    templateId: 7,
    templateName: `Deploy "prod" #3 — running.* $x`,
    requestedBy: "@alice:example.org",
    lastStatus: "running",
    statusEventId: "$status:example.org",
    finished: false,
    createdAt: 1_700_000_000_123,
};
export const minimalWatch = (roomId: string, projectId: number, taskId: number, finished = false): TaskWatch => ({
    roomId,
    projectId,
    taskId,
    finished,
    createdAt: 1_700_000_000_000 + taskId,
});
export const sub = (roomId: string, projectId: number, templateId?: number, requestedBy?: string): Subscription => ({
    roomId,
    projectId,
    ...(templateId === undefined ? {} : { templateId }),
    ...(requestedBy === undefined ? {} : { requestedBy }),
    createdAt: 1_700_000_001_000,
});
