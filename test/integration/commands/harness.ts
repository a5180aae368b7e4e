import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BridgeConfig } from "../../../src/config/Config";
import { CommandRouter, RoomResponder } from "../../../src/commands/CommandRouter";
import { Confirmations } from "../../../src/commands/Confirmations";
import { CommandServices, TaskWatcher } from "../../../src/commands/services";
import { taskCommands } from "../../../src/commands/taskTable";
import { TextContent } from "../../../src/matrix/formatting";
import { TaskRef } from "../../../src/monitor/TaskEvent";
import { Permissions } from "../../../src/permissions";
import { SemaphoreClient } from "../../../src/semaphore/SemaphoreClient";
import { SemaphoreTask } from "../../../src/semaphore/types";
import { createTaskRoomStore } from "../../../src/store";
import { TaskRoomStore } from "../../../src/store/TaskRoomStore";
import { RecordedRequest, SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";
import { ManualScheduler } from "../../unit/net/ManualScheduler";

export const ROOM = "!ops:example.org";
export const OTHER_ROOM = "!dev:example.org";
export const ALICE = "@alice:example.org"; // manage
export const BOB = "@bob:example.org"; // commands
/** The bridge's clock in these tests; the simulator's clock is fixed at SIM_TIME. */
export const NOW = Date.parse("2026-03-01T12:00:00Z");
export const SIM_TIME = new Date("2026-03-01T11:55:00Z");
export const CONFIRM_SECONDS = 30;

export interface Sent {
    roomId: string;
    content?: TextContent;
    reaction?: { eventId: string; key: string };
}

/** Records what the bridge says in rooms; message event ids are $sent1, $sent2, … */
class RecordingResponder implements RoomResponder {
    readonly sent: Sent[] = [];
    async sendMessage(roomId: string, content: TextContent): Promise<string> {
        this.sent.push({ roomId, content });
        return `$sent${this.sent.length}`;
    }
    async react(roomId: string, eventId: string, key: string): Promise<void> {
        this.sent.push({ roomId, reaction: { eventId, key } });
    }
}

/** Stands in for the monitor's TaskWatcher: records calls and keeps watches in the real store. */
export class RecordingWatcher implements TaskWatcher {
    readonly calls: unknown[][] = [];
    constructor(private readonly store: () => TaskRoomStore) {}
    async watch(roomId: string, ref: TaskRef, requestedBy: string, task?: SemaphoreTask): Promise<void> {
        this.calls.push(["watch", roomId, ref, requestedBy, task?.status]);
        await this.store().putWatch({ roomId, ...ref, templateId: task?.template_id, requestedBy, lastStatus: task?.status, finished: false, createdAt: NOW });
    }
    async unwatch(roomId: string, ref: TaskRef): Promise<boolean> {
        this.calls.push(["unwatch", roomId, ref]);
        return this.store().removeWatch(roomId, ref);
    }
}

function bridgeConfig(semaphoreUrl: string, confirm: boolean): BridgeConfig {
    return {
        homeserver: { url: "http://127.0.0.1:1", domain: "example.org" },
        bridge: { port: 0, bindAddress: "127.0.0.1", displayName: "Semaphore", dataDir: "." },
        commands: { prefix: "!cd", confirm, confirmTimeoutSeconds: CONFIRM_SECONDS },
        logging: { level: "error" },
        permissions: [
            { actor: ALICE, level: "manage" },
            { actor: "example.org", level: "commands" },
        ],
        semaphore: { url: semaphoreUrl, apiToken: "sem-token", requestTimeoutMs: 2000, ignoreSsl: false },
        monitor: {
            source: "polling",
            fallbackPollIntervalSeconds: 10,
            pollIntervalSeconds: 10,
            startingPollIntervalSeconds: 2,
            reconcileIntervalSeconds: 60,
        },
        database: { engine: "nedb" },
        metrics: { enabled: false, port: 0, bindAddress: "127.0.0.1", path: "/metrics" },
        admin: { sourceDownAlertMinutes: 5 },
    };
}

/**
 * The task commands wired as main.ts wires them: the real router, SemaphoreClient against the
 * Semaphore simulator, the NeDB store in a temporary directory, real Confirmations on a manual clock.
 */
export class CommandHarness {
    sim!: SemaphoreSimulator;
    store!: TaskRoomStore;
    responder!: RecordingResponder;
    watcher!: RecordingWatcher;
    confirmations!: Confirmations;
    scheduler!: ManualScheduler;
    private router!: CommandRouter<CommandServices>;
    private dataDir = "";
    private eventCounter = 0;
    private requestsSeen = 0;

    async setUp(options: { confirm?: boolean } = {}): Promise<void> {
        this.sim = new SemaphoreSimulator({ now: () => SIM_TIME, stopDelayMs: 5 });
        this.requestsSeen = 0;
        await this.sim.start();
        this.dataDir = mkdtempSync(join(tmpdir(), "msb-commands-"));
        this.store = createTaskRoomStore({ engine: "nedb" }, this.dataDir);
        await this.store.init();
        this.responder = new RecordingResponder();
        this.watcher = new RecordingWatcher(() => this.store);
        this.scheduler = new ManualScheduler();
        const config = bridgeConfig(this.sim.url, options.confirm ?? true);
        this.confirmations = new Confirmations({
            send: (roomId, content) => this.responder.sendMessage(roomId, content),
            enabled: config.commands.confirm,
            timeoutMs: config.commands.confirmTimeoutSeconds * 1000,
            scheduler: this.scheduler,
        });
        const services: CommandServices = {
            config,
            store: this.store,
            semaphore: new SemaphoreClient(config.semaphore, { retries: 0 }),
            watcher: this.watcher,
            confirmations: this.confirmations,
            checkHomeserver: async () => ({ ok: true, detail: "unused" }),
            checkSemaphore: async () => ({ ok: true, detail: "unused" }),
        };
        const commands = taskCommands({ now: () => NOW });
        this.router = new CommandRouter("!cd", commands, new Permissions(config.permissions), this.responder, services);
    }

    async tearDown(): Promise<void> {
        this.confirmations.close();
        await this.store.close();
        await this.sim.stop();
        rmSync(this.dataDir, { recursive: true, force: true });
    }

    /** A user's message in a room; resolves when the command is done (answer confirmations first). */
    command(body: string, sender = ALICE, roomId = ROOM): Promise<void> {
        return this.router.handle({ roomId, sender, eventId: `$cmd${++this.eventCounter}`, body });
    }

    /** Starts a command that asks for confirmation; resolves once the question is out, with the command's completion. */
    async commandAsking(body: string, sender = ALICE): Promise<{ done: Promise<void> }> {
        const done = this.command(body, sender);
        await this.until(() => this.confirmations.pendingCount === 1 && this.questions().length > 0);
        return { done };
    }

    /** Runs a command that asks for confirmation, answering with a message once the question is out. */
    async commandAnswering(body: string, answer: string, sender = ALICE): Promise<void> {
        const { done } = await this.commandAsking(body, sender);
        await this.confirmations.onEvent({
            type: "m.room.message",
            room_id: ROOM,
            sender,
            event_id: `$answer${++this.eventCounter}`,
            content: { msgtype: "m.text", body: answer },
        });
        await done;
    }

    /** Bodies of the messages the bridge sent (questions, replies, errors), in order. */
    messages(): string[] {
        return this.responder.sent.flatMap((s) => (s.content ? [s.content.body] : []));
    }

    lastMessage(): TextContent {
        const messages = this.responder.sent.filter((s) => s.content);
        return messages[messages.length - 1].content!;
    }

    questions(): string[] {
        return this.messages().filter((body) => body.includes("\nReply yes or no"));
    }

    reactions(): string[] {
        return this.responder.sent.flatMap((s) => (s.reaction ? [s.reaction.key] : []));
    }

    /** "METHOD /path" of every API request since the last call, with bodies of POSTs. */
    takeRequests(): Array<string | [string, unknown]> {
        const requests: RecordedRequest[] = this.sim.requests.slice(this.requestsSeen);
        this.requestsSeen = this.sim.requests.length;
        return requests.map((r) => {
            const line = `${r.method} ${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ""}`;
            return r.method === "POST" ? [line, r.body] : line;
        });
    }

    async until(check: () => boolean, ms = 2000): Promise<void> {
        const deadline = Date.now() + ms;
        while (!check()) {
            if (Date.now() > deadline) throw new Error("Timed out waiting in the command harness");
            await new Promise((resolve) => setTimeout(resolve, 2));
        }
    }
}
