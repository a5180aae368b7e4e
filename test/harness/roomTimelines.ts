import type { MatrixEvent } from "./matrixUser";

/** The parts of a /sync response the test client reads. */
export interface SyncResponse {
    next_batch: string;
    rooms?: {
        join?: Record<string, { state?: { events?: MatrixEvent[] }; timeline?: { events?: MatrixEvent[] } }>;
        invite?: Record<string, { invite_state?: { events?: MatrixEvent[] } }>;
        leave?: Record<string, { state?: { events?: MatrixEvent[] }; timeline?: { events?: MatrixEvent[] } }>;
    };
}

interface RoomTimeline {
    events: MatrixEvent[];
    ids: Set<string>;
    /** Index of the first event no wait has passed yet. */
    cursor: number;
}

/** One line about an event for error messages. */
export function describeEvent(event: MatrixEvent): string {
    const stateKey = event.state_key === undefined ? "" : ` [${event.state_key}]`;
    const content = JSON.stringify(event.content);
    const shown = content.length > 200 ? `${content.slice(0, 200)}…` : content;
    return `${event.type}${stateKey} from ${event.sender}: ${shown}`;
}

/**
 * Every event a user's /sync delivered, per room and in order, with a per-room cursor so successive
 * waits walk forward through the room without missing what arrived between them.
 */
export class RoomTimelines {
    private readonly rooms = new Map<string, RoomTimeline>();

    add(sync: SyncResponse): void {
        for (const [roomId, joined] of Object.entries(sync.rooms?.join ?? {})) {
            this.append(roomId, joined.state?.events);
            this.append(roomId, joined.timeline?.events);
        }
        for (const [roomId, invited] of Object.entries(sync.rooms?.invite ?? {})) {
            this.append(roomId, invited.invite_state?.events);
        }
        for (const [roomId, left] of Object.entries(sync.rooms?.leave ?? {})) {
            this.append(roomId, left.state?.events);
            this.append(roomId, left.timeline?.events);
        }
    }

    /**
     * The first matching event at or after the cursor (or right after event `since`, when given), moving
     * the cursor past it. Undefined when none matches yet, or `since` has not arrived yet.
     */
    takeFirst(roomId: string, predicate: (event: MatrixEvent) => boolean, since?: string): MatrixEvent | undefined {
        const timeline = this.rooms.get(roomId);
        if (timeline === undefined) return undefined;
        let start = timeline.cursor;
        if (since !== undefined) {
            const sinceIndex = timeline.events.findIndex((e) => e.event_id === since);
            if (sinceIndex < 0) return undefined;
            start = sinceIndex + 1;
        }
        for (let i = start; i < timeline.events.length; i++) {
            const event = timeline.events[i];
            if (predicate(event)) {
                timeline.cursor = Math.max(timeline.cursor, i + 1);
                return event;
            }
        }
        return undefined;
    }

    has(roomId: string, eventId: string): boolean {
        return this.rooms.get(roomId)?.ids.has(eventId) ?? false;
    }

    lastEvents(roomId: string, count: number): MatrixEvent[] {
        return this.rooms.get(roomId)?.events.slice(-count) ?? [];
    }

    private append(roomId: string, events: MatrixEvent[] | undefined): void {
        if (!events?.length) return;
        let timeline = this.rooms.get(roomId);
        if (timeline === undefined) {
            timeline = { events: [], ids: new Set(), cursor: 0 };
            this.rooms.set(roomId, timeline);
        }
        for (const event of events) {
            // State can be repeated (initial sync state block, a re-join); keep each event once.
            if (event.event_id !== undefined) {
                if (timeline.ids.has(event.event_id)) continue;
                timeline.ids.add(event.event_id);
            }
            timeline.events.push(event);
        }
    }
}
