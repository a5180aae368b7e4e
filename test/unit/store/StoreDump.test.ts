import { expect } from "chai";
import { StoreDump, checkCopy } from "../../../src/store/StoreDump";

const source: StoreDump = {
    watches: [
        { roomId: "!a:x", projectId: 1, taskId: 1, finished: false, createdAt: 1 },
        { roomId: "!a:x", projectId: 1, taskId: 2, finished: true, createdAt: 2 },
    ],
    subscriptions: [
        { roomId: "!a:x", projectId: 1, createdAt: 1 },
        { roomId: "!a:x", projectId: 1, templateId: 4, createdAt: 1 },
    ],
    roomSettings: [{ roomId: "!a:x", settings: { defaultProjectId: 1 } }],
    gotifyCursor: 10,
    state: [{ key: "k", value: { deep: [1] } }],
};

describe("checkCopy", () => {
    it("finds a complete copy complete, even when the target holds more", () => {
        const target: StoreDump = {
            ...source,
            watches: [...source.watches, { roomId: "!b:x", projectId: 1, taskId: 1, finished: false, createdAt: 3 }],
        };
        expect(checkCopy(source, target)).to.deep.equal([
            { kind: "watches", expected: 2, matching: 2 },
            { kind: "subscriptions", expected: 2, matching: 2 },
            { kind: "room settings", expected: 1, matching: 1 },
            { kind: "state values", expected: 1, matching: 1 },
            { kind: "gotify cursor", expected: 1, matching: 1 },
        ]);
    });

    it("counts missing and differing records, kind by kind", () => {
        const target: StoreDump = {
            watches: [{ ...source.watches[0], finished: true }, source.watches[1]],
            // The whole-project subscription is missing; the per-template one must not stand in for it.
            subscriptions: [source.subscriptions[1]],
            roomSettings: [],
            gotifyCursor: 9,
            state: [{ key: "k", value: { deep: ["1"] } }],
        };
        expect(checkCopy(source, target).map((c) => c.matching)).to.deep.equal([1, 1, 0, 0, 0]);
    });

    it("expects no cursor when the source has none", () => {
        const check = checkCopy({ ...source, gotifyCursor: null }, { ...source, gotifyCursor: 3 });
        expect(check[4]).to.deep.equal({ kind: "gotify cursor", expected: 0, matching: 0 });
    });
});
