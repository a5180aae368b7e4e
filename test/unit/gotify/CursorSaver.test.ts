import { expect } from "chai";
import { CursorSaver } from "../../../src/gotify/CursorSaver";
import { ManualScheduler } from "../net/ManualScheduler";

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("CursorSaver", () => {
    let writes: number[];
    let failing: boolean;
    const store = {
        async setGotifyCursor(id: number) {
            if (failing) throw new Error("ENOSPC: no space left on device");
            writes.push(id);
        },
    };

    beforeEach(() => {
        writes = [];
        failing = false;
    });

    it("writes the latest cursor once per interval, however often it moves", async () => {
        const scheduler = new ManualScheduler();
        const saver = new CursorSaver(store, scheduler, 250);
        saver.loaded(10);
        for (let id = 11; id <= 40; id++) saver.advance(id);
        await settle();
        expect(writes).to.deep.equal([]);
        scheduler.advance(250);
        await settle();
        expect(writes).to.deep.equal([40]);
        saver.advance(41);
        scheduler.advance(249);
        await settle();
        expect(writes).to.deep.equal([40]);
        scheduler.advance(1);
        await settle();
        expect(writes).to.deep.equal([40, 41]);
    });

    it("flush() writes what is not saved at once, and nothing when all is saved", async () => {
        const saver = new CursorSaver(store, new ManualScheduler(), 250);
        saver.loaded(5);
        await saver.flush();
        expect(writes).to.deep.equal([]);
        saver.advance(6);
        await saver.flush();
        expect(writes).to.deep.equal([6]);
    });

    it("keeps going when the store cannot write, and saves the latest value once it can", async () => {
        const saver = new CursorSaver(store, new ManualScheduler(), 0);
        saver.loaded(1);
        failing = true;
        saver.advance(2);
        await saver.flush();
        expect(writes).to.deep.equal([]);
        failing = false;
        saver.advance(3);
        await saver.flush();
        expect(writes).to.deep.equal([3]);
    });
});
