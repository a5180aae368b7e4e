import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const APP = resolve(__dirname, "..", "..", "src", "app.js");

/** Runs the CLI under the common umask 022, under which files are created world-readable by default. */
function cli(args: string[], cwd: string): Promise<void> {
    return new Promise((done, fail) => {
        const command = ["umask 022", `exec "${process.execPath}" "${APP}" ${args.map((a) => `"${a}"`).join(" ")}`].join(" && ");
        execFile("sh", ["-c", command], { cwd, timeout: 15_000 }, (err, _stdout, stderr) => (err ? fail(new Error(`${err.message}\n${stderr}`)) : done()));
    });
}

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

/** The registration holds the as_token and hs_token: whoever reads it can act as the bot or as Synapse. */
describe("who gets in: the generated registration is private", function () {
    this.timeout(30_000);
    let dir: string;

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "msb-regmode-"));
        writeFileSync(
            join(dir, "config.yaml"),
            "homeserver:\n  url: http://127.0.0.1:9\n  domain: example.com\nsemaphore:\n  url: http://127.0.0.1:9\n  apiToken: unused\nmonitor:\n  source: polling\n",
        );
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("is written readable by its owner only, new or replacing a world-readable one", async () => {
        await cli(["-r", "-u", "http://localhost:9000", "-c", "config.yaml", "-f", "new.yaml"], dir);
        expect(mode(join(dir, "new.yaml"))).to.equal("600");

        writeFileSync(join(dir, "old.yaml"), "left by an older version\n", { mode: 0o644 });
        await cli(["-r", "-u", "http://localhost:9000", "-c", "config.yaml", "-f", "old.yaml"], dir);
        expect(mode(join(dir, "old.yaml"))).to.equal("600");
    });
});
