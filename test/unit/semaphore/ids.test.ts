import { expect } from "chai";
import { parsePositiveId, requireId } from "../../../src/semaphore/ids";
import { SemaphoreError } from "../../../src/semaphore/SemaphoreError";

describe("Semaphore ids", () => {
    it("accepts positive safe integers and their plain decimal spelling", () => {
        expect([1, 42, Number.MAX_SAFE_INTEGER, "7", "1234"].map(parsePositiveId)).to.deep.equal([1, 42, Number.MAX_SAFE_INTEGER, 7, 1234]);
    });

    it("refuses everything that could change the URL or is not a plain id", () => {
        const bad = [0, -1, 1.5, Number.NaN, Infinity, 2 ** 53, "0", "-1", "+1", "1e3", "0x10", "010", "1/../2", "1?x=2", " 7", "7 ", "", null, undefined, {}, [3], true];
        expect(bad.map(parsePositiveId)).to.deep.equal(bad.map(() => null));
    });

    it("throws an 'invalid' SemaphoreError naming what was wrong", () => {
        expect(() => requireId("1/../2", "task"))
            .to.throw(SemaphoreError, '"1/../2" is not a valid task id (expected a positive whole number)')
            .with.property("kind", "invalid");
        expect(requireId(5, "project")).to.equal(5);
    });
});
