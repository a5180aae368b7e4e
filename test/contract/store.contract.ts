import { expect } from "chai";
import { RoomSettings, Subscription, TaskWatch } from "../../src/store/TaskRoomStore";
import { DumpableStore, exportStore, importStore } from "../../src/store/StoreDump";

/**
 * The one behaviour every TaskRoomStore must have, run against each implementation.
 *
 * makeStore: a new, not yet initialised store over the current test's storage; every call within one
 *   test reaches the same data (that is how re-opening is tested).
 * cleanup: runs after each test, once the suite closed its stores; the next test must start empty.
 */
export function runTaskRoomStoreContract(name: string, makeStore: () => Promise<DumpableStore>, cleanup: () => Promise<void>): void {
    describe(`TaskRoomStore contract: ${name}`, function () {
        this.timeout(5000);
        const opened: DumpableStore[] = [];
        let store: DumpableStore;

        async function open(): Promise<DumpableStore> {
            const fresh = await makeStore();
            opened.push(fresh);
            await fresh.init();
            return fresh;
        }

        async function reopen(): Promise<DumpableStore> {
            await store.close();
            opened.splice(opened.indexOf(store), 1);
            store = await open();
            return store;
        }

        beforeEach(async () => {
            store = await open();
        });

        afterEach(async () => {
            for (const s of opened.splice(0)) await s.close();
            await cleanup();
        });

        const ROOM_A = "!a:example.org";
        const ROOM_B = "!b:example.org";
        const ROOM_C = "!c:example.org";

        const fullWatch: TaskWatch = {
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
        const minimalWatch = (roomId: string, projectId: number, taskId: number, finished = false): TaskWatch => ({
            roomId,
            projectId,
            taskId,
            finished,
            createdAt: 1_700_000_000_000 + taskId,
        });
        const sub = (roomId: string, projectId: number, templateId?: number, requestedBy?: string): Subscription => ({
            roomId,
            projectId,
            ...(templateId === undefined ? {} : { templateId }),
            ...(requestedBy === undefined ? {} : { requestedBy }),
            createdAt: 1_700_000_001_000,
        });

        describe("watches", () => {
            it("returns nothing for unknown watches and reports missing ones on update and remove", async () => {
                expect(await store.getWatch(ROOM_A, { projectId: 1, taskId: 1 })).to.equal(null);
                expect(await store.getWatchesForTask({ projectId: 1, taskId: 1 })).to.deep.equal([]);
                expect(await store.getWatchesForRoom(ROOM_A)).to.deep.equal([]);
                expect(await store.getUnfinishedWatches()).to.deep.equal([]);
                expect(await store.updateWatch(ROOM_A, { projectId: 1, taskId: 1 }, { finished: true })).to.equal(false);
                expect(await store.updateWatch(ROOM_A, { projectId: 1, taskId: 1 }, {})).to.equal(false);
                expect(await store.removeWatch(ROOM_A, { projectId: 1, taskId: 1 })).to.equal(false);
            });

            it("stores every field exactly, and leaves unset optional fields absent", async () => {
                await store.putWatch(fullWatch);
                await store.putWatch(minimalWatch(ROOM_B, 1, 42));
                expect(await store.getWatch(ROOM_A, { projectId: 1, taskId: 42 })).to.deep.equal(fullWatch);
                expect(await store.getWatch(ROOM_B, { projectId: 1, taskId: 42 })).to.deep.equal(minimalWatch(ROOM_B, 1, 42));
            });

            it("replaces the whole watch on a second put of the same room and task", async () => {
                await store.putWatch(fullWatch);
                const replacement = { ...minimalWatch(ROOM_A, 1, 42, true), templateName: "other" };
                await store.putWatch(replacement);
                expect(await store.getWatch(ROOM_A, { projectId: 1, taskId: 42 })).to.deep.equal(replacement);
                expect(await store.getWatchesForTask({ projectId: 1, taskId: 42 })).to.have.length(1);
            });

            it("lists every room watching a task, and only that task (task ids repeat across projects)", async () => {
                await store.putWatch(minimalWatch(ROOM_C, 1, 42));
                await store.putWatch(minimalWatch(ROOM_A, 1, 42));
                await store.putWatch(minimalWatch(ROOM_B, 1, 42));
                await store.putWatch(minimalWatch(ROOM_A, 2, 42));
                await store.putWatch(minimalWatch(ROOM_A, 1, 43));
                expect(await store.getWatchesForTask({ projectId: 1, taskId: 42 })).to.deep.equal([
                    minimalWatch(ROOM_A, 1, 42),
                    minimalWatch(ROOM_B, 1, 42),
                    minimalWatch(ROOM_C, 1, 42),
                ]);
                expect(await store.getWatchesForTask({ projectId: 2, taskId: 42 })).to.deep.equal([minimalWatch(ROOM_A, 2, 42)]);
            });

            it("updates only the given fields; undefined values and an empty update change nothing", async () => {
                await store.putWatch(fullWatch);
                const ref = { projectId: 1, taskId: 42 };
                expect(await store.updateWatch(ROOM_A, ref, { lastStatus: "success", finished: true, templateName: undefined })).to.equal(true);
                expect(await store.getWatch(ROOM_A, ref)).to.deep.equal({ ...fullWatch, lastStatus: "success", finished: true });
                expect(await store.updateWatch(ROOM_A, ref, { statusEventId: "$new", templateId: 8, templateName: "renamed" })).to.equal(true);
                expect(await store.updateWatch(ROOM_A, ref, {})).to.equal(true);
                expect(await store.getWatch(ROOM_A, ref)).to.deep.equal({
                    ...fullWatch,
                    lastStatus: "success",
                    finished: true,
                    statusEventId: "$new",
                    templateId: 8,
                    templateName: "renamed",
                });
            });

            it("sets fields a watch did not have yet", async () => {
                await store.putWatch(minimalWatch(ROOM_A, 1, 5));
                await store.updateWatch(ROOM_A, { projectId: 1, taskId: 5 }, { lastStatus: "waiting", statusEventId: "$e" });
                expect(await store.getWatch(ROOM_A, { projectId: 1, taskId: 5 })).to.deep.equal({
                    ...minimalWatch(ROOM_A, 1, 5),
                    lastStatus: "waiting",
                    statusEventId: "$e",
                });
            });

            it("removes one room's watch and keeps the other rooms' watches of the task", async () => {
                await store.putWatch(minimalWatch(ROOM_A, 1, 42));
                await store.putWatch(minimalWatch(ROOM_B, 1, 42));
                expect(await store.removeWatch(ROOM_A, { projectId: 1, taskId: 42 })).to.equal(true);
                expect(await store.removeWatch(ROOM_A, { projectId: 1, taskId: 42 })).to.equal(false);
                expect(await store.getWatch(ROOM_A, { projectId: 1, taskId: 42 })).to.equal(null);
                expect(await store.getWatchesForTask({ projectId: 1, taskId: 42 })).to.deep.equal([minimalWatch(ROOM_B, 1, 42)]);
            });

            it("lists a room's watches only (not its subscriptions or settings, not other rooms)", async () => {
                await store.putWatch(minimalWatch(ROOM_A, 2, 1));
                await store.putWatch(minimalWatch(ROOM_A, 1, 9));
                await store.putWatch(minimalWatch(ROOM_B, 1, 9));
                await store.putSubscription(sub(ROOM_A, 1));
                await store.setRoomSettings(ROOM_A, { defaultProjectId: 1 });
                expect(await store.getWatchesForRoom(ROOM_A)).to.deep.equal([minimalWatch(ROOM_A, 1, 9), minimalWatch(ROOM_A, 2, 1)]);
            });

            it("lists unfinished watches until they finish", async () => {
                await store.putWatch(minimalWatch(ROOM_A, 1, 1));
                await store.putWatch(minimalWatch(ROOM_B, 1, 2, true));
                await store.putWatch(minimalWatch(ROOM_B, 1, 1));
                expect(await store.getUnfinishedWatches()).to.deep.equal([minimalWatch(ROOM_A, 1, 1), minimalWatch(ROOM_B, 1, 1)]);
                await store.updateWatch(ROOM_A, { projectId: 1, taskId: 1 }, { finished: true });
                expect(await store.getUnfinishedWatches()).to.deep.equal([minimalWatch(ROOM_B, 1, 1)]);
            });
        });

        describe("subscriptions", () => {
            it("keeps a whole-project and per-template subscriptions of one room side by side", async () => {
                await store.putSubscription(sub(ROOM_A, 1, 7, "@alice:example.org"));
                await store.putSubscription(sub(ROOM_A, 1));
                await store.putSubscription(sub(ROOM_A, 1, 3));
                await store.putSubscription(sub(ROOM_B, 1));
                await store.putSubscription(sub(ROOM_A, 2));
                expect(await store.getSubscriptionsForProject(1)).to.deep.equal([
                    sub(ROOM_A, 1),
                    sub(ROOM_A, 1, 3),
                    sub(ROOM_A, 1, 7, "@alice:example.org"),
                    sub(ROOM_B, 1),
                ]);
                expect(await store.getSubscriptionsForProject(2)).to.deep.equal([sub(ROOM_A, 2)]);
                expect(await store.getSubscriptionsForProject(3)).to.deep.equal([]);
            });

            it("replaces a subscription put again for the same room, project and template", async () => {
                await store.putSubscription(sub(ROOM_A, 1, undefined, "@alice:example.org"));
                await store.putSubscription({ ...sub(ROOM_A, 1, undefined, "@bob:example.org"), createdAt: 5 });
                await store.putSubscription(sub(ROOM_A, 1, 7, "@alice:example.org"));
                await store.putSubscription(sub(ROOM_A, 1, 7));
                expect(await store.getSubscriptionsForRoom(ROOM_A)).to.deep.equal([
                    { ...sub(ROOM_A, 1, undefined, "@bob:example.org"), createdAt: 5 },
                    sub(ROOM_A, 1, 7),
                ]);
            });

            it("removes the whole-project subscription only when no template is given", async () => {
                await store.putSubscription(sub(ROOM_A, 1));
                await store.putSubscription(sub(ROOM_A, 1, 7));
                await store.putSubscription(sub(ROOM_B, 1));
                expect(await store.removeSubscription(ROOM_A, 1)).to.equal(true);
                expect(await store.removeSubscription(ROOM_A, 1)).to.equal(false);
                expect(await store.getSubscriptionsForProject(1)).to.deep.equal([sub(ROOM_A, 1, 7), sub(ROOM_B, 1)]);
            });

            it("removes one template's subscription and reports a missing one", async () => {
                await store.putSubscription(sub(ROOM_A, 1));
                await store.putSubscription(sub(ROOM_A, 1, 7));
                expect(await store.removeSubscription(ROOM_A, 1, 8)).to.equal(false);
                expect(await store.removeSubscription(ROOM_A, 2, 7)).to.equal(false);
                expect(await store.removeSubscription(ROOM_A, 1, 7)).to.equal(true);
                expect(await store.getSubscriptionsForRoom(ROOM_A)).to.deep.equal([sub(ROOM_A, 1)]);
            });

            it("lists a room's subscriptions and all subscriptions", async () => {
                await store.putSubscription(sub(ROOM_B, 2, 5));
                await store.putSubscription(sub(ROOM_A, 3));
                await store.putSubscription(sub(ROOM_B, 1));
                await store.putWatch(minimalWatch(ROOM_B, 1, 1));
                expect(await store.getSubscriptionsForRoom(ROOM_B)).to.deep.equal([sub(ROOM_B, 1), sub(ROOM_B, 2, 5)]);
                expect(await store.getSubscriptionsForRoom(ROOM_C)).to.deep.equal([]);
                expect(await store.getAllSubscriptions()).to.deep.equal([sub(ROOM_A, 3), sub(ROOM_B, 1), sub(ROOM_B, 2, 5)]);
            });
        });

        describe("rooms", () => {
            it("returns empty settings for an unknown room, and replaces settings as a whole", async () => {
                expect(await store.getRoomSettings(ROOM_A)).to.deep.equal({});
                const settings: RoomSettings = { defaultProjectId: 3, lastTask: { projectId: 3, taskId: 99 } };
                await store.setRoomSettings(ROOM_A, settings);
                expect(await store.getRoomSettings(ROOM_A)).to.deep.equal(settings);
                await store.setRoomSettings(ROOM_A, { lastTask: { projectId: 4, taskId: 1 } });
                expect(await store.getRoomSettings(ROOM_A)).to.deep.equal({ lastTask: { projectId: 4, taskId: 1 } });
                expect(await store.getRoomSettings(ROOM_B)).to.deep.equal({});
            });

            it("knows each room with any watch, subscription or settings once, sorted; empty settings do not count", async () => {
                await store.putWatch(minimalWatch(ROOM_C, 1, 1));
                await store.putWatch(minimalWatch(ROOM_C, 1, 2));
                await store.putSubscription(sub(ROOM_B, 1));
                await store.setRoomSettings(ROOM_A, { defaultProjectId: 1 });
                await store.setRoomSettings("!d:example.org", {});
                expect(await store.getKnownRooms()).to.deep.equal([ROOM_A, ROOM_B, ROOM_C]);
                await store.setRoomSettings(ROOM_A, {});
                expect(await store.getRoomSettings(ROOM_A)).to.deep.equal({});
                expect(await store.getKnownRooms()).to.deep.equal([ROOM_B, ROOM_C]);
            });

            it("forgets everything about a removed room and nothing about the others", async () => {
                await store.putWatch(minimalWatch(ROOM_A, 1, 42));
                await store.putWatch(minimalWatch(ROOM_B, 1, 42));
                await store.putSubscription(sub(ROOM_A, 1));
                await store.putSubscription(sub(ROOM_A, 1, 7));
                await store.putSubscription(sub(ROOM_B, 1));
                await store.setRoomSettings(ROOM_A, { defaultProjectId: 1 });
                await store.setRoomSettings(ROOM_B, { defaultProjectId: 2 });
                await store.removeRoom(ROOM_A);
                expect(await store.getWatchesForTask({ projectId: 1, taskId: 42 })).to.deep.equal([minimalWatch(ROOM_B, 1, 42)]);
                expect(await store.getSubscriptionsForProject(1)).to.deep.equal([sub(ROOM_B, 1)]);
                expect(await store.getRoomSettings(ROOM_A)).to.deep.equal({});
                expect(await store.getRoomSettings(ROOM_B)).to.deep.equal({ defaultProjectId: 2 });
                expect(await store.getKnownRooms()).to.deep.equal([ROOM_B]);
                await store.removeRoom("!never-seen:example.org");
            });

            it("counts rooms, watches, unfinished watches and subscriptions", async () => {
                expect(await store.counts()).to.deep.equal({ rooms: 0, watches: 0, unfinishedWatches: 0, subscriptions: 0 });
                await store.putWatch(minimalWatch(ROOM_A, 1, 1));
                await store.putWatch(minimalWatch(ROOM_A, 1, 2, true));
                await store.putWatch(minimalWatch(ROOM_B, 1, 1));
                await store.putSubscription(sub(ROOM_B, 1));
                await store.putSubscription(sub(ROOM_B, 1, 2));
                await store.setRoomSettings(ROOM_C, { defaultProjectId: 1 });
                expect(await store.counts()).to.deep.equal({ rooms: 3, watches: 3, unfinishedWatches: 2, subscriptions: 2 });
            });
        });

        describe("bridge state", () => {
            it("keeps the Gotify cursor as last set, lower values included", async () => {
                expect(await store.getGotifyCursor()).to.equal(null);
                await store.setGotifyCursor(1200);
                expect(await store.getGotifyCursor()).to.equal(1200);
                await store.setGotifyCursor(7);
                expect(await store.getGotifyCursor()).to.equal(7);
                await store.setGotifyCursor(2 ** 40);
                expect(await store.getGotifyCursor()).to.equal(2 ** 40);
            });

            it("keeps state values of any JSON shape under independent keys", async () => {
                const values: Record<string, unknown> = {
                    adminRoom: "!admin:example.org",
                    "mode.source": "polling",
                    $odd: 12.5,
                    flag: false,
                    list: [1, "two", { three: 3 }],
                    nested: { "a.b": { $c: null }, empty: {} },
                };
                expect(await store.getState("adminRoom")).to.equal(null);
                for (const [key, value] of Object.entries(values)) await store.setState(key, value);
                for (const [key, value] of Object.entries(values)) expect(await store.getState(key)).to.deep.equal(value);
                await store.setState("adminRoom", "!other:example.org");
                expect(await store.getState("adminRoom")).to.equal("!other:example.org");
                expect(await store.getState("mode")).to.equal(null);
                expect(await store.listState()).to.have.deep.members(Object.entries({ ...values, adminRoom: "!other:example.org" }).map(([key, value]) => ({ key, value })));
            });

            it("claims an event id once: true the first time, false afterwards", async () => {
                expect(await store.claimEvent("$one:example.org")).to.equal(true);
                expect(await store.claimEvent("$one:example.org")).to.equal(false);
                expect(await store.claimEvent("$two:example.org")).to.equal(true);
            });

            it("lets exactly one of concurrent claims of the same id win", async () => {
                const results = await Promise.all(Array.from({ length: 8 }, () => store.claimEvent("$race:example.org")));
                expect(results.filter(Boolean)).to.have.length(1);
            });

            it("still refuses a claimed id after the store was closed and opened again", async () => {
                expect(await store.claimEvent("$kept:example.org")).to.equal(true);
                await reopen();
                expect(await store.claimEvent("$kept:example.org")).to.equal(false);
                expect(await store.claimEvent("$fresh:example.org")).to.equal(true);
            });
        });

        describe("durability", () => {
            it("keeps everything across close and re-open", async () => {
                await store.putWatch(fullWatch);
                await store.putWatch(minimalWatch(ROOM_B, 1, 42, true));
                await store.updateWatch(ROOM_B, { projectId: 1, taskId: 42 }, { statusEventId: "$x" });
                await store.putSubscription(sub(ROOM_A, 1));
                await store.putSubscription(sub(ROOM_C, 2, 9, "@carol:example.org"));
                await store.removeSubscription(ROOM_A, 1);
                await store.putSubscription(sub(ROOM_B, 1));
                await store.setRoomSettings(ROOM_A, { defaultProjectId: 1, lastTask: { projectId: 1, taskId: 42 } });
                await store.setGotifyCursor(555);
                await store.setState("adminRoom", "!admin:example.org");
                const before = await exportStore(store);
                const countsBefore = await store.counts();

                await reopen();
                expect(await exportStore(store)).to.deep.equal(before);
                expect(await store.counts()).to.deep.equal(countsBefore);
                expect(before.watches).to.have.length(2);
                expect(before.subscriptions).to.have.length(2);
            });

            it("exports what it holds, and importing that into itself again changes nothing", async () => {
                await store.putWatch(fullWatch);
                await store.putSubscription(sub(ROOM_A, 1, 7));
                await store.setRoomSettings(ROOM_B, { defaultProjectId: 2 });
                await store.setGotifyCursor(9);
                await store.setState("k", { v: 1 });
                const dump = await exportStore(store);
                expect(dump).to.deep.equal({
                    watches: [fullWatch],
                    subscriptions: [sub(ROOM_A, 1, 7)],
                    roomSettings: [{ roomId: ROOM_B, settings: { defaultProjectId: 2 } }],
                    gotifyCursor: 9,
                    state: [{ key: "k", value: { v: 1 } }],
                });
                await importStore(store, dump);
                expect(await exportStore(store)).to.deep.equal(dump);
            });
        });
    });
}
