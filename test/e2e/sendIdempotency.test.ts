import { expect } from "chai";
import { DirectEventSender } from "../../src/matrix/DirectEventSender";
import { TransactionIds } from "../../src/matrix/TransactionIds";
import { LoopbackServer, readBody } from "../fakes/semaphore/LoopbackServer";
import { MatrixTestUser } from "../harness/matrixUser";
import { TestHomeserver, getTestHomeserver } from "../harness/synapse";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What RoomSender's retries rely on: Synapse answers a send repeated with the same transaction id
 * (as the appservice) with the first event's id and puts no second event in the room.
 */
describe("e2e: a send repeated with its transaction id reaches the room once (real Synapse)", function () {
    this.timeout(60_000);
    let homeserver: TestHomeserver;
    let sender: DirectEventSender;
    let appservice: LoopbackServer;
    /** Events Synapse has pushed to the appservice. */
    const pushed = new Set<string>();

    before(async function () {
        this.timeout(90_000); // the first e2e file of a run starts Synapse
        homeserver = await getTestHomeserver();
        // Stands in for the bridge, so that Synapse does not take the appservice for down and hold
        // back the next test's transactions.
        appservice = new LoopbackServer((req, res) => {
            void readBody(req).then((body) => {
                for (const event of (JSON.parse(body || "{}") as { events?: { event_id: string }[] }).events ?? []) pushed.add(event.event_id);
                res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
            });
        });
        await appservice.listen(homeserver.bridgePort);
        sender = new DirectEventSender({ homeserverUrl: homeserver.url, asToken: homeserver.registration.as_token, timeoutMs: 10_000 });
    });

    after(async () => {
        sender?.close();
        await appservice?.close();
    });

    /** Until Synapse has pushed `eventId` to the appservice, or 10 s have passed. */
    async function untilPushed(eventId: string): Promise<void> {
        for (const deadline = Date.now() + 10_000; !pushed.has(eventId) && Date.now() < deadline; ) await sleep(50);
    }

    it("answers the repeat with the first event_id and shows the message once; a new id sends it again", async () => {
        const alice = await homeserver.registerUser("alice");
        const roomId = await alice.createRoom({ invite: [homeserver.botUserId] });
        await new MatrixTestUser(homeserver.url, homeserver.botUserId, homeserver.registration.as_token).join(roomId);
        const txnIds = new TransactionIds();
        const content = { msgtype: "m.notice", body: "Task 7 of Deploy: success" };

        const txnId = txnIds.next();
        const first = await sender.sendEvent(roomId, "m.room.message", content, txnId);
        const retried = await sender.sendEvent(roomId, "m.room.message", content, txnId);
        const sentAgain = await sender.sendEvent(roomId, "m.room.message", content, txnIds.next());

        expect(retried).to.equal(first);
        expect(sentAgain).not.to.equal(first);
        const fromBot = (await alice.messages(roomId)).filter((event) => event.sender === homeserver.botUserId && event.type === "m.room.message");
        expect(fromBot.map((event) => event.event_id)).to.deep.equal([first, sentAgain]);
        await untilPushed(sentAgain);
    });
});
