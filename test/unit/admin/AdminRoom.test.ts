import { expect } from "chai";
import { ADMIN_ROOM_STATE_KEY, AdminRoom } from "../../../src/admin/AdminRoom";
import { adminCommand } from "../../../src/admin/adminCommand";
import { CommandContext, CommandError } from "../../../src/commands/Command";
import { plainNotice, TextContent } from "../../../src/matrix/formatting";
import { Permissions } from "../../../src/permissions";
import { BOT, FakeAdminMatrix } from "./fakes";

const ALICE = "@alice:hs.test";
const BOB = "@bob:hs.test";
const CAROL = "@carol:ops.test"; // admin through her server's rule, not named in the config

class StateStore {
    readonly values = new Map<string, unknown>();
    async getState<T>(key: string): Promise<T | null> {
        return (this.values.get(key) as T | undefined) ?? null;
    }
    async setState<T>(key: string, value: T): Promise<void> {
        this.values.set(key, value);
    }
}

describe("AdminRoom", () => {
    let matrix: FakeAdminMatrix;
    let store: StateStore;
    let sent: { roomId: string; body: string }[];
    let sendFails: boolean;

    beforeEach(() => {
        matrix = new FakeAdminMatrix();
        store = new StateStore();
        sent = [];
        sendFails = false;
    });

    function adminRoom(adminUsers = [ALICE, BOB]): AdminRoom {
        return new AdminRoom({
            store,
            matrix,
            permissions: new Permissions([
                { actor: ALICE, level: "admin" },
                { actor: BOB, level: "admin" },
                { actor: "ops.test", level: "admin" },
                { actor: "*", level: "commands" },
            ]),
            botUserId: BOT,
            adminUsers,
            send: async (roomId: string, content: TextContent) => {
                if (sendFails) throw Object.assign(new Error("forbidden"), { statusCode: 403 });
                sent.push({ roomId, body: content.body });
            },
            prefix: "!cd",
        });
    }

    const WELCOME_START = "This is the admin room of the Semaphore bridge.";

    it("creates a direct room inviting the configured admins on first start, stores it and says what it is for", async () => {
        const room = adminRoom();
        await room.start();
        expect(matrix.calls).to.deep.equal([
            `create !created1:hs.test "Semaphore bridge admin" "Status and alerts of the Semaphore bridge, and its admin commands" invite ${ALICE},${BOB}`,
        ]);
        expect(store.values.get(ADMIN_ROOM_STATE_KEY)).to.equal("!created1:hs.test");
        expect(room.roomId).to.equal("!created1:hs.test");
        expect(room.isAdminRoom("!created1:hs.test")).to.equal(true);
        expect(room.isAdminRoom("!other:hs.test")).to.equal(false);
        expect(sent).to.have.length(1);
        expect(sent[0].roomId).to.equal("!created1:hs.test");
        expect(sent[0].body).to.match(new RegExp(`^${WELCOME_START}`));
    });

    it("keeps the stored room on later starts", async () => {
        store.values.set(ADMIN_ROOM_STATE_KEY, "!kept:hs.test");
        const room = adminRoom();
        await room.start();
        expect(matrix.calls).to.deep.equal([]);
        expect(room.roomId).to.equal("!kept:hs.test");
    });

    it("invites admins added to the config since the room was made, but not one who left it", async () => {
        const DAVE = "@dave:hs.test";
        store.values.set(ADMIN_ROOM_STATE_KEY, "!kept:hs.test");
        matrix.addRoom("!kept:hs.test", { [BOT]: "join", [ALICE]: "join", [BOB]: "leave" });
        const room = adminRoom([ALICE, BOB, DAVE, BOT]);
        await room.start();
        expect(matrix.calls).to.deep.equal([`invite !kept:hs.test ${DAVE}`]);
        expect(room.roomId).to.equal("!kept:hs.test");

        await adminRoom([ALICE, BOB, DAVE]).start();
        expect(matrix.calls, "invited once: the next start sees the invite").to.have.length(1);
    });

    it("invites nobody to a stored room the bot is no longer in, and keeps it for the admin command to replace", async () => {
        store.values.set(ADMIN_ROOM_STATE_KEY, "!gone:hs.test");
        matrix.addRoom("!gone:hs.test", { [BOT]: "leave", [ALICE]: "join" });
        const room = adminRoom([ALICE, BOB]);
        await room.start();
        expect(matrix.calls).to.deep.equal([]);
        expect(room.roomId).to.equal("!gone:hs.test");
    });

    it("creates nothing when no admin is named by user id, and posts nowhere", async () => {
        const room = adminRoom([]);
        await room.start();
        await room.post(plainNotice("hello"));
        expect(matrix.calls).to.deep.equal([]);
        expect(room.roomId).to.equal(null);
        expect(sent).to.deep.equal([]);
    });

    it("survives a homeserver that cannot create the room", async () => {
        matrix.createDirectRoom = async () => {
            throw new Error("M_FORBIDDEN");
        };
        const room = adminRoom();
        await room.start();
        expect(room.roomId).to.equal(null);
        expect(store.values.has(ADMIN_ROOM_STATE_KEY)).to.equal(false);
    });

    it("does not throw when a post fails", async () => {
        const room = adminRoom();
        await room.start();
        sendFails = true;
        await room.post(plainNotice("still fine"));
    });

    describe("openFor (!cd admin)", () => {
        const ROOM = "!admin:hs.test";

        beforeEach(() => {
            store.values.set(ADMIN_ROOM_STATE_KEY, ROOM);
        });

        it("tells a member or an invitee that they are in already", async () => {
            matrix.addRoom(ROOM, { [BOT]: "join", [ALICE]: "join", [BOB]: "invite" });
            const room = adminRoom();
            await room.start();
            expect(await room.openFor(ALICE)).to.equal("already-joined");
            expect(await room.openFor(BOB)).to.equal("already-invited");
            expect(matrix.calls).to.deep.equal([]);
        });

        it("invites an admin who left while another admin is still there", async () => {
            matrix.addRoom(ROOM, { [BOT]: "join", [ALICE]: "join", [BOB]: "leave" });
            const room = adminRoom();
            await room.start();
            expect(await room.openFor(BOB)).to.equal("invited");
            expect(matrix.calls).to.deep.equal([`invite ${ROOM} ${BOB}`]);
            expect(room.roomId).to.equal(ROOM);
        });

        it("replaces a room every admin has left: leaves it and invites the configured admins and the asker", async () => {
            matrix.addRoom(ROOM, { [BOT]: "join", [ALICE]: "leave", [BOB]: "leave", "@viewer:hs.test": "join" });
            const room = adminRoom();
            await room.start();
            expect(await room.openFor(CAROL)).to.equal("created");
            expect(matrix.calls).to.deep.equal([
                `leave ${ROOM}: A new admin room replaces this one.`,
                `create !created1:hs.test "Semaphore bridge admin" "Status and alerts of the Semaphore bridge, and its admin commands" invite ${ALICE},${BOB},${CAROL}`,
            ]);
            expect(store.values.get(ADMIN_ROOM_STATE_KEY)).to.equal("!created1:hs.test");
            expect(room.isAdminRoom(ROOM)).to.equal(false);
            expect(sent.map((s) => s.roomId)).to.deep.equal(["!created1:hs.test"]);
        });

        it("replaces a room the bot is no longer in, without trying to leave it", async () => {
            matrix.addRoom(ROOM, { [BOT]: "leave", [ALICE]: "join" });
            const room = adminRoom();
            await room.start();
            expect(await room.openFor(ALICE)).to.equal("created");
            expect(matrix.calls).to.have.length(1);
            expect(matrix.calls[0]).to.match(/^create !created1:hs.test /);
        });

        it("replaces a room the homeserver does not let the bot see at all", async () => {
            const room = adminRoom([]);
            await room.start();
            expect(await room.openFor(ALICE)).to.equal("created");
            expect(matrix.calls).to.deep.equal([
                `create !created1:hs.test "Semaphore bridge admin" "Status and alerts of the Semaphore bridge, and its admin commands" invite ${ALICE}`,
            ]);
        });

        it("creates one room when several admins ask at once", async () => {
            store.values.delete(ADMIN_ROOM_STATE_KEY);
            const room = adminRoom([]);
            await room.start();
            const answers = await Promise.all([room.openFor(ALICE), room.openFor(BOB)]);
            // Alice's invitation keeps the new room alive, so Bob joins it rather than a second one.
            expect(answers).to.deep.equal(["created", "invited"]);
            expect(matrix.calls).to.deep.equal([
                `create !created1:hs.test "Semaphore bridge admin" "Status and alerts of the Semaphore bridge, and its admin commands" invite ${ALICE}`,
                `invite !created1:hs.test ${BOB}`,
            ]);
        });
    });
});

