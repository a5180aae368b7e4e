import { expect } from "chai";
import { UnfinishedWatches } from "../../../src/store/UnfinishedWatches";
import { TaskWatch } from "../../../src/store/TaskRoomStore";

const watch = (roomId: string, taskId: number, finished = false, lastStatus?: TaskWatch["lastStatus"]): TaskWatch => ({
    roomId,
    projectId: 1,
    taskId,
    ...(lastStatus === undefined ? {} : { lastStatus }),
    finished,
    createdAt: taskId,
});

/** A write whose outcome the test decides. */
function pendingWrite<T>() {
    let succeed!: (value: T) => void;
    let fail!: (err: Error) => void;
    const promise = new Promise<T>((resolve, reject) => {
        succeed = resolve;
        fail = reject;
    });
    return { promise, succeed, fail };
}

const nothingToRead = async (): Promise<TaskWatch[]> => [];
/** Lets every pending promise reaction run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("UnfinishedWatches", () => {
    it("starts with the loaded watches that are unfinished, and lists copies in watch order", () => {
        const unfinished = new UnfinishedWatches([watch("!b:x", 1), watch("!a:x", 2), watch("!a:x", 1, true)], nothingToRead);
        expect(unfinished.size).to.equal(2);
        const listed = unfinished.list();
        expect(listed).to.deep.equal([watch("!a:x", 2), watch("!b:x", 1)]);
        listed[0].lastStatus = "error";
        expect(unfinished.list()[0]).to.deep.equal(watch("!a:x", 2));
    });

    it("keeps a recorded watch while unfinished and forgets it once finished or removed", () => {
        const unfinished = new UnfinishedWatches([], nothingToRead);
        unfinished.record(watch("!a:x", 1));
        unfinished.record(watch("!a:x", 2));
        unfinished.record(watch("!a:x", 1, false, "running"));
        expect(unfinished.list()).to.deep.equal([watch("!a:x", 1, false, "running"), watch("!a:x", 2)]);
        unfinished.record(watch("!a:x", 1, true));
        unfinished.forget("!a:x", { projectId: 1, taskId: 2 });
        expect(unfinished.list()).to.deep.equal([]);
    });

    it("forgets one room's watches and keeps the other rooms'", () => {
        const unfinished = new UnfinishedWatches([watch("!a:x", 1), watch("!a:x", 2), watch("!b:x", 1)], nothingToRead);
        unfinished.forgetRoom("!a:x");
        expect(unfinished.list()).to.deep.equal([watch("!b:x", 1)]);
    });

    it("follows one room's writes in the order they were started, whichever settles first", async () => {
        const unfinished = new UnfinishedWatches([], nothingToRead);
        const first = pendingWrite<string>();
        const second = pendingWrite<string>();
        const followed = Promise.all([
            unfinished.follow("!a:x", first.promise, () => unfinished.record(watch("!a:x", 1))),
            unfinished.follow("!a:x", second.promise, () => unfinished.record(watch("!a:x", 1, true))),
        ]);
        second.succeed("second");
        await settle();
        expect(unfinished.size, "nothing applied before the first write settled").to.equal(0);
        first.succeed("first");
        expect(await followed).to.deep.equal(["first", "second"]);
        expect(unfinished.list(), "the later write (finished) wins").to.deep.equal([]);
    });

    it("after a failed write takes the room as the store now holds it, and fails like the write", async () => {
        const heldNow = [watch("!a:x", 1, false, "running")];
        const unfinished = new UnfinishedWatches([watch("!a:x", 1), watch("!a:x", 2), watch("!b:x", 1)], async (roomId) =>
            roomId === "!a:x" ? heldNow : [],
        );
        let applied = false;
        const failure = new Error("ENOSPC: no space left on device");
        const outcome = await unfinished.follow("!a:x", Promise.reject(failure), () => (applied = true)).catch((err: unknown) => err);
        expect(outcome).to.equal(failure);
        expect(applied).to.equal(false);
        expect(unfinished.list()).to.deep.equal([watch("!a:x", 1, false, "running"), watch("!b:x", 1)]);
    });

    it("does not let a write that fails while it waits its turn count as an unhandled rejection", async () => {
        const unhandled: unknown[] = [];
        const onUnhandled = (reason: unknown) => unhandled.push(reason);
        process.on("unhandledRejection", onUnhandled);
        try {
            const unfinished = new UnfinishedWatches([], nothingToRead);
            const slow = pendingWrite<void>();
            const first = unfinished.follow("!a:x", slow.promise, () => undefined);
            const failing = pendingWrite<void>();
            const second = unfinished.follow("!a:x", failing.promise, () => undefined);
            failing.fail(new Error("disk full"));
            await settle();
            await settle();
            slow.succeed();
            await first;
            expect(await second.then(() => "resolved", (err: Error) => err.message)).to.equal("disk full");
            await settle();
            expect(unhandled).to.deep.equal([]);
        } finally {
            process.off("unhandledRejection", onUnhandled);
        }
    });
});
