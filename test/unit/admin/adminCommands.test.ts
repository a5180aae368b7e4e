import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAdminCommandTable } from "../../../src/admin/commands/table";
import { AdminServices } from "../../../src/admin/commands/AdminServices";
import { CommandRouter, RoomResponder } from "../../../src/commands/CommandRouter";
import { MODE_STATE_KEY } from "../../../src/compose/monitoring";
import { parseConfig } from "../../../src/config/loadConfig";
import { BridgeConfig } from "../../../src/config/Config";
import { TextContent } from "../../../src/matrix/formatting";
import { Permissions } from "../../../src/permissions";
import { createTaskRoomStore } from "../../../src/store";
import { TaskRoomStore } from "../../../src/store/TaskRoomStore";
import { BOT, FakeAdminMatrix, FakeSources, pollStatus } from "./fakes";

const ADMIN_ROOM = "!admin:hs.test";
const OPS = "!ops:hs.test";
const DEV = "!dev:hs.test";
const ADMIN = "@admin:hs.test";
const USER = "@user:hs.test";
const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);

function config(withGotify: boolean): BridgeConfig {
    return parseConfig(
        {
            homeserver: { url: "http://127.0.0.1:1", domain: "hs.test" },
            semaphore: { url: "http://127.0.0.1:2", apiToken: "secret-semaphore-token" },
            ...(withGotify ? { gotify: { url: "http://127.0.0.1:3", clientToken: "Csecret" } } : {}),
            monitor: { source: withGotify ? "gotify" : "polling" },
        },
        {},
        tmpdir(),
    );
}