describe("the admin command (main table)", () => {
    let matrix: FakeAdminMatrix;
    let opened: string[];
    let replies: string[];

    beforeEach(() => {
        matrix = new FakeAdminMatrix();
        opened = [];
        replies = [];
    });

    function context(roomId: string, args: string[] = []): CommandContext {
        return {
            roomId,
            sender: ALICE,
            eventId: "$cmd",
            args,
            senderLevel: "admin",
            prefix: "!cd",
            reply: async (content) => {
                replies.push(content.body);
            },
        };
    }

    const command = () =>
        adminCommand({
            matrix,
            botUserId: BOT,
            openAdminRoom: async (userId) => {
                opened.push(userId);
                return "invited";
            },
        });

    it("works in a direct chat of the asker and the bot", async () => {
        matrix.addRoom("!dm:hs.test", { [BOT]: "join", [ALICE]: "join" });
        await command().run(context("!dm:hs.test"), undefined);
        expect(opened).to.deep.equal([ALICE]);
        expect(replies).to.deep.equal(["I invited you to the admin room again."]);
    });

    it("refuses in a room with other people", async () => {
        matrix.addRoom("!ops:hs.test", { [BOT]: "join", [ALICE]: "join", [BOB]: "join" });
        try {
            await command().run(context("!ops:hs.test"), undefined);
            expect.fail("should have refused");
        } catch (err) {
            expect(err).to.be.instanceOf(CommandError);
            expect((err as Error).message).to.equal("!cd admin works in a direct chat with me: invite me into a room of just the two of us and send it there.");
        }
        expect(opened).to.deep.equal([]);
    });

    it("takes no arguments", async () => {
        matrix.addRoom("!dm:hs.test", { [BOT]: "join", [ALICE]: "join" });
        try {
            await command().run(context("!dm:hs.test", ["now"]), undefined);
            expect.fail("should have refused");
        } catch (err) {
            expect(err).to.be.instanceOf(CommandError);
        }
        expect(opened).to.deep.equal([]);
    });
});
