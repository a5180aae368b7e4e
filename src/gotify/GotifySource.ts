import { Logger } from "matrix-appservice-bridge";
import { GotifyConfig } from "../config/Config";
import { PushSource, SourceHandlers, SourceStatus } from "../monitor/EventSource";
import { ConnectionStatus } from "../net/ConnectionStatus";
import { ReconnectingSocket, SocketTiming, DEFAULT_SOCKET_TIMING } from "../net/ReconnectingSocket";
import { Scheduler, realScheduler } from "../net/Scheduler";
import { websocketUrl } from "../net/websocketUrl";
import { tlsAgentOptions } from "../net/tls";
import { TaskRoomStore } from "../store/TaskRoomStore";
import { alertToTaskEvent } from "./alertEvent";
import { parseGotifyMessage } from "./alertParser";
import { fetchMessagesAfter, newestMessageId } from "./backfill";
import { GotifyClient } from "./GotifyClient";
import { clientTokenRejectedMessage, GotifyError } from "./GotifyError";
import { readMessage } from "./responses";
import { GotifyMessage } from "./types";
import { CursorSaver } from "./CursorSaver";
import { InFlightMessages } from "./InFlightMessages";

const log = new Logger("GotifySource");

export interface GotifySourceTiming {
    socket: SocketTiming;
    /** Messages per backfill request (Gotify allows 1..200). */
    pageSize: number;
    /** Most messages one backfill replays; when more were missed, a reconcile covers the oldest. */
    maxBackfillMessages: number;
    /**
     * Messages handled side by side. The monitor keeps each task's events in order and the sender
     * each room's messages, so alerts of different tasks need not wait for each other's round trips.
     */
    maxConcurrentMessages: number;
    /** How often the cursor is written at most (0: after every message). */
    cursorSaveIntervalMs: number;
}

export const DEFAULT_GOTIFY_TIMING: GotifySourceTiming = {
    socket: { ...DEFAULT_SOCKET_TIMING, liveness: { ...DEFAULT_SOCKET_TIMING.liveness, serverPingMs: 45_000 } },
    pageSize: 100,
    maxBackfillMessages: 5_000,
    maxConcurrentMessages: 64,
    cursorSaveIntervalMs: 250,
};

export interface GotifySourceDeps {
    config: GotifyConfig;
    client: Pick<GotifyClient, "getAppMessages" | "resolveSemaphoreAppId">;
    cursor: Pick<TaskRoomStore, "getGotifyCursor" | "setGotifyCursor">;
    handlers: SourceHandlers;
    timing?: Partial<GotifySourceTiming>;
    scheduler?: Scheduler;
    random?: () => number;
}

/** One stream connection. */
interface Session {
    /** Its connection is gone or failed: nothing more of it may be processed. */
    dead: boolean;
}

/**
 * Task events from Semaphore's Gotify alerts. On every (re)connect: open /stream first, backfill
 * what was missed since the persisted cursor, then process the stream's messages, which waited in
 * the queue behind the backfill; ids already handed to the handlers are duplicates. Messages are
 * handed over in id order and handled side by side; the cursor advances only past messages the
 * handlers accepted, with every earlier one, so a crash or a failure replays rather than skips.
 */
export class GotifySource implements PushSource {
    readonly name = "gotify" as const;
    private readonly timing: GotifySourceTiming;
    private readonly scheduler: Scheduler;
    private readonly socket: ReconnectingSocket;
    private appId: number | null = null;
    /** Every Semaphore message up to this id is handled; null until loaded from the store. */
    private cursor: number | null = null;
    /** Newest message id handed to the handlers in this session. */
    private lastDispatched: number | null = null;
    private session: Session | null = null;
    /** Strictly one step after the other: a connection's backfill, then its stream messages in order. */
    private queue: Promise<void> = Promise.resolve();
    private readonly inFlight: InFlightMessages;
    private readonly cursorSaver: CursorSaver;
    private readonly connection: ConnectionStatus;

    constructor(private readonly deps: GotifySourceDeps) {
        this.timing = { ...DEFAULT_GOTIFY_TIMING, ...deps.timing };
        this.scheduler = deps.scheduler ?? realScheduler;
        this.inFlight = new InFlightMessages(this.timing.maxConcurrentMessages);
        this.cursorSaver = new CursorSaver(deps.cursor, this.scheduler, this.timing.cursorSaveIntervalMs);
        this.connection = new ConnectionStatus("gotify", this.scheduler, (status) => deps.handlers.onConnectionChange(status));
        this.socket = new ReconnectingSocket(
            {
                name: "Gotify stream",
                url: websocketUrl(deps.config.url, "stream"),
                headers: { "X-Gotify-Key": deps.config.clientToken },
                tls: tlsAgentOptions(deps.config),
                timing: this.timing.socket,
                scheduler: this.scheduler,
                random: deps.random,
            },
            {
                onOpen: () => this.opened(),
                onMessage: (text) => this.received(text),
                onDown: (reason) => this.down(reason),
                onAuthFailure: () => this.authFailed(clientTokenRejectedMessage(deps.config.clientToken)),
            },
        );
    }

    async start(): Promise<void> {
        this.socket.start();
    }

