import { expect } from "chai";
import { InFlightMessages } from "../../../src/gotify/InFlightMessages";

describe("InFlightMessages", () => {
    it("moves the cursor only past messages that are done with every one before them", () => {
        const messages = new InFlightMessages(10);
        for (const id of [3, 5, 8]) messages.start(id);
        expect(messages.done(5)).to.equal(null);
        expect(messages.done(3)).to.equal(5);
        expect(messages.done(8)).to.equal(8);
        expect(messages.size).to.equal(0);
    });

    it("never moves the cursor past a failed message, until reset() starts over", () => {
        const messages = new InFlightMessages(10);
        for (const id of [1, 2, 3]) messages.start(id);
        expect(messages.done(1)).to.equal(1);
        messages.failed(2);
        expect(messages.done(3)).to.equal(null);
        messages.reset();
        messages.start(2);
        expect(messages.done(2)).to.equal(2);
    });

    it("refuses ids out of order and a reset while messages run", () => {
        const messages = new InFlightMessages(10);
        messages.start(7);
        expect(() => messages.start(7)).to.throw("Gotify message 7 started after 7");
        expect(() => messages.reset()).to.throw("while messages are running");
    });

    it("slot() waits while `limit` messages run; idle() until none does", async () => {
        const messages = new InFlightMessages(2);
        messages.start(1);
        messages.start(2);
        let slotFree = false;
        let idle = false;
        void messages.slot().then(() => (slotFree = true));
        void messages.idle().then(() => (idle = true));
        await Promise.resolve();
        expect([slotFree, idle]).to.deep.equal([false, false]);
        messages.done(2);
        await new Promise((resolve) => setImmediate(resolve));
        expect([slotFree, idle]).to.deep.equal([true, false]);
        messages.failed(1);
        await new Promise((resolve) => setImmediate(resolve));
        expect(idle).to.equal(true);
    });
});
