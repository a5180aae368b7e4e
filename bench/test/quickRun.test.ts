import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect } from "chai";

const RUN_SCRIPT = join(__dirname, "..", "run.js");

interface Finished {
    code: number | null;
    stdout: string;
    stderr: string;
}

function runBench(args: string[], timeoutMs: number): Promise<Finished> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [RUN_SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`bench did not finish within ${timeoutMs} ms; stderr:\n${stderr}`));
        }, timeoutMs);
        child.once("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}

describe("npm run bench -- --quick --json (smoke run of every scenario)", function () {
    // Six scenarios of a few seconds each, every one with its own bridge process and simulators.
    this.timeout(150_000);
    let report: Record<string, any>;

    before(async () => {
        const run = await runBench(["--quick", "--json"], 140_000);
        expect(run.code, run.stderr).to.equal(0);
        report = JSON.parse(run.stdout);
    });

    it("reports every agreed key, marked as a quick run", () => {
        expect(report).to.include.keys(
            "latency_ms",
            "throughput_eps",
            "poll_requests_per_interval",
            "naive_requests_per_interval",
            "rss_mb_10k_watches",
            "startup_ms",
            "recovery",
        );
        expect(report.quick).to.equal(true);
        expect(report).not.to.have.property("synapse_latency_ms");
    });

    it("measures latency of every alert it posted, none lost or told twice", () => {
        const latency = report.details.latency;
        expect(latency.posted).to.equal(latency.rate * latency.durationS);
        expect(latency.lost).to.equal(0);
        expect(latency.duplicated).to.equal(0);
        expect(report.latency_ms.p50).to.be.above(0);
        expect(report.latency_ms.p50).to.be.at.most(report.latency_ms.p95);
        expect(report.latency_ms.p95).to.be.at.most(report.latency_ms.p99);
    });

    it("polls once per project per interval where a per-task poller would ask 1,000 times, and still tells every room", () => {
        expect(report.poll_requests_per_interval).to.equal(10);
        expect(report.naive_requests_per_interval).to.equal(1000);
        expect(report.details.polling.changesTold).to.equal(report.details.polling.changesMade);
        expect(report.details.polling.changesMade).to.equal(10);
    });

    it("measures memory with 10,000 watches and start-up from fork to ready", () => {
        expect(report.details.memory.watches).to.equal(10_000);
        expect(report.rss_mb_10k_watches).to.be.above(30);
        expect(report.startup_ms).to.be.above(0);
        expect(report.details.startup.runs).to.have.length(1);
    });

    it("loses nothing and duplicates nothing across Gotify restarts", () => {
        expect(report.details.recovery.reconnectMs).to.have.length(2);
        expect(report.recovery.lost).to.equal(0);
        expect(report.recovery.duplicated).to.equal(0);
        expect(report.details.recovery.posted).to.be.above(0);
    });

    it("reports as throughput only a rate whose full-length run lost nothing and kept p99 under 100 ms", () => {
        const { probes, confirmations } = report.details.throughput;
        expect(probes.length).to.be.at.least(1);
        const held = confirmations.filter((run: any) => run.lost === 0 && run.latency.p99 < 100).map((run: any) => run.rate);
        expect(report.throughput_eps).to.equal(held.length > 0 ? Math.max(...held) : 0);
    });
});
