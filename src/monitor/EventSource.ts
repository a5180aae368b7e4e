import { TaskEvent } from "./TaskEvent";

export type SourceName = "gotify" | "semaphore" | "poll";

/** What an operator sees about a source (admin room `status`, metrics, health). */
export interface SourceStatus {
    name: SourceName;
    connected: boolean;
    /** Epoch ms of the last change of `connected`. */
    since: number | null;
    /** Epoch ms of the last task event this source produced. */
    lastEventAt: number | null;
    /** Last problem in words an operator can act on (never contains a token). */
    lastError?: string;
}

/** How a source hands over what it learns. Sources know their protocol and nothing of Matrix. */
export interface SourceHandlers {
    /** Resolves once the event is accepted; a push source advances its cursor only after that. */
    onEvent(event: TaskEvent): Promise<void>;
    /** Something arrived that may concern watched tasks but could not be read: ask the API. */
    onReconcileNeeded(reason: string): void;
    onConnectionChange(status: SourceStatus): void;
    /** A token was rejected (401): which token, what to check. */
    onAuthFailure(message: string): void;
}

/** A push source (Gotify stream or Semaphore's WebSocket). Exactly one is active at a time. */
export interface PushSource {
    readonly name: Exclude<SourceName, "poll">;
    start(): Promise<void>;
    stop(): Promise<void>;
    /** Drop the current connection and connect again now (admin `reconnect`). */
    reconnect(): void;
    status(): SourceStatus;
}
