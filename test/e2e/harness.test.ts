import * as http from "node:http";
import { AddressInfo } from "node:net";
import { expect } from "chai";
import { MatrixApiError, MatrixEvent, MatrixTestUser, createMatrixHttp } from "../harness/matrixUser";
import { TestHomeserver, getTestHomeserver } from "../harness/synapse";

const isMessage = (e: MatrixEvent): boolean => e.type === "m.room.message";
const body = (e: MatrixEvent): unknown => e.content.body;

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
    try {
        await promise;
    } catch (err) {
        return err as Error;
    }
    throw new Error("expected the promise to reject");
}

describe("e2e: real Synapse test harness", function () {
    let hs: TestHomeserver;

    before(async function () {
        this.timeout(90_000); // first use starts Synapse
        hs = await getTestHomeserver();
    });

    async function twoPeopleInARoom(): Promise<{ alice: MatrixTestUser; bob: MatrixTestUser; roomId: string }> {
        const alice = await hs.registerUser("alice");
        const bob = await hs.registerUser("bob");
        const roomId = await alice.createRoom({ invite: [bob.userId] });
        await bob.join(roomId);
        return { alice, bob, roomId };
    }

    it("registers users under unique names, admin only when asked", async function () {
        const plain = await hs.registerUser("carol");
        const admin = await hs.registerUser("carol", { admin: true });

        expect(plain.userId).to.match(/^@carol-\d+:localhost$/);
        expect(admin.userId).to.match(/^@carol-\d+:localhost$/);
        expect(admin.userId).to.not.equal(plain.userId);
        expect(await plain.request("GET", "/_matrix/client/v3/account/whoami")).to.include({ user_id: plain.userId });

        const adminPath = (userId: string) => `/_synapse/admin/v2/users/${encodeURIComponent(userId)}`;
        expect(await admin.request("GET", adminPath(admin.userId))).to.include({ admin: true });
        expect(await admin.request("GET", adminPath(plain.userId))).to.include({ admin: false });
        const refused = await rejectionOf(plain.request("GET", adminPath(plain.userId)));
        expect(refused).to.be.instanceOf(MatrixApiError).and.include({ status: 403, errcode: "M_FORBIDDEN" });
    });

    it("lets one user invite another, who joins, sees a message and leaves", async function () {
        const alice = await hs.registerUser("alice");
        const bob = await hs.registerUser("bob");
        const roomId = await alice.createRoom({ name: "harness room", invite: [bob.userId] });

        await bob.waitForMembership(roomId, bob.userId, "invite", { timeoutMs: 5_000 });
        expect(await bob.join(roomId)).to.equal(roomId);
        await alice.waitForMembership(roomId, bob.userId, "join", { timeoutMs: 5_000 });
        expect(await alice.getJoinedMembers(roomId)).to.deep.equal([alice.userId, bob.userId].sort());
        expect(await bob.getState(roomId, "m.room.name")).to.deep.equal({ name: "harness room" });

        const sentId = await alice.sendText(roomId, "hello bob");
        const seen = await bob.waitForEvent(roomId, (e) => isMessage(e) && e.sender === alice.userId, {
            timeoutMs: 5_000,
        });
        expect(seen.event_id).to.equal(sentId);
        expect(seen.content).to.deep.equal({ msgtype: "m.text", body: "hello bob" });

        await bob.leave(roomId);
        await alice.waitForMembership(roomId, bob.userId, "leave", { timeoutMs: 5_000 });
        expect(await alice.getJoinedMembers(roomId)).to.deep.equal([alice.userId]);
    });

    it("waitForEvent walks forward through the room, missing nothing sent between calls", async function () {
        const { alice, bob, roomId } = await twoPeopleInARoom();
        const oneId = await alice.sendText(roomId, "one");
        await alice.sendText(roomId, "two");
        const reactionId = await bob.react(roomId, oneId, "👍");
        await alice.sendText(roomId, "three");

        expect(body(await bob.waitForEvent(roomId, isMessage, { timeoutMs: 5_000 }))).to.equal("one");
        expect(body(await bob.waitForEvent(roomId, isMessage, { timeoutMs: 5_000 }))).to.equal("two");
        const reaction = await bob.waitForEvent(roomId, (e) => e.type === "m.reaction", { timeoutMs: 5_000 });
        expect(reaction.event_id).to.equal(reactionId);
        expect(reaction.content).to.deep.equal({
            "m.relates_to": { rel_type: "m.annotation", event_id: oneId, key: "👍" },
        });
        expect(body(await bob.waitForEvent(roomId, isMessage, { timeoutMs: 5_000 }))).to.equal("three");
        // `since` looks again from a given event, even behind what earlier waits passed.
        expect(body(await bob.waitForEvent(roomId, isMessage, { since: oneId, timeoutMs: 5_000 }))).to.equal("two");

        expect((await bob.messages(roomId, 4)).map((e) => e.type)).to.deep.equal([
            "m.room.message",
            "m.room.message",
            "m.reaction",
            "m.room.message",
        ]);
    });

    it("waitForEvent times out saying what it waited for and what it saw", async function () {
        const { alice, bob, roomId } = await twoPeopleInARoom();
        await alice.sendText(roomId, "nothing for the bot here");

        const startedAt = Date.now();
        const err = await rejectionOf(
            bob.waitForEvent(roomId, (e) => e.sender === hs.botUserId, {
                timeoutMs: 700,
                description: "a reply from the bot",
            }),
        );
        // Well under one 5 s long poll: the wait gives up at its own deadline, not when a sync returns.
        expect(Date.now() - startedAt).to.be.within(700, 3_500);
        expect(err.message).to.include(`${bob.userId} timed out after 700 ms waiting for a reply from the bot in ${roomId}`);
        expect(err.message).to.match(new RegExp(`m\\.room\\.message from ${alice.userId}: .*"nothing for the bot here"`));
    });

    it("creates rooms with encryption and power level overrides", async function () {
        const alice = await hs.registerUser("alice");
        const roomId = await alice.createRoom({ encrypted: true, powerLevelContentOverride: { events_default: 50 } });

        expect(await alice.getState(roomId, "m.room.encryption")).to.deep.equal({ algorithm: "m.megolm.v1.aes-sha2" });
        expect(await alice.getState(roomId, "m.room.power_levels")).to.include({ events_default: 50 });
        expect(await alice.getState(roomId, "m.room.topic")).to.equal(undefined);
    });

    describe("the test appservice registration", function () {
        let server: http.Server | undefined;

        afterEach(async function () {
            await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
            server = undefined;
        });

        const ping = (transactionId: string) =>
            createMatrixHttp(hs.url, hs.registration.as_token).post<{ duration_ms: number }>(
                `/_matrix/client/v1/appservice/${hs.registration.id}/ping`,
                { transaction_id: transactionId },
            );

        it("is loaded by Synapse, which cannot reach the bridge while nothing listens on bridgePort", async function () {
            expect(hs.registration).to.include({
                id: "semaphore-test",
                url: `http://127.0.0.1:${hs.bridgePort}`,
                sender_localpart: "semaphore",
                rate_limited: false,
            });
            expect(hs.registration.namespaces.users).to.deep.equal([{ exclusive: true, regex: "^@semaphore:localhost$" }]);
            const err = await rejectionOf(ping("nobody-home"));
            expect(err).to.be.instanceOf(MatrixApiError).and.include({ errcode: "M_CONNECTION_FAILED" });
        });

        it("routes Synapse's ping to a server on bridgePort, authenticated with the hs_token", async function () {
            const received: { method?: string; url?: string; authorization?: string; body: string }[] = [];
            server = http.createServer((req, res) => {
                let text = "";
                req.on("data", (chunk: Buffer) => (text += chunk.toString()));
                req.on("end", () => {
                    received.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body: text });
                    res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
                });
            });
            await new Promise<void>((resolve) => server!.listen(hs.bridgePort, "127.0.0.1", resolve));
            expect((server.address() as AddressInfo).port).to.equal(hs.bridgePort);

            const response = await ping("harness-ping-1");

            expect(response.status).to.equal(200);
            expect(response.data.duration_ms).to.be.a("number");
            expect(received).to.have.length(1);
            expect(received[0]).to.include({
                method: "POST",
                url: "/_matrix/app/v1/ping",
                authorization: `Bearer ${hs.registration.hs_token}`,
            });
            expect(JSON.parse(received[0]!.body)).to.deep.equal({ transaction_id: "harness-ping-1" });
        });
    });

    it("keeps users, rooms and messages across a Synapse restart", async function () {
        this.timeout(60_000); // bounds a stop + start, which takes a few seconds
        const { alice, bob, roomId } = await twoPeopleInARoom();
        await alice.sendText(roomId, "before restart");
        expect(body(await bob.waitForEvent(roomId, isMessage, { timeoutMs: 5_000 }))).to.equal("before restart");

        await hs.restart();

        expect(await bob.request("GET", "/_matrix/client/v3/account/whoami")).to.include({ user_id: bob.userId });
        expect(await bob.getJoinedMembers(roomId)).to.deep.equal([alice.userId, bob.userId].sort());
        expect((await bob.messages(roomId, 1)).map(body)).to.deep.equal(["before restart"]);
        await alice.sendText(roomId, "after restart");
        // bob's sync token from before the restart still works: only the new message is ahead.
        expect(body(await bob.waitForEvent(roomId, isMessage, { timeoutMs: 5_000 }))).to.equal("after restart");
    });
});
