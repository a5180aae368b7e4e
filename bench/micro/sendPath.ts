/**
 * Micro-benchmark: CPU per Matrix send, the old path (Intent.sendEvent → matrix-bot-sdk → `request`)
 * against the new one (botRoomClient → HybridEventTransport → DirectEventSender), one send in flight
 * at a time as RoomSender does per room. The homeserver stand-in runs in a child process and answers
 * at once, so this process's CPU is the send path's alone.
 *
 *   npx tsc -p bench && node dist/bench/bench/micro/sendPath.js [sends per round=10000] [rounds=3]
 */
import { fork } from "node:child_process";
import { AppServiceRegistration, Bridge, Logger } from "matrix-appservice-bridge";
import { FakeHomeserver } from "../fakeHomeserver";
import { botRoomClient } from "../../src/matrix/botClient";
import { fillRegistration } from "../../src/matrix/registration";
import { EventTransport } from "../../src/matrix/RoomSender";

const DOMAIN = "bench.localhost";
const ROOM = `!micro:${DOMAIN}`;
const WARM_UP_SENDS = 1_000;

interface Measurement {
    cpuMicrosPerSend: number;
    wallMicrosPerSend: number;
}

async function serve(asToken: string, botUserId: string): Promise<void> {
    const homeserver = new FakeHomeserver({ asToken, botUserId });
    await homeserver.start();
    process.send?.(homeserver.url);
}

function startHomeserver(asToken: string, botUserId: string): Promise<{ url: string; stop(): void }> {
    const child = fork(__filename, ["--serve", asToken, botUserId], { stdio: "inherit" });
    return new Promise((resolve, reject) => {
        child.once("error", reject);
        child.once("message", (url) => resolve({ url: String(url), stop: () => child.kill() }));
    });
}

async function sendMany(transport: EventTransport, count: number, label: string): Promise<void> {
    for (let i = 0; i < count; i++) {
        await transport.sendEvent(ROOM, "m.room.message", { msgtype: "m.notice", body: `${label} message ${i}` });
    }
}

async function measure(transport: EventTransport, sends: number, label: string): Promise<Measurement> {
    const cpuBefore = process.cpuUsage();
    const wallBefore = process.hrtime.bigint();
    await sendMany(transport, sends, label);
    const cpu = process.cpuUsage(cpuBefore);
    const wallMicros = Number((process.hrtime.bigint() - wallBefore) / 1000n);
    return { cpuMicrosPerSend: (cpu.user + cpu.system) / sends, wallMicrosPerSend: wallMicros / sends };
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

async function main(sends: number, rounds: number): Promise<void> {
    Logger.configure({ console: "info" }); // the bridge's default level: debug logging is skipped, as in production
    const registration = fillRegistration(new AppServiceRegistration("http://127.0.0.1:1"), DOMAIN);
    const botUserId = `@${registration.getSenderLocalpart()}:${DOMAIN}`;
    const homeserver = await startHomeserver(registration.getAppServiceToken() ?? "", botUserId);
    try {
        const bridge = new Bridge({ homeserverUrl: homeserver.url, domain: DOMAIN, registration, disableStores: true, controller: { onEvent: () => undefined } });
        await bridge.initialise();
        const paths: Record<string, EventTransport> = {
            "old: Intent.sendEvent": {
                sendEvent: async (roomId, type, content) => (await bridge.getIntent().sendEvent(roomId, type, content)).event_id,
            },
            "new: botRoomClient": botRoomClient(bridge, { url: homeserver.url, registration }),
        };
        // The warm-up also makes the new path's one send through the Intent (join, power levels).
        for (const [label, transport] of Object.entries(paths)) await sendMany(transport, WARM_UP_SENDS, `warm-up ${label}`);
        const results = new Map<string, Measurement[]>(Object.keys(paths).map((label) => [label, []]));
        for (let round = 0; round < rounds; round++) {
            for (const [label, transport] of Object.entries(paths)) results.get(label)!.push(await measure(transport, sends, label));
        }
        console.log(`${sends} sends per round, ${rounds} rounds, median of the rounds (node ${process.version})`);
        for (const [label, measurements] of results) {
            const cpu = median(measurements.map((m) => m.cpuMicrosPerSend)).toFixed(1);
            const wall = median(measurements.map((m) => m.wallMicrosPerSend)).toFixed(1);
            const each = measurements.map((m) => m.cpuMicrosPerSend.toFixed(1)).join(", ");
            console.log(`${label.padEnd(24)} CPU ${cpu.padStart(6)} µs/send   wall ${wall.padStart(6)} µs/send   (CPU per round: ${each})`);
        }
    } finally {
        homeserver.stop();
    }
}

if (process.argv[2] === "--serve") {
    void serve(process.argv[3], process.argv[4]);
} else {
    main(Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 3)).then(
        () => process.exit(0),
        (err) => {
            console.error(err);
            process.exit(1);
        },
    );
}
