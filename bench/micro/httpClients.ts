/**
 * Micro-benchmark: CPU per request of the HTTP clients the bridge has used, against a loopback
 * server in a child process (so this process's CPU is the client's alone): node's own `http` with a
 * keep-alive agent (the first direct Matrix send path), axios (the first Semaphore and Gotify
 * clients) and the bridge's HttpClient on undici. Two requests: a GET with a JSON answer like
 * Semaphore's task, and a PUT of a JSON body like a Matrix status message; one and eight in flight.
 *
 *   npx tsc -p bench && node dist/bench/bench/micro/httpClients.js [requests per round=5000] [rounds=3]
 */
import { fork } from "node:child_process";
import { Agent, request as httpRequest } from "node:http";
import axios from "axios";
import { LoopbackServer, readBody } from "../../test/fakes/semaphore/LoopbackServer";
import { HttpClient } from "../../src/net/HttpClient";

type Send = (kind: "GET" | "PUT", path: string) => Promise<unknown>;

const TASK = { id: 1234, template_id: 2, project_id: 1, status: "success", start: "2026-12-04T10:00:00Z", end: "2026-12-04T10:02:03Z", user_name: "alice", tpl_alias: "Deploy web" };
const MESSAGE = {
    msgtype: "m.notice",
    body: "✅ Deploy web #1234 succeeded in 2 min 3 s (alice)",
    format: "org.matrix.custom.html",
    formatted_body: '✅ <b>Deploy web</b> <a href="https://semaphore.example.com/project/1/templates/2?t=1234">#1234</a> succeeded in 2 min 3 s (alice)',
    "m.mentions": {},
    "io.github.matrix-semaphore-bridge.task": { projectId: 1, taskId: 1234, templateId: 2, status: "success", url: "https://semaphore.example.com/project/1/templates/2?t=1234" },
};
const WARM_UP = 500;

async function serve(): Promise<void> {
    const server = new LoopbackServer((req, res) => {
        void readBody(req).then(() => {
            const body = JSON.stringify(req.method === "GET" ? TASK : { event_id: "$event" });
            res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) }).end(body);
        });
    });
    await server.listen(0);
    process.send?.(`http://127.0.0.1:${server.port}`);
}

function startServer(): Promise<{ url: string; stop(): void }> {
    const child = fork(__filename, ["--serve"], { stdio: "inherit" });
    return new Promise((resolve, reject) => {
        child.once("error", reject);
        child.once("message", (url) => resolve({ url: String(url), stop: () => child.kill() }));
    });
}

function clients(url: string): Record<string, Send> {
    const agent = new Agent({ keepAlive: true });
    const viaHttp: Send = (kind, path) =>
        new Promise((resolve, reject) => {
            const body = kind === "PUT" ? JSON.stringify(MESSAGE) : undefined;
            const headers: Record<string, string | number> = { Authorization: "Bearer token" };
            if (body) Object.assign(headers, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
            const req = httpRequest(`${url}${path}`, { method: kind, agent, headers }, (res) => {
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => (text += chunk));
                res.on("end", () => resolve(JSON.parse(text)));
            });
            req.on("error", reject);
            req.end(body);
        });
    const axiosClient = axios.create({ baseURL: url, maxRedirects: 0, httpAgent: new Agent({ keepAlive: true }), headers: { Authorization: "Bearer token" } });
    const viaAxios: Send = (kind, path) => (kind === "GET" ? axiosClient.get(path) : axiosClient.put(path, MESSAGE)).then((res) => res.data);
    const http = new HttpClient({ baseUrl: url, timeoutMs: 10_000, tls: { ignoreSsl: false }, headers: { Authorization: "Bearer token" }, retries: 2 });
    const viaHttpClient: Send = (kind, path) => http.request(kind === "GET" ? { method: "GET", path } : { method: "PUT", path, body: MESSAGE, retry: false });
    return { "node http": viaHttp, axios: viaAxios, "HttpClient (undici)": viaHttpClient };
}

/** CPU µs per request with `inFlight` requests at a time. */
async function measure(send: Send, kind: "GET" | "PUT", count: number, inFlight: number): Promise<number> {
    const path = kind === "GET" ? "/api/project/1/tasks/1234" : "/_matrix/client/v3/rooms/!room%3Abench/send/m.room.message/txn";
    let started = 0;
    const worker = async () => {
        while (started++ < count) await send(kind, path);
    };
    const before = process.cpuUsage();
    await Promise.all(Array.from({ length: inFlight }, worker));
    const cpu = process.cpuUsage(before);
    return (cpu.user + cpu.system) / count;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(count: number, rounds: number): Promise<void> {
    const server = await startServer();
    try {
        const byName = clients(server.url);
        console.log(`${count} requests per round, ${rounds} rounds, median CPU µs per request (node ${process.version})`);
        for (const kind of ["GET", "PUT"] as const) {
            for (const inFlight of [1, 8]) {
                const results = new Map<string, number[]>();
                for (const send of Object.values(byName)) await measure(send, kind, WARM_UP, inFlight);
                // Rounds interleave the clients, so a change in the machine's speed touches all of them alike.
                for (let round = 0; round < rounds; round++) {
                    for (const [name, send] of Object.entries(byName)) results.set(name, [...(results.get(name) ?? []), await measure(send, kind, count, inFlight)]);
                }
                const cells = [...results].map(([name, values]) => `${name} ${median(values).toFixed(1)}`);
                console.log(`${kind} ${inFlight} in flight: ${cells.join(" · ")}`);
            }
        }
    } finally {
        server.stop();
    }
}

if (process.argv[2] === "--serve") {
    void serve();
} else {
    main(Number(process.argv[2] ?? 5_000), Number(process.argv[3] ?? 3)).then(
        () => process.exit(0),
        (err) => {
            console.error(err);
            process.exit(1);
        },
    );
}
