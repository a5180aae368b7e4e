import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { tuneHeapForFootprint } from "../../../src/runtime/heapTuning";

const MODULE = join(__dirname, "../../../src/runtime/heapTuning.js");

/** Allocates 300,000 small objects, the last 100,000 kept, in a fresh node; prints its young generation's size in MiB. */
function youngGenerationMiB(tune: boolean, nodeFlags: string[] = []): number {
    const script = `
        ${tune ? `require(${JSON.stringify(MODULE)}).tuneHeapForFootprint();` : ""}
        const kept = new Array(100000);
        for (let i = 0; i < 300000; i++) kept[i % kept.length] = { name: "task " + i, ids: [i, i + 1] };
        const young = require("node:v8").getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
        process.stdout.write(String(young.space_size / 2 ** 20));`;
    return Number(execFileSync(process.execPath, [...nodeFlags, "-e", script], { env: { ...process.env, NODE_OPTIONS: "" } }).toString());
}

describe("tuneHeapForFootprint", () => {
    it("keeps the young generation at its initial size where node's default lets it grow (32 MiB on Node 20 and 22, 64 on 24)", () => {
        expect(youngGenerationMiB(false)).to.be.at.least(32);
        expect(youngGenerationMiB(true)).to.be.at.most(2);
    });

    it("leaves alone what the operator set on the command line", () => {
        expect(youngGenerationMiB(true, ["--max-semi-space-size=8"])).to.equal(16);
    });

    it("applies only the flags the operator did not give, in either spelling", () => {
        const tune = (given: string[]) => {
            const applied: string[] = [];
            tuneHeapForFootprint(given, (flag) => applied.push(flag));
            return applied;
        };
        expect(tune(["--max-old-space-size=512"])).to.deep.equal(["--semi-space-growth-factor=1", "--heap-growing-percent=30"]);
        expect(tune(["--heap_growing_percent=50"])).to.deep.equal(["--semi-space-growth-factor=1"]);
        expect(tune(["--max-semi-space-size=8", "--heap-growing-percent=50"])).to.deep.equal([]);
    });
});
