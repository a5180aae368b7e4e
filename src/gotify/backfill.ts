import { GotifyClient } from "./GotifyClient";
import { GotifyMessage } from "./types";

export type MessagePager = Pick<GotifyClient, "getAppMessages">;

export interface MissedMessages {
    /** Ascending by id, all newer than the cursor. */
    messages: GotifyMessage[];
    /** More than maxMessages were missed: the oldest of them are not in `messages`. */
    truncated: boolean;
}

/**
 * Gotify has no "newer than" query: page down from the newest message until one at or below the
 * cursor shows up, then hand them over oldest first (PROTOCOLS.md §3).
 */
export async function fetchMessagesAfter(
    pager: MessagePager,
    appId: number,
    cursor: number,
    options: { pageSize: number; maxMessages: number },
): Promise<MissedMessages> {
    const newestFirst: GotifyMessage[] = [];
    const done = (truncated: boolean): MissedMessages => ({ messages: newestFirst.reverse(), truncated });
    let since: number | undefined;
    for (;;) {
        const page = await pager.getAppMessages(appId, { limit: options.pageSize, since });
        for (const message of page.messages) {
            if (message.id <= cursor) {
                return done(false);
            }
            if (newestFirst.length >= options.maxMessages) {
                return done(true);
            }
            newestFirst.push(message);
        }
        const next = page.paging.since;
        // since = 0 marks the last page; a server that does not move on must not loop us forever.
        if (next === 0 || page.messages.length === 0 || (since !== undefined && next >= since)) {
            return done(false);
        }
        since = next;
    }
}

/** Id of the application's newest message, or null when it has none. */
export async function newestMessageId(pager: MessagePager, appId: number): Promise<number | null> {
    const page = await pager.getAppMessages(appId, { limit: 1 });
    return page.messages[0]?.id ?? null;
}
