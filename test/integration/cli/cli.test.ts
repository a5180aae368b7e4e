import { expect } from "chai";
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { load } from "js-yaml";
import { reserveLoopbackPort } from "../../harness/ports";

const APP = resolve(__dirname, "..", "..", "..", "src", "app.js");
const REPO_ROOT = resolve(__dirname, "..", "..", "..", "..");

interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

function runCli(args: string[], cwd: string, timeoutMs = 15_000): Promise<Run> {
    return new Promise((done, fail) => {
        const child = spawn(process.execPath, [APP, ...args], { cwd, env: { ...process.env, MSB_SEMAPHORE_API_TOKEN: "" } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            fail(new Error(`CLI did not exit within ${timeoutMs} ms: ${stderr}`));
        }, timeoutMs);
        child.on("exit", (code) => {
            clearTimeout(timer);
            done({ code, stdout, stderr });
        });
    });
}

const VALID_CONFIG = (extra = "") => `homeserver:
  url: http://127.0.0.1:9
  domain: ex.ample.com
semaphore:
  url: http://127.0.0.1:9
  apiToken: cli-test-token
monitor:
  source: polling
${extra}`;

describe("command line", function () {
    this.timeout(30_000);
    let dir: string;

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "msb-cli-"));
        writeFileSync(join(dir, "config.yaml"), VALID_CONFIG());
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("-r writes a registration with fresh tokens, the bot and an exclusive, escaped namespace", async () => {
        const first = await runCli(["-r", "-u", "http://localhost:9000", "-c", "config.yaml", "-f", "a.yaml"], dir);
        const second = await runCli(["-r", "-u", "http://localhost:9000", "-c", "config.yaml", "-f", "b.yaml"], dir);
        expect(first.code).to.equal(0);
        expect(second.code).to.equal(0);
        const a = load(readFileSync(join(dir, "a.yaml"), "utf8")) as Record<string, unknown>;
        const b = load(readFileSync(join(dir, "b.yaml"), "utf8")) as Record<string, unknown>;
        expect(a).to.include({ url: "http://localhost:9000", sender_localpart: "semaphore", rate_limited: false });
        expect(a.namespaces).to.deep.equal({ users: [{ exclusive: true, regex: "^@semaphore:ex\\.ample\\.com$" }] });
        for (const key of ["id", "as_token", "hs_token"]) {
            expect(a[key], key).to.be.a("string").and.not.equal(b[key]);
        }
        expect(a.as_token).to.not.equal(a.hs_token);
    });

    it("stops on an invalid config with exit code 1 and one line per problem, no stack trace", async () => {
        writeFileSync(
            join(dir, "config.yaml"),
            VALID_CONFIG(`gotify:
  url: not a url
  clientToken: C123
permissions:
  - actor: ex.ample.com
    level: superuser
`),
        );
        const run = await runCli(["-c", "config.yaml", "-f", "registration.yaml"], dir);
        expect(run.code).to.equal(1);
        expect(run.stderr.trim().split("\n")).to.deep.equal([
            "The configuration has 2 problems in config.yaml:",
            "  - permissions[0].level: must be one of notifications, commands, manage, admin",
            "  - gotify.url: must be a URL",
        ]);
        expect(run.stderr).to.not.match(/^\s+at /m);
    });

    it("reports a YAML syntax error in one line", async () => {
        writeFileSync(join(dir, "config.yaml"), "homeserver:\n  url: [unclosed\n");
        const run = await runCli(["-c", "config.yaml", "-f", "registration.yaml"], dir);
        expect(run.code).to.equal(1);
        expect(run.stderr).to.match(/YAML syntax error at line \d+, column \d+/);
        expect(run.stderr).to.not.match(/^\s+at /m);
    });

    it("refuses the committed example registration and says how to generate one", async () => {
        const run = await runCli(["-c", "config.yaml", "-f", join(REPO_ROOT, "registration.yaml")], dir);
        expect(run.code).to.equal(1);
        expect(run.stderr).to.contain("holds placeholder tokens. Generate a real registration with");
        expect(run.stderr).to.contain("matrix-semaphore-bridge -r -u http://<bridge host>:9000 -c config.yaml -f");
    });

    describe("running", () => {
        let child: ChildProcess | undefined;
        afterEach(() => child?.kill("SIGKILL"));

        it("listens on -p, keeps its databases in bridge.dataDir (none in the working directory) and stops on SIGTERM", async () => {
            expect((await runCli(["-r", "-u", "http://localhost:9000", "-c", "config.yaml", "-f", "reg.yaml"], dir)).code).to.equal(0);
            const port = await reserveLoopbackPort();
            child = spawn(process.execPath, [APP, "-c", "config.yaml", "-f", "reg.yaml", "-p", String(port)], { cwd: dir });
            let output = "";
            child.stdout!.on("data", (d) => (output += d));
            child.stderr!.on("data", (d) => (output += d));
            const deadline = Date.now() + 15_000;
            while (!output.includes(`listening on 127.0.0.1:${port}`)) {
                if (Date.now() > deadline) throw new Error(`bridge did not start: ${output}`);
                await new Promise((r) => setTimeout(r, 100));
            }
            const response = await fetch(`http://127.0.0.1:${port}/_matrix/app/v1/ping`, { method: "POST", body: "{}" });
            expect(response.status).to.equal(403); // wrong/missing hs_token
            const exited = new Promise<number | null>((done) => child!.on("exit", (code) => done(code)));
            child.kill("SIGTERM");
            expect(await exited).to.equal(0);
            expect(readdirSync(dir).filter((f) => f.endsWith(".db"))).to.deep.equal([]);
            expect(readdirSync(join(dir, "data")).filter((f) => f.endsWith(".db"))).to.include("rooms.db");
            expect(output).to.not.contain("cli-test-token");
        });
    });
});