    async stop(): Promise<void> {
        this.endSession();
        await this.socket.stop();
        await this.queue;
        await this.inFlight.idle();
        await this.cursorSaver.flush();
        this.connection.down();
    }

    reconnect(): void {
        this.socket.reconnectNow();
    }

    status(): SourceStatus {
        return this.connection.snapshot();
    }

    private opened(): void {
        this.connection.credentialsAccepted();
        this.endSession();
        const session: Session = { dead: false };
        this.session = session;
        this.enqueue(() => this.synchronize(session));
    }

    private received(text: string): void {
        const session = this.session;
        if (!session || session.dead) {
            return;
        }
        let message: unknown;
        try {
            message = JSON.parse(text);
        } catch {
            log.debug("Ignoring a stream frame that is not JSON");
            return;
        }
        this.enqueue(() => this.dispatch(session, message));
    }

    private down(reason: string): void {
        this.endSession();
        this.connection.down(`Gotify stream: ${reason}`);
    }

    private async synchronize(session: Session): Promise<void> {
        if (session.dead) {
            return;
        }
        try {
            // The previous session's messages finish first: the backfill starts where they left the cursor.
            await this.inFlight.idle();
            this.inFlight.reset();
            const appId = await this.semaphoreAppId();
            const cursor = await this.loadCursor(appId);
            this.lastDispatched = cursor;
            const missed = await fetchMessagesAfter(this.deps.client, appId, cursor, {
                pageSize: this.timing.pageSize,
                maxMessages: this.timing.maxBackfillMessages,
            });
            if (missed.truncated) {
                this.deps.handlers.onReconcileNeeded(`gotify backfill stopped after ${this.timing.maxBackfillMessages} messages`);
            }
            for (const message of missed.messages) {
                await this.dispatch(session, message);
            }
            await this.inFlight.idle();
            if (!session.dead) {
                this.connection.up();
                log.info(`Gotify stream live (application ${appId}, cursor ${this.cursor})`);
            }
        } catch (err) {
            if (err instanceof GotifyError && err.kind === "unauthorized") {
                this.authFailed(err.message);
            }
            this.fail(session, `catching up failed: ${describe(err)}`);
        }
    }

    /**
     * Hands one message of the session to the handlers without waiting for them (beyond the limit of
     * messages in flight); a failure ends the session so that nothing after it is skipped.
     */
    private async dispatch(session: Session, raw: unknown): Promise<void> {
        if (session.dead) {
            return;
        }
        const message = readMessage(raw);
        if (!message) {
            log.debug("Ignoring a Gotify message without id or application id");
            return;
        }
        // appId and lastDispatched are set: a session's messages are dispatched only after its synchronize().
        if (message.appid !== this.appId || this.lastDispatched === null || message.id <= this.lastDispatched) {
            return; // another application's message, or one already handed over
        }
        await this.inFlight.slot();
        if (session.dead) {
            return;
        }
        this.lastDispatched = message.id;
        this.inFlight.start(message.id);
        // handle() reaches the monitor synchronously, so each task's events enter it in id order.
        this.handle(message, message.appid).then(
            () => this.handled(message.id),
            (err: unknown) => {
                this.inFlight.failed(message.id);
                this.fail(session, `handling message ${message.id} failed: ${describe(err)}`);
            },
        );
    }

    private handled(id: number): void {
        const cursor = this.inFlight.done(id);
        if (cursor !== null) {
            this.cursor = cursor;
            this.cursorSaver.advance(cursor);
        }
    }

    private async handle(message: GotifyMessage, appId: number): Promise<void> {
        const parsed = parseGotifyMessage(message, appId);
        if (parsed.kind === "task") {
            await this.deps.handlers.onEvent(alertToTaskEvent(parsed.alert, this.scheduler.now()));
            this.connection.eventSeen();
        } else if (parsed.reason === "unparsed") {
            this.deps.handlers.onReconcileNeeded(`unparsed gotify message ${message.id}`);
        }
    }

    private async semaphoreAppId(): Promise<number> {
        this.appId ??= await this.deps.client.resolveSemaphoreAppId(this.deps.config);
        return this.appId;
    }

    /** On the very first start there is no cursor: history is not replayed, only what comes next. */
    private async loadCursor(appId: number): Promise<number> {
        if (this.cursor === null) {
            const stored = await this.deps.cursor.getGotifyCursor();
            if (stored === null) {
                const newest = (await newestMessageId(this.deps.client, appId)) ?? 0;
                await this.deps.cursor.setGotifyCursor(newest);
                this.cursor = newest;
            } else {
                this.cursor = stored;
            }
            this.cursorSaver.loaded(this.cursor);
        }
        return this.cursor;
    }

    private fail(session: Session, reason: string): void {
        if (session.dead) {
            return;
        }
        session.dead = true;
        log.warn(`Gotify: ${reason}`);
        // The drop ends the connection; down() then records the reason.
        if (this.session === session) {
            this.socket.drop(reason);
        }
    }

    private endSession(): void {
        if (this.session) {
            this.session.dead = true;
            this.session = null;
        }
    }

    private authFailed(message: string): void {
        this.connection.authRejected(message);
        this.deps.handlers.onAuthFailure(message);
    }

    private enqueue(work: () => Promise<void>): void {
        this.queue = this.queue.then(work, work);
    }
}

function describe(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}