/** The admin table behind a real CommandRouter, over a NeDB store and fakes of Matrix and the sources. */
describe("admin commands", () => {
    let dataDir: string;
    let store: TaskRoomStore;
    let matrix: FakeAdminMatrix;
    let sources: FakeSources;
    let sent: { roomId: string; body?: string; reaction?: string }[];
    let versionCalls: number;

    beforeEach(async () => {
        dataDir = mkdtempSync(join(tmpdir(), "msb-admin-"));
        store = createTaskRoomStore({ engine: "nedb" }, dataDir);
        await store.init();
        matrix = new FakeAdminMatrix();
        matrix.addRoom(ADMIN_ROOM, { [BOT]: "join", [ADMIN]: "join" }, "Semaphore bridge admin");
        matrix.addRoom(OPS, { [BOT]: "join", [USER]: "join" }, "Ops <team>");
        matrix.addRoom(DEV, { [BOT]: "join", [USER]: "join" });
        matrix.aliases.set("#ops:hs.test", OPS);
        sources = new FakeSources();
        sent = [];
        versionCalls = 0;
    });

    afterEach(async () => {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
    });

    function router(withGotify = false): CommandRouter<AdminServices> {
        const responder: RoomResponder = {
            async sendMessage(roomId: string, content: TextContent) {
                sent.push({ roomId, body: content.body });
                return `$sent${sent.length}`;
            },
            async react(roomId: string, _eventId: string, key: string) {
                sent.push({ roomId, reaction: key });
            },
        };
        const services: AdminServices = {
            config: config(withGotify),
            store,
            sources,
            matrix,
            isAdminRoom: (roomId) => roomId === ADMIN_ROOM,
            versions: async () => {
                versionCalls++;
                return { bridge: "0.1.0", semaphore: "v2.10.31", gotify: "not configured", homeserver: "Synapse 1.2.3" };
            },
            now: () => NOW,
        };
        const permissions = new Permissions([
            { actor: ADMIN, level: "admin" },
            { actor: USER, level: "manage" },
        ]);
        return new CommandRouter("!cd", buildAdminCommandTable(), permissions, responder, services);
    }

    /** The bodies of the messages the command made. */
    async function run(body: string, opts: { sender?: string; withGotify?: boolean } = {}): Promise<string[]> {
        const before = sent.length;
        await router(opts.withGotify).handle({ roomId: ADMIN_ROOM, sender: opts.sender ?? ADMIN, eventId: "$cmd", body });
        return sent.slice(before).filter((s) => s.body !== undefined).map((s) => s.body!);
    }

    async function watch(roomId: string, taskId: number, finished = false): Promise<void> {
        await store.putWatch({ roomId, projectId: 3, taskId, templateName: "Deploy web", lastStatus: finished ? "success" : "running", finished, createdAt: NOW });
    }

    it("refuses everything but help to users below admin", async () => {
        expect(await run("!cd rooms", { sender: USER })).to.deep.equal(['!cd rooms needs the "admin" permission level; you have "manage".']);
    });

    describe("status", () => {
        it("shows the sources, the store counts and the versions", async () => {
            await watch(OPS, 41);
            await store.putSubscription({ roomId: DEV, projectId: 3, createdAt: NOW });
            sources.current = { mode: "polling", fallbackActive: false, sources: [pollStatus({ lastEventAt: NOW - 4_000 })] };
            expect(await run("!cd status")).to.deep.equal([
                [
                    "Bridge status:",
                    "Mode: polling, fallback polling off",
                    "• Semaphore polling: working; last event 4s ago",
                    "Store:",
                    "• rooms 2, watches 1 (1 unfinished), subscriptions 1",
                    "Versions:",
                    "• bridge 0.1.0",
                    "• Semaphore v2.10.31",
                    "• Gotify not configured",
                    "• homeserver Synapse 1.2.3",
                ].join("\n"),
            ]);
            expect(versionCalls).to.equal(1);
        });
    });

    describe("mode", () => {
        it("shows the current and the configured mode", async () => {
            sources.current = { ...sources.current, mode: "semaphore" };
            expect(await run("!cd mode")).to.deep.equal(["Mode: semaphore (configured: polling)."]);
        });

        it("switches the sources and remembers the mode for the next start", async () => {
            expect(await run("!cd mode Semaphore")).to.deep.equal(["Switched from polling to semaphore mode; it is kept across restarts."]);
            expect(sources.calls).to.deep.equal(["setMode semaphore"]);
            expect(await store.getState(MODE_STATE_KEY)).to.equal("semaphore");
        });

        it("refuses an unknown mode, and gotify without a gotify section, changing nothing", async () => {
            expect(await run("!cd mode websocket")).to.deep.equal(['There is no mode "websocket"; the modes are gotify, semaphore and polling.']);
            expect(await run("!cd mode gotify")).to.deep.equal(["The gotify mode needs a gotify section in the bridge's configuration."]);
            expect(sources.calls).to.deep.equal([]);
            expect(await store.getState(MODE_STATE_KEY)).to.equal(null);
        });

        it("accepts gotify when Gotify is configured", async () => {
            expect(await run("!cd mode gotify", { withGotify: true })).to.deep.equal(["Switched from polling to gotify mode; it is kept across restarts."]);
        });
    });

    describe("reconnect", () => {
        it("reconnects the active push source, named or not", async () => {
            sources.current = { ...sources.current, mode: "gotify" };
            expect(await run("!cd reconnect")).to.deep.equal(["Reconnecting the Gotify stream."]);
            expect(await run("!cd reconnect gotify")).to.deep.equal(["Reconnecting the Gotify stream."]);
            expect(sources.calls).to.deep.equal(["reconnect", "reconnect"]);
        });

        it("polls at once in polling mode", async () => {
            expect(await run("!cd reconnect poll")).to.deep.equal(["Polling Semaphore now."]);
            expect(sources.calls).to.deep.equal(["reconnect"]);
        });

        it("refuses a source that is not active, or does not exist", async () => {
            sources.current = { ...sources.current, mode: "semaphore" };
            expect(await run("!cd reconnect gotify")).to.deep.equal([
                "The Gotify stream is not in use: the active source is the Semaphore WebSocket. Use !cd mode gotify to switch.",
            ]);
            expect(await run("!cd reconnect ntfy")).to.deep.equal(['There is no source "ntfy"; the sources are gotify, semaphore and polling.']);
            expect(sources.calls).to.deep.equal([]);
        });
    });

    describe("rooms and leave", () => {
        it("lists every room the bot is in with what it follows", async () => {
            await watch(OPS, 41);
            await watch(OPS, 40, true);
            await store.putSubscription({ roomId: OPS, projectId: 3, templateId: 7, createdAt: NOW });
            await store.setRoomSettings(DEV, { defaultProjectId: 5 });
            matrix.addRoom("!aaa:hs.test", { [BOT]: "join" });
            matrix.addRoom("!gone:hs.test", { [BOT]: "leave" });
            expect(await run("!cd rooms")).to.deep.equal([
                [
                    "The bot is in 4 rooms:",
                    `• Semaphore bridge admin (${ADMIN_ROOM}): this admin room`,
                    "• !aaa:hs.test: follows nothing",
                    `• ${DEV}: follows default project 5`,
                    `• Ops <team> (${OPS}): follows 2 tasks (1 unfinished), template 7 of project 3`,
                ].join("\n"),
            ]);
        });

        it("leaves a room by alias and forgets what it followed", async () => {
            await watch(OPS, 41);
            await store.putSubscription({ roomId: OPS, projectId: 3, createdAt: NOW });
            expect(await run("!cd leave #ops:hs.test")).to.deep.equal([`Left Ops <team> (${OPS}); forgot what it followed: 1 task (1 unfinished), project 3.`]);
            expect(matrix.calls).to.deep.equal([`leave ${OPS}: An admin of the Semaphore bridge asked me to leave this room.`]);
            expect(await store.getWatchesForRoom(OPS)).to.deep.equal([]);
            expect(await store.getSubscriptionsForRoom(OPS)).to.deep.equal([]);
        });

        it("refuses the admin room, rooms it is not in, unknown aliases and words that are no room", async () => {
            expect(await run(`!cd leave ${ADMIN_ROOM}`)).to.deep.equal([
                "I stay in the admin room. To get rid of it, leave it yourself; !cd admin in a direct chat with me makes a new one.",
            ]);
            expect(await run("!cd leave !elsewhere:hs.test")).to.deep.equal(["I am not in !elsewhere:hs.test."]);
            expect(await run("!cd leave #nope:hs.test")).to.deep.equal(["No room has the alias #nope:hs.test."]);
            expect(await run("!cd leave ops")).to.deep.equal(['"ops" is not a room: give a room id (!abc:server) or an alias (#name:server).']);
            expect(await run("!cd leave")).to.have.length(1);
            expect(matrix.calls).to.deep.equal([]);
        });
    });

    describe("watches", () => {
        it("lists unfinished watches of every room, by room and task", async () => {
            await watch(OPS, 41);
            await watch(DEV, 12);
            await watch(OPS, 40, true);
            expect(await run("!cd watches")).to.deep.equal([
                [
                    "Unfinished watches:",
                    `• task 12 in project 3 (Deploy web) — 🔄 running — in ${DEV}`,
                    `• task 41 in project 3 (Deploy web) — 🔄 running — in ${OPS}`,
                ].join("\n"),
            ]);
        });

        it("shows everything one room follows, finished tasks included", async () => {
            await watch(OPS, 41);
            await watch(OPS, 40, true);
            await store.putSubscription({ roomId: OPS, projectId: 3, createdAt: NOW });
            expect(await run("!cd watches #ops:hs.test")).to.deep.equal([
                [
                    `${OPS} follows:`,
                    "Tasks:",
                    "• task 40 in project 3 (Deploy web) — ✅ succeeded — finished",
                    "• task 41 in project 3 (Deploy web) — 🔄 running",
                    "Subscriptions:",
                    "• project 3",
                ].join("\n"),
            ]);
        });

        it("says when nothing is watched", async () => {
            expect(await run("!cd watches")).to.deep.equal(["No room watches an unfinished task."]);
            expect(await run(`!cd watches ${DEV}`)).to.deep.equal([`${DEV} follows no tasks and no projects.`]);
        });
    });
});
