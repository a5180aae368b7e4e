import { expect } from "chai";
import { ContractContext, ROOM_A, ROOM_B, ROOM_C, fullWatch, minimalWatch, sub } from "./fixtures";

/** Contract part: task watches. */
export function watchContract(ctx: ContractContext): void {
    describe("watches", () => {
        it("returns nothing for unknown watches and reports missing ones on update and remove", async () => {
            expect(await ctx.store.getWatch(ROOM_A, { projectId: 1, taskId: 1 })).to.equal(null);
            expect(await ctx.store.getWatchesForTask({ projectId: 1, taskId: 1 })).to.deep.equal([]);
            expect(await ctx.store.getWatchesForRoom(ROOM_A)).to.deep.equal([]);
            expect(await ctx.store.getUnfinishedWatches()).to.deep.equal([]);
            expect(await ctx.store.updateWatch(ROOM_A, { projectId: 1, taskId: 1 }, { finished: true })).to.equal(false);
            expect(await ctx.store.updateWatch(ROOM_A, { projectId: 1, taskId: 1 }, {})).to.equal(false);
            expect(await ctx.store.removeWatch(ROOM_A, { projectId: 1, taskId: 1 })).to.equal(false);
        });

        it("stores every field exactly, and leaves unset optional fields absent", async () => {
            await ctx.store.putWatch(fullWatch);
            await ctx.store.putWatch(minimalWatch(ROOM_B, 1, 42));
            expect(await ctx.store.getWatch(ROOM_A, { projectId: 1, taskId: 42 })).to.deep.equal(fullWatch);
            expect(await ctx.store.getWatch(ROOM_B, { projectId: 1, taskId: 42 })).to.deep.equal(minimalWatch(ROOM_B, 1, 42));
        });

        it("replaces the whole watch on a second put of the same room and task", async () => {
            await ctx.store.putWatch(fullWatch);
            const replacement = { ...minimalWatch(ROOM_A, 1, 42, true), templateName: "other" };
            await ctx.store.putWatch(replacement);
            expect(await ctx.store.getWatch(ROOM_A, { projectId: 1, taskId: 42 })).to.deep.equal(replacement);
            expect(await ctx.store.getWatchesForTask({ projectId: 1, taskId: 42 })).to.have.length(1);
        });

        it("lists every room watching a task, and only that task (task ids repeat across projects)", async () => {
            await ctx.store.putWatch(minimalWatch(ROOM_C, 1, 42));
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 42));
            await ctx.store.putWatch(minimalWatch(ROOM_B, 1, 42));
            await ctx.store.putWatch(minimalWatch(ROOM_A, 2, 42));
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 43));
            expect(await ctx.store.getWatchesForTask({ projectId: 1, taskId: 42 })).to.deep.equal([
                minimalWatch(ROOM_A, 1, 42),
                minimalWatch(ROOM_B, 1, 42),
                minimalWatch(ROOM_C, 1, 42),
            ]);
            expect(await ctx.store.getWatchesForTask({ projectId: 2, taskId: 42 })).to.deep.equal([minimalWatch(ROOM_A, 2, 42)]);
        });

        it("updates only the given fields; undefined values and an empty update change nothing", async () => {
            await ctx.store.putWatch(fullWatch);
            const ref = { projectId: 1, taskId: 42 };
            expect(await ctx.store.updateWatch(ROOM_A, ref, { lastStatus: "success", finished: true, templateName: undefined })).to.equal(true);
            expect(await ctx.store.getWatch(ROOM_A, ref)).to.deep.equal({ ...fullWatch, lastStatus: "success", finished: true });
            expect(await ctx.store.updateWatch(ROOM_A, ref, { statusEventId: "$new", templateId: 8, templateName: "renamed" })).to.equal(true);
            expect(await ctx.store.updateWatch(ROOM_A, ref, {})).to.equal(true);
            expect(await ctx.store.getWatch(ROOM_A, ref)).to.deep.equal({
                ...fullWatch,
                lastStatus: "success",
                finished: true,
                statusEventId: "$new",
                templateId: 8,
                templateName: "renamed",
            });
        });

        it("sets fields a watch did not have yet", async () => {
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 5));
            await ctx.store.updateWatch(ROOM_A, { projectId: 1, taskId: 5 }, { lastStatus: "waiting", statusEventId: "$e" });
            expect(await ctx.store.getWatch(ROOM_A, { projectId: 1, taskId: 5 })).to.deep.equal({
                ...minimalWatch(ROOM_A, 1, 5),
                lastStatus: "waiting",
                statusEventId: "$e",
            });
        });

        it("removes one room's watch and keeps the other rooms' watches of the task", async () => {
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 42));
            await ctx.store.putWatch(minimalWatch(ROOM_B, 1, 42));
            expect(await ctx.store.removeWatch(ROOM_A, { projectId: 1, taskId: 42 })).to.equal(true);
            expect(await ctx.store.removeWatch(ROOM_A, { projectId: 1, taskId: 42 })).to.equal(false);
            expect(await ctx.store.getWatch(ROOM_A, { projectId: 1, taskId: 42 })).to.equal(null);
            expect(await ctx.store.getWatchesForTask({ projectId: 1, taskId: 42 })).to.deep.equal([minimalWatch(ROOM_B, 1, 42)]);
        });

        it("lists a room's watches only (not its subscriptions or settings, not other rooms)", async () => {
            await ctx.store.putWatch(minimalWatch(ROOM_A, 2, 1));
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 9));
            await ctx.store.putWatch(minimalWatch(ROOM_B, 1, 9));
            await ctx.store.putSubscription(sub(ROOM_A, 1));
            await ctx.store.setRoomSettings(ROOM_A, { defaultProjectId: 1 });
            expect(await ctx.store.getWatchesForRoom(ROOM_A)).to.deep.equal([minimalWatch(ROOM_A, 1, 9), minimalWatch(ROOM_A, 2, 1)]);
        });

        it("lists unfinished watches until they finish", async () => {
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 1));
            await ctx.store.putWatch(minimalWatch(ROOM_B, 1, 2, true));
            await ctx.store.putWatch(minimalWatch(ROOM_B, 1, 1));
            expect(await ctx.store.getUnfinishedWatches()).to.deep.equal([minimalWatch(ROOM_A, 1, 1), minimalWatch(ROOM_B, 1, 1)]);
            await ctx.store.updateWatch(ROOM_A, { projectId: 1, taskId: 1 }, { finished: true });
            expect(await ctx.store.getUnfinishedWatches()).to.deep.equal([minimalWatch(ROOM_B, 1, 1)]);
        });

        it("lists a watch again when it is updated or put back to unfinished, with its latest fields", async () => {
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 1, true));
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 2, true));
            await ctx.store.updateWatch(ROOM_A, { projectId: 1, taskId: 1 }, { finished: false, lastStatus: "running" });
            await ctx.store.putWatch({ ...minimalWatch(ROOM_A, 1, 2), templateName: "Deploy" });
            await ctx.store.updateWatch(ROOM_A, { projectId: 1, taskId: 2 }, { statusEventId: "$status" });
            expect(await ctx.store.getUnfinishedWatches()).to.deep.equal([
                { ...minimalWatch(ROOM_A, 1, 1), lastStatus: "running" },
                { ...minimalWatch(ROOM_A, 1, 2), templateName: "Deploy", statusEventId: "$status" },
            ]);
            expect((await ctx.store.counts()).unfinishedWatches).to.equal(2);
        });

        it("neither lists nor counts removed watches and the watches of a removed room as unfinished", async () => {
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 1));
            await ctx.store.putWatch(minimalWatch(ROOM_A, 1, 2));
            await ctx.store.putWatch(minimalWatch(ROOM_B, 1, 1));
            await ctx.store.putWatch(minimalWatch(ROOM_C, 1, 1));
            await ctx.store.removeWatch(ROOM_C, { projectId: 1, taskId: 1 });
            await ctx.store.removeRoom(ROOM_A);
            expect(await ctx.store.getUnfinishedWatches()).to.deep.equal([minimalWatch(ROOM_B, 1, 1)]);
            expect((await ctx.store.counts()).unfinishedWatches).to.equal(1);
        });

        it("lists as unfinished exactly the watches it holds as unfinished after concurrent writes", async () => {
            const ref = { projectId: 1, taskId: 1 };
            await ctx.store.putWatch(minimalWatch(ROOM_B, 1, 1));
            await Promise.all([
                ctx.store.putWatch(minimalWatch(ROOM_A, 1, 1)),
                ctx.store.updateWatch(ROOM_A, ref, { finished: true }),
                ctx.store.updateWatch(ROOM_A, ref, { lastStatus: "running" }),
                ctx.store.putWatch(minimalWatch(ROOM_A, 1, 2)),
                ctx.store.removeWatch(ROOM_B, ref),
                ctx.store.putWatch(minimalWatch(ROOM_B, 1, 1, true)),
                ctx.store.updateWatch(ROOM_B, ref, { finished: false }),
                ctx.store.removeRoom(ROOM_C),
            ]);
            const held = [await ctx.store.getWatch(ROOM_A, ref), await ctx.store.getWatch(ROOM_A, { projectId: 1, taskId: 2 }), await ctx.store.getWatch(ROOM_B, ref)];
            const unfinished = held.filter((watch) => watch !== null && !watch.finished);
            expect(await ctx.store.getUnfinishedWatches()).to.deep.equal(unfinished);
            expect((await ctx.store.counts()).unfinishedWatches).to.equal(unfinished.length);
        });
    });
}
