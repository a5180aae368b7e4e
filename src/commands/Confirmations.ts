import { Logger } from "matrix-appservice-bridge";
import { ConfirmationAnswer, Confirmations as ConfirmationsPort } from "./services";
import { escapeHtml, TextContent } from "../matrix/formatting";
import { formatDuration } from "../semaphore/failures";
import { realScheduler, Scheduler, TimerHandle } from "../net/Scheduler";

const log = new Logger("Confirmations");

/** The parts of a Matrix event an answer is read from (a WeakEvent fits). */
export interface AnswerEvent {
    type: string;
    room_id: string;
    sender: string;
    event_id: string;
    content: Record<string, unknown>;
}

export interface ConfirmationsDeps {
    /** Sends a message into a room and resolves with its event id. */
    send(roomId: string, content: TextContent): Promise<string>;
    /** When false, every question is answered "yes" at once and nothing is sent. */
    enabled: boolean;
    timeoutMs: number;
    scheduler?: Scheduler;
}

interface Pending {
    roomId: string;
    userId: string;
    /** Known once the question is sent; reactions and replies point at it. */
    questionEventId?: string;
    timer: TimerHandle;
    resolve(answer: ConfirmationAnswer): void;
}

const TEXT_ANSWERS: Record<string, Exclude<ConfirmationAnswer, "timeout">> = { yes: "yes", y: "yes", no: "no", n: "no" };
// Reaction keys without the emoji variation selector (U+FE0F) and skin-tone modifiers.
const REACTION_ANSWERS: Record<string, Exclude<ConfirmationAnswer, "timeout">> = { "\u{1F44D}": "yes", "\u{1F44E}": "no" };
const EMOJI_VARIANTS = /[\uFE0F\u{1F3FB}-\u{1F3FF}]/gu;
// Clients that still send reply fallbacks put the quoted question first: "> <@bot> …\n\nyes".
const REPLY_FALLBACK = /^(?:>.*(?:\r?\n|$))+/;

interface Relation {
    rel_type?: unknown;
    event_id?: unknown;
    key?: unknown;
    "m.in_reply_to"?: { event_id?: unknown };
}

function relationOf(content: Record<string, unknown>): Relation {
    const relation = content["m.relates_to"];
    return typeof relation === "object" && relation !== null ? (relation as Relation) : {};
}

function textAnswer(content: Record<string, unknown>): ConfirmationAnswer | undefined {
    if (typeof content.body !== "string") return undefined;
    return TEXT_ANSWERS[content.body.replace(REPLY_FALLBACK, "").trim().toLowerCase()];
}

function reactionAnswer(key: unknown): ConfirmationAnswer | undefined {
    return typeof key === "string" ? REACTION_ANSWERS[key.replace(EMOJI_VARIANTS, "")] : undefined;
}

/**
 * Asks the requester of a destructive command to confirm it. Only the requester's answer in the same
 * room counts: `yes`/`no` (or y/n) as a message, or 👍/👎 on the question. A reply or reaction answers
 * the question it points at; a plain message answers the requester's newest question in the room.
 * Every question has its own timeout.
 */
export class Confirmations implements ConfirmationsPort {
    private readonly pending: Pending[] = [];
    private readonly scheduler: Scheduler;

    constructor(private readonly deps: ConfirmationsDeps) {
        this.scheduler = deps.scheduler ?? realScheduler;
    }

    get pendingCount(): number {
        return this.pending.length;
    }

    async ask(roomId: string, userId: string, question: TextContent): Promise<ConfirmationAnswer> {
        if (!this.deps.enabled) return "yes";
        const instruction = `Reply yes or no, or react 👍 / 👎, within ${formatDuration(this.deps.timeoutMs)}.`;
        const content: TextContent = {
            ...question,
            body: `${question.body}\n${instruction}`,
            formatted_body: `${question.formatted_body}<p>${escapeHtml(instruction)}</p>`,
        };
        // Registered before sending, so a quick typed answer cannot arrive "too early".
        let entry!: Pending;
        const answer = new Promise<ConfirmationAnswer>((resolve) => {
            entry = {
                roomId,
                userId,
                resolve,
                timer: this.scheduler.setTimeout(() => this.settle(entry, "timeout"), this.deps.timeoutMs),
            };
        });
        this.pending.push(entry);
        try {
            entry.questionEventId = await this.deps.send(roomId, content);
        } catch (err) {
            this.remove(entry);
            throw err;
        }
        return answer;
    }

    /** True when the event answered a pending question (then it is not a command). */
    async onEvent(event: AnswerEvent): Promise<boolean> {
        const match = this.match(event);
        if (!match) return false;
        log.info(`${event.sender} answered "${match.answer}" in ${event.room_id}`);
        this.settle(match.entry, match.answer);
        return true;
    }

    /** Shutdown: every open question ends as a timeout, no timer is left behind. */
    close(): void {
        for (const entry of [...this.pending]) this.settle(entry, "timeout");
    }

    private match(event: AnswerEvent): { entry: Pending; answer: ConfirmationAnswer } | undefined {
        const relation = relationOf(event.content);
        let answer: ConfirmationAnswer | undefined;
        let target: unknown;
        if (event.type === "m.reaction") {
            if (relation.rel_type !== "m.annotation") return undefined;
            answer = reactionAnswer(relation.key);
            target = relation.event_id;
        } else if (event.type === "m.room.message") {
            answer = textAnswer(event.content);
            target = relation["m.in_reply_to"]?.event_id;
        }
        if (!answer) return undefined;
        const mine = this.pending.filter((p) => p.roomId === event.room_id && p.userId === event.sender);
        const entry =
            target === undefined && event.type === "m.room.message"
                ? mine[mine.length - 1]
                : mine.find((p) => p.questionEventId !== undefined && p.questionEventId === target);
        return entry ? { entry, answer } : undefined;
    }

    private settle(entry: Pending, answer: ConfirmationAnswer): void {
        if (this.remove(entry)) entry.resolve(answer);
    }

    private remove(entry: Pending): boolean {
        const index = this.pending.indexOf(entry);
        if (index === -1) return false;
        this.pending.splice(index, 1);
        this.scheduler.clearTimeout(entry.timer);
        return true;
    }
}
