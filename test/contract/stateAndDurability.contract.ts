import { expect } from "chai";
import { exportStore, importStore } from "../../src/store/StoreDump";
import { ContractContext, ROOM_A, ROOM_B, ROOM_C, fullWatch, minimalWatch, sub } from "./fixtures";

/** Contract part: cursor, state values, claimed events, persistence and dumps. */
export function stateAndDurabilityContract(ctx: ContractContext): void {
    describe("bridge state", () => {
        it("keeps the Gotify cursor as last set, lower values included", async () => {
            expect(await ctx.store.getGotifyCursor()).to.equal(null);
            await ctx.store.setGotifyCursor(1200);
            expect(await ctx.store.getGotifyCursor()).to.equal(1200);
            await ctx.store.setGotifyCursor(7);
            expect(await ctx.store.getGotifyCursor()).to.equal(7);
            await ctx.store.setGotifyCursor(2 ** 40);
            expect(await ctx.store.getGotifyCursor()).to.equal(2 ** 40);
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
            expect(await ctx.store.getState("adminRoom")).to.equal(null);
            for (const [key, value] of Object.entries(values)) await ctx.store.setState(key, value);
            for (const [key, value] of Object.entries(values)) expect(await ctx.store.getState(key)).to.deep.equal(value);
            await ctx.store.setState("adminRoom", "!other:example.org");
            expect(await ctx.store.getState("adminRoom")).to.equal("!other:example.org");
            expect(await ctx.store.getState("mode")).to.equal(null);
            expect(await ctx.store.listState()).to.have.deep.members(Object.entries({ ...values, adminRoom: "!other:example.org" }).map(([key, value]) => ({ key, value })));
        });

        it("claims an event id once: true the first time, false afterwards", async () => {
            expect(await ctx.store.claimEvent("$one:example.org")).to.equal(true);
            expect(await ctx.store.claimEvent("$one:example.org")).to.equal(false);
            expect(await ctx.store.claimEvent("$two:example.org")).to.equal(true);
        });

        it("lets exactly one of concurrent claims of the same id win", async () => {
            const results = await Promise.all(Array.from({ length: 8 }, () => ctx.store.claimEvent("$race:example.org")));
            expect(results.filter(Boolean)).to.have.length(1);
        });

        it("still refuses a claimed id after the store was closed and opened again", async () => {
            expect(await ctx.store.claimEvent("$kept:example.org")).to.equal(true);
            await ctx.reopen();
            expect(await ctx.store.claimEvent("$kept:example.org")).to.equal(false);
            expect(await ctx.store.claimEvent("$fresh:example.org")).to.equal(true);
        });
    });

    describe("durability", () => {
        it("keeps everything across close and re-open", async () => {
            await ctx.store.putWatch(fullWatch);
            await ctx.store.putWatch(minimalWatch(ROOM_B, 1, 42, true));
            await ctx.store.updateWatch(ROOM_B, { projectId: 1, taskId: 42 }, { statusEventId: "$x" });
            await ctx.store.putSubscription(sub(ROOM_A, 1));
            await ctx.store.putSubscription(sub(ROOM_C, 2, 9, "@carol:example.org"));
            await ctx.store.removeSubscription(ROOM_A, 1);
            await ctx.store.putSubscription(sub(ROOM_B, 1));
            await ctx.store.setRoomSettings(ROOM_A, { defaultProjectId: 1, lastTask: { projectId: 1, taskId: 42 } });
            await ctx.store.setGotifyCursor(555);
            await ctx.store.setState("adminRoom", "!admin:example.org");
            const before = await exportStore(ctx.store);
            const countsBefore = await ctx.store.counts();

            await ctx.reopen();
            expect(await exportStore(ctx.store)).to.deep.equal(before);
            expect(await ctx.store.counts()).to.deep.equal(countsBefore);
            expect(before.watches).to.have.length(2);
            expect(before.subscriptions).to.have.length(2);
        });

        it("exports what it holds, and importing that into itself again changes nothing", async () => {
            await ctx.store.putWatch(fullWatch);
            await ctx.store.putSubscription(sub(ROOM_A, 1, 7));
            await ctx.store.setRoomSettings(ROOM_B, { defaultProjectId: 2 });
            await ctx.store.setGotifyCursor(9);
            await ctx.store.setState("k", { v: 1 });
            const dump = await exportStore(ctx.store);
            expect(dump).to.deep.equal({
                watches: [fullWatch],
                subscriptions: [sub(ROOM_A, 1, 7)],
                roomSettings: [{ roomId: ROOM_B, settings: { defaultProjectId: 2 } }],
                gotifyCursor: 9,
                state: [{ key: "k", value: { v: 1 } }],
            });
            await importStore(ctx.store, dump);
            expect(await exportStore(ctx.store)).to.deep.equal(dump);
        });
    });
}
