import type { BridgeConfig } from "../config/Config";
import type { TaskRoomStore } from "../store/TaskRoomStore";
import type { SemaphoreClient } from "../semaphore/SemaphoreClient";
import type { TaskRef } from "../monitor/TaskEvent";
import type { SemaphoreTask } from "../semaphore/types";
import type { TextContent } from "../matrix/formatting";

/** The result of asking whether something answers. */
export interface Probe {
    ok: boolean;
    /** "answered in 12 ms" or a sentence an operator can act on; never a token. */
    detail: string;
}

export type ConfirmationAnswer = "yes" | "no" | "timeout";

/** Asks the requester of a destructive command to confirm (reply yes/no or react 👍/👎). */
export interface Confirmations {
    /** Resolves "yes" at once when confirmations are turned off in config. */
    ask(roomId: string, userId: string, question: TextContent): Promise<ConfirmationAnswer>;
}

/** Starting to follow a task: store the watch and get its current status into the room promptly. */
export interface TaskWatcher {
    watch(roomId: string, ref: TaskRef, requestedBy: string, task?: SemaphoreTask): Promise<void>;
    unwatch(roomId: string, ref: TaskRef): Promise<boolean>;
}

/** Everything command handlers may use. Built in main.ts; tests build it from real parts and simulators. */
export interface CommandServices {
    config: BridgeConfig;
    store: TaskRoomStore;
    semaphore: SemaphoreClient;
    watcher: TaskWatcher;
    confirmations: Confirmations;
    checkHomeserver(): Promise<Probe>;
    checkSemaphore(): Promise<Probe>;
}
