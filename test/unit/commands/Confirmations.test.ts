import { expect } from "chai";
import { AnswerEvent, Confirmations } from "../../../src/commands/Confirmations";
import { ConfirmationAnswer } from "../../../src/commands/services";
import { notice, plainNotice, TextContent } from "../../../src/matrix/formatting";
import { ManualScheduler } from "../net/ManualScheduler";

const ROOM = "!ops:example.org";
const ALICE = "@alice:example.org";
const BOB = "@bob:example.org";

describe("Confirmations", () => {
    let scheduler: ManualScheduler;
    let sent: { roomId: string; content: TextContent }[];
    let confirmations: Confirmations;
    let eventCounter: number;

    function make(enabled = true, timeoutMs = 60_000): Confirmations {
        return new Confirmations({
            enabled,
            timeoutMs,
            scheduler,
            send: async (roomId, content) => {
                sent.push({ roomId, content });
                return `$question${sent.length}`;
            },
        });
    }

    beforeEach(() => {
        scheduler = new ManualScheduler();
        sent = [];
        eventCounter = 0;
        confirmations = make();
    });

    function message(sender: string, body: string, roomId = ROOM, extra: Record<string, unknown> = {}): AnswerEvent {
        return { type: "m.room.message", room_id: roomId, sender, event_id: `$m${++eventCounter}`, content: { msgtype: "m.text", body, ...extra } };
    }

    function reaction(sender: string, target: string, key: string, roomId = ROOM): AnswerEvent {
        return {
            type: "m.reaction",
            room_id: roomId,
            sender,
            event_id: `$r${++eventCounter}`,
            content: { "m.relates_to": { rel_type: "m.annotation", event_id: target, key } },
        };
    }

    /** Ask and let the send complete, so the question's event id is known. */
    async function ask(userId = ALICE, roomId = ROOM, text = "Stop task 42?"): Promise<{ answer: Promise<ConfirmationAnswer> }> {
        const answer = confirmations.ask(roomId, userId, plainNotice(text));
        await new Promise((resolve) => setImmediate(resolve));
        return { answer };
    }

    it("sends the question with how and how long to answer, keeping its HTML", async () => {
        const answer = confirmations.ask(ROOM, ALICE, notice("Stop task 42?", "<p>Stop <b>task 42</b>?</p>"));
        await new Promise((resolve) => setImmediate(resolve));
        expect(sent).to.deep.equal([
            {
                roomId: ROOM,
                content: {
                    msgtype: "m.notice",
                    body: "Stop task 42?\nReply yes or no, or react 👍 / 👎, within 60 s.",
                    format: "org.matrix.custom.html",
                    formatted_body: "<p>Stop <b>task 42</b>?</p><p>Reply yes or no, or react 👍 / 👎, within 60 s.</p>",
                    "m.mentions": {},
                },
            },
        ]);
        await confirmations.onEvent(message(ALICE, "yes"));
        expect(await answer).to.equal("yes");
    });

    it("accepts yes / no / y / n in any case and with spaces from the requester", async () => {
        for (const [body, expected] of [
            ["yes", "yes"],
            [" YES \n", "yes"],
            ["Y", "yes"],
            ["no", "no"],
            ["\tN ", "no"],
        ] as const) {
            const { answer } = await ask();
            expect(await confirmations.onEvent(message(ALICE, body)), body).to.equal(true);
            expect(await answer, body).to.equal(expected);
        }
    });

    it("reads the answer under a reply fallback", async () => {
        const { answer } = await ask();
        const consumed = await confirmations.onEvent(
            message(ALICE, "> <@semaphore:example.org> Stop task 42?\n> Reply yes or no\n\nyes", ROOM, {
                "m.relates_to": { "m.in_reply_to": { event_id: "$question1" } },
            }),
        );
        expect(consumed).to.equal(true);
        expect(await answer).to.equal("yes");
    });

    it("ignores answers from anyone else, other rooms and other words", async () => {
        const { answer } = await ask();
        expect(await confirmations.onEvent(message(BOB, "yes"))).to.equal(false);
        expect(await confirmations.onEvent(reaction(BOB, "$question1", "👍"))).to.equal(false);
        expect(await confirmations.onEvent(message(ALICE, "yes", "!other:example.org"))).to.equal(false);
        expect(await confirmations.onEvent(message(ALICE, "yes please"))).to.equal(false);
        expect(await confirmations.onEvent(message(ALICE, "!cd status"))).to.equal(false);
        expect(confirmations.pendingCount).to.equal(1);
        expect(await confirmations.onEvent(message(ALICE, "no"))).to.equal(true);
        expect(await answer).to.equal("no");
    });

    it("takes 👍 / 👎 reactions on the question, with or without U+FE0F or a skin tone", async () => {
        for (const [key, expected] of [
            ["\u{1F44D}", "yes"],
            ["\u{1F44D}\uFE0F", "yes"],
            ["\u{1F44D}\u{1F3FD}", "yes"],
            ["\u{1F44E}", "no"],
            ["\u{1F44E}\uFE0F", "no"],
        ] as const) {
            sent = [];
            const { answer } = await ask();
            expect(await confirmations.onEvent(reaction(ALICE, "$question1", key)), key).to.equal(true);
            expect(await answer, key).to.equal(expected);
        }
    });

    it("ignores reactions to other events, other emoji and non-annotations", async () => {
        const { answer } = await ask();
        expect(await confirmations.onEvent(reaction(ALICE, "$somethingElse", "👍"))).to.equal(false);
        expect(await confirmations.onEvent(reaction(ALICE, "$question1", "❤️"))).to.equal(false);
        const reference = reaction(ALICE, "$question1", "👍");
        (reference.content["m.relates_to"] as Record<string, unknown>).rel_type = "m.reference";
        expect(await confirmations.onEvent(reference)).to.equal(false);
        scheduler.advance(60_000);
        expect(await answer).to.equal("timeout");
    });

    it("times out each question on its own", async () => {
        const first = await ask(ALICE);
        scheduler.advance(30_000);
        const second = await ask(BOB);
        scheduler.advance(30_000);
        expect(await first.answer).to.equal("timeout");
        expect(confirmations.pendingCount).to.equal(1);
        expect(await confirmations.onEvent(message(ALICE, "yes"))).to.equal(false);
        scheduler.advance(29_999);
        expect(await confirmations.onEvent(message(BOB, "y"))).to.equal(true);
        expect(await second.answer).to.equal("yes");
        expect(scheduler.pendingCount).to.equal(0);
    });

    it("keeps several pending questions apart: by user, by room, by the question a reaction or reply points at", async () => {
        const aliceStop = await ask(ALICE, ROOM, "Stop task 42?");
        const aliceRun = await ask(ALICE, ROOM, "Start Deploy web?");
        const bobElsewhere = await ask(BOB, "!dev:example.org", "Stop task 7?");
        expect(sent.map((s) => s.content.body.split("\n")[0])).to.deep.equal(["Stop task 42?", "Start Deploy web?", "Stop task 7?"]);

        // A reaction answers exactly the question it is on.
        expect(await confirmations.onEvent(reaction(ALICE, "$question1", "👎"))).to.equal(true);
        expect(await aliceStop.answer).to.equal("no");
        // A plain message answers the requester's newest question in that room.
        const aliceAgain = await ask(ALICE, ROOM, "Stop task 43?");
        expect(await confirmations.onEvent(message(ALICE, "yes"))).to.equal(true);
        expect(await aliceAgain.answer).to.equal("yes");
        // A reply answers the question it replies to.
        expect(
            await confirmations.onEvent(message(ALICE, "n", ROOM, { "m.relates_to": { "m.in_reply_to": { event_id: "$question2" } } })),
        ).to.equal(true);
        expect(await aliceRun.answer).to.equal("no");
        expect(await confirmations.onEvent(message(BOB, "yes", "!dev:example.org"))).to.equal(true);
        expect(await bobElsewhere.answer).to.equal("yes");
        expect(confirmations.pendingCount).to.equal(0);
        expect(scheduler.pendingCount).to.equal(0);
    });

    it("answers a typed yes that arrives before the question's send has finished", async () => {
        let release!: (id: string) => void;
        const slow = new Confirmations({
            enabled: true,
            timeoutMs: 1000,
            scheduler,
            send: () => new Promise<string>((resolve) => (release = resolve)),
        });
        const answer = slow.ask(ROOM, ALICE, plainNotice("Run?"));
        expect(await slow.onEvent(message(ALICE, "yes"))).to.equal(true);
        release("$q");
        expect(await answer).to.equal("yes");
    });

    it("says yes at once and sends nothing when confirmations are off", async () => {
        confirmations = make(false);
        expect(await confirmations.ask(ROOM, ALICE, plainNotice("Run?"))).to.equal("yes");
        expect(sent).to.deep.equal([]);
        expect(scheduler.pendingCount).to.equal(0);
        expect(await confirmations.onEvent(message(ALICE, "yes"))).to.equal(false);
    });

    it("fails the ask and forgets the question when it cannot be sent", async () => {
        const failing = new Confirmations({
            enabled: true,
            timeoutMs: 1000,
            scheduler,
            send: async () => {
                throw new Error("M_FORBIDDEN");
            },
        });
        let error: unknown;
        await failing.ask(ROOM, ALICE, plainNotice("Run?")).catch((err) => (error = err));
        expect((error as Error).message).to.equal("M_FORBIDDEN");
        expect(failing.pendingCount).to.equal(0);
        expect(scheduler.pendingCount).to.equal(0);
    });

    it("ends open questions as timeouts on close", async () => {
        const { answer } = await ask();
        confirmations.close();
        expect(await answer).to.equal("timeout");
        expect(scheduler.pendingCount).to.equal(0);
    });

    it("writes short timeouts in the question as they are", async () => {
        confirmations = make(true, 1500);
        void confirmations.ask(ROOM, ALICE, plainNotice("Run?"));
        await new Promise((resolve) => setImmediate(resolve));
        expect(sent[0].content.body).to.equal("Run?\nReply yes or no, or react 👍 / 👎, within 1.5 s.");
        confirmations.close();
    });
});
