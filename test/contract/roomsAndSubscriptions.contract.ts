import { expect } from "chai";
import { RoomSettings } from "../../src/store/TaskRoomStore";
import { ContractContext, ROOM_A, ROOM_B, ROOM_C, minimalWatch, sub } from "./fixtures";

/** Contract part: subscriptions, room settings, known rooms, counts. */
export function roomsAndSubscriptionsContract(ctx: ContractContext): void {
    describe("subscriptions", () => {
        it("keeps a whole-project and per-template subscriptions of one room side by side", async () => {
            await ctx.store.putSubscription(sub(ROOM_A, 1, 7, "@alice:example.org"));
            await ctx.store.putSubscription(sub(ROOM_A, 1));
            await ctx.store.putSubscription(sub(ROOM_A, 1, 3));
            await ctx.store.putSubscription(sub(ROOM_B, 1));
            await ctx.store.putSubscription(sub(ROOM_A, 2));
            expect(await ctx.store.getSubscriptionsForProject(1)).to.deep.equal([
                sub(ROOM_A, 1),
                sub(ROOM_A, 1, 3),
                sub(ROOM_A, 1, 7, "@alice:example.org"),
                sub(ROOM_B, 1),
            ]);
            expect(await ctx.store.getSubscriptionsForProject(2)).to.deep.equal([sub(ROOM_A, 2)]);
            expect(await ctx.store.getSubscriptionsForProject(3)).to.deep.equal([]);
        });

        it("replaces a subscription put again for the same room, project and template", async () => {
            await ctx.store.putSubscription(sub(ROOM_A, 1, undefined, "@alice:example.org"));
            await ctx.store.putSubscription({ ...sub(ROOM_A, 1, undefined, "@bob:example.org"), createdAt: 5 });
            await ctx.store.putSubscription(sub(ROOM_A, 1, 7, "@alice:example.org"));
            await ctx.store.putSubscription(sub(ROOM_A, 1, 7));
            expect(await ctx.store.getSubscriptionsForRoom(ROOM_A)).to.deep.equal([
                { ...sub(ROOM_A, 1, undefined, "@bob:example.org"), createdAt: 5 },
                sub(ROOM_A, 1, 7),
            ]);
        });

        it("removes the whole-project subscription only when no template is given", async () => {
            await ctx.store.putSubscription(sub(ROOM_A, 1));
            await ctx.store.putSubscription(sub(ROOM_A, 1, 7));
            await ctx.store.putSubscription(sub(ROOM_B, 1));
            expect(await ctx.store.removeSubscription(ROOM_A, 1)).to.equal(true);
            expect(await ctx.store.removeSubscription(ROOM_A, 1)).to.equal(false);
            expect(await ctx.store.getSubscriptionsForProject(1)).to.deep.equal([sub(ROOM_A, 1, 7), sub(ROOM_B, 1)]);
        });

        it("removes one template's subscription and reports a missing one", async () => {
            await ctx.store.putSubscription(sub(ROOM_A, 1));
            await ctx.store.putSubscription(sub(ROOM_A, 1, 7));
            expect(await ctx.store.removeSubscription(ROOM_A, 1, 8)).to.equal(false);
            expect(await ctx.store.removeSubscription(ROOM_A, 2, 7)).to.equal(false);
            expect(await ctx.store.removeSubscription(ROOM_A, 1, 7)).to.equal(true);
            expect(await ctx.store.getSubscriptionsForRoom(ROOM_A)).to.deep.equal([sub(ROOM_A, 1)]);
        });

        it("lists a room's subscriptions and all subscriptions", async () => {
            await ctx.store.putSubscription(sub(ROOM_B, 2, 5));
            await ctx.store.putSubscription(sub(ROOM_A, 3));
            await ctx.store.putSubscription(sub(ROOM_B, 1));
            await ctx.store.putWatch(minimalWatch(ROOM_B, 1, 1));
            expect(await ctx.store.getSubscriptionsForRoom(ROOM_B)).to.deep.equal([sub(ROOM_B, 1), sub(ROOM_B, 2, 5)]);
            expect(await ctx.store.getSubscriptionsForRoom(ROOM_C)).to.deep.equal([]);
            expect(await ctx.store.getAllSubscriptions()).to.deep.equal([sub(ROOM_A, 3), sub(ROOM_B, 1), sub(ROOM_B, 2, 5)]);
        });
    });

    describe("rooms", () => {
        it("returns empty settings for an unknown room, and replaces settings as a whole", async () => {
            expect(await ctx.store.getRoomSettings(ROOM_A)).to.deep.equal({});
            const settings: RoomSettings = { defaultProjectId: 3, lastTask: { projectId: 3, taskId: 99 } };
            await ctx.store.setRoomSettings(ROOM_A, settings);
            expect(await ctx.store.getRoomSettings(ROOM_A)).to.deep.equal(settings);
            await ctx.store.setRoomSettings(ROOM_A, { lastTask: { projectId: 4, taskId: 1 } });
            expect(await ctx.store.getRoomSettings(ROOM_A)).to.deep.equal({ lastTask: { projectId: 4, taskId: 1 } });
            expect(await ctx.store.getRoomSettings(ROOM_B)).to.deep.equal({});
        });

        it("knows each room with any watch, subscription or settings once, sorted; empty settings do not count", async () => {
            await ctx.store.putWatch(minimalWatch(ROOM_C, 1, 1));
            await ctx.store.putWatch(minimalWatch(ROOM_C, 1, 2));
            await ctx.store.putSubscription(sub(ROOM_B, 1));
            await ctx.store.setRoomSettings(ROOM_A, { defaultProjectId: 1 });
            await ctx.store.setRoomSettings("!d:example.org", {});
            expect(await ctx.store.getKnownRooms()).to.deep.equal([ROOM_A, ROOM_B, ROOM_C]);
            await ctx.store.setRoomSettings(ROOM_A, {});
            expect(await ctx.store.getRoomSettings(ROOM_A)).to.deep.equal({});
            expect(await ctx.store.getKnownRooms()).to.deep.equal([ROOM_B, ROOM_C]);
        });

        it("forgets everything about a removed room and nothing about the others", async () => {
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 42));
            await ctx.store.putWatch(minimalWatch(ROOM_B, 1, 42));
            await ctx.store.putSubscription(sub(ROOM_A, 1));
            await ctx.store.putSubscription(sub(ROOM_A, 1, 7));
            await ctx.store.putSubscription(sub(ROOM_B, 1));
            await ctx.store.setRoomSettings(ROOM_A, { defaultProjectId: 1 });
            await ctx.store.setRoomSettings(ROOM_B, { defaultProjectId: 2 });
            await ctx.store.removeRoom(ROOM_A);
            expect(await ctx.store.getWatchesForTask({ projectId: 1, taskId: 42 })).to.deep.equal([minimalWatch(ROOM_B, 1, 42)]);
            expect(await ctx.store.getSubscriptionsForProject(1)).to.deep.equal([sub(ROOM_B, 1)]);
            expect(await ctx.store.getRoomSettings(ROOM_A)).to.deep.equal({});
            expect(await ctx.store.getRoomSettings(ROOM_B)).to.deep.equal({ defaultProjectId: 2 });
            expect(await ctx.store.getKnownRooms()).to.deep.equal([ROOM_B]);
            await ctx.store.removeRoom("!never-seen:example.org");
        });

        it("counts rooms, watches, unfinished watches and subscriptions", async () => {
            expect(await ctx.store.counts()).to.deep.equal({ rooms: 0, watches: 0, unfinishedWatches: 0, subscriptions: 0 });
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 1));
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 2, true));
            await ctx.store.putWatch(minimalWatch(ROOM_B, 1, 1));
            await ctx.store.putSubscription(sub(ROOM_B, 1));
            await ctx.store.putSubscription(sub(ROOM_B, 1, 2));
            await ctx.store.setRoomSettings(ROOM_C, { defaultProjectId: 1 });
            expect(await ctx.store.counts()).to.deep.equal({ rooms: 3, watches: 3, unfinishedWatches: 2, subscriptions: 2 });
        });
    });
}
