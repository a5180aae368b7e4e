import { Logger, WeakEvent } from "matrix-appservice-bridge";
import { RoomMembership } from "./RoomMembership";
import { IncomingMessage } from "../commands/CommandRouter";

const log = new Logger("MatrixEvents");

export interface MatrixEventDeps {
    botUserId: string;
    membership: RoomMembership;
    commands: { isCommand(body: string): boolean; handle(message: IncomingMessage): Promise<void> };
    /** Persisted once-only claim: Synapse re-sends transactions after a crash. */
    claimEvent(eventId: string): Promise<boolean>;
    /** Optional listener for reactions and replies (confirmations). Returns true if it consumed the event. */
    interactions?: { onEvent(event: WeakEvent): Promise<boolean> };
    /** Answers a command that will not run (⛔ and the reason). */
    refuse?(message: IncomingMessage, reason: string): Promise<void>;
}

/** Shown when a command's claim cannot be stored: running it anyway could run it twice after a restart. */
export const UNRECORDED_COMMAND =
    "The bridge cannot record commands right now (its storage is failing), so it did not run this one. " +
    "Please try again later; the bridge log has the details.";

/**
 * Entry point for everything Synapse pushes. The bridge has already answered the transaction when
 * this runs, so nothing here may throw out: every failure is logged.
 */
export class MatrixEventHandler {
    /** Events being handled right now; stopping waits for them, or a claimed command would be cut off. */
    private readonly inFlight = new Set<Promise<void>>();

    constructor(private readonly deps: MatrixEventDeps) {}

    onEvent(event: WeakEvent): Promise<void> {
        const handled = this.dispatch(event).catch((err) => {
            log.error(`Failed to handle ${event.type} ${event.event_id} in ${event.room_id}:`, err);
        });
        this.inFlight.add(handled);
        void handled.then(() => this.inFlight.delete(handled));
        return handled;
    }

    /** Resolves once every event being handled now is done. Call after no more events can arrive. */
    async drain(): Promise<void> {
        await Promise.all([...this.inFlight]);
    }

    private async dispatch(event: WeakEvent): Promise<void> {
        const { botUserId } = this.deps;
        if (event.sender === botUserId) return;
        switch (event.type) {
            case "m.room.member":
                return this.onMember(event);
            case "m.room.encryption":
                if (event.state_key === "") return this.deps.membership.onEncryptionEnabled(event.room_id);
                return;
            case "m.room.message":
                return this.onMessage(event);
            default:
                if (this.deps.interactions) await this.deps.interactions.onEvent(event);
        }
    }

    private async onMember(event: WeakEvent): Promise<void> {
        if (event.state_key !== this.deps.botUserId) return;
        const membership = (event.content as { membership?: string }).membership;
        if (membership === "invite") {
            if (!(await this.deps.claimEvent(event.event_id))) return;
            await this.deps.membership.onInvite(event.room_id, event.sender);
        } else if (membership === "leave" || membership === "ban") {
            await this.deps.membership.onBotLeft(event.room_id, membership);
        }
    }

    private async onMessage(event: WeakEvent): Promise<void> {
        const content = event.content as { msgtype?: unknown; body?: unknown; "m.relates_to"?: { rel_type?: string } };
        if (typeof content.body !== "string") return;
        // An edited command is not a new command.
        if (content["m.relates_to"]?.rel_type === "m.replace") return;
        if (this.deps.interactions && (await this.deps.interactions.onEvent(event))) return;
        if (content.msgtype !== "m.text" || !this.deps.commands.isCommand(content.body)) return;
        const message: IncomingMessage = { roomId: event.room_id, sender: event.sender, eventId: event.event_id, body: content.body };
        let firstTime: boolean;
        try {
            firstTime = await this.deps.claimEvent(event.event_id);
        } catch (err) {
            log.error(`Not running ${event.event_id} from ${event.sender} in ${event.room_id}: its claim could not be stored:`, err);
            await this.deps.refuse?.(message, UNRECORDED_COMMAND);
            return;
        }
        if (!firstTime) {
            log.info(`Ignoring ${event.event_id}: already handled (re-sent transaction)`);
            return;
        }
        await this.deps.commands.handle(message);
    }
}
