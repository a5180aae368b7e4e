import { GotifyApplication, GotifyHealth, GotifyMessage, GotifyPagedMessages, GotifyUser, GotifyVersion } from "./types";

/**
 * Light checks of what Gotify answered: a proxy's HTML page or a changed API becomes a clear
 * error, not a crash in the backfill. Each reader returns undefined when unreadable.
 */

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number {
    return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** A message needs an id and an application id; everything else is the parser's business. */
export function readMessage(data: unknown): GotifyMessage | undefined {
    return isRecord(data) && isId(data.id) && isId(data.appid) ? (data as unknown as GotifyMessage) : undefined;
}

export function readPagedMessages(data: unknown): GotifyPagedMessages | undefined {
    if (!isRecord(data) || !isRecord(data.paging) || !Array.isArray(data.messages)) {
        return undefined;
    }
    const messages = data.messages.map(readMessage);
    if (!messages.every((m) => m !== undefined) || !isId(data.paging.since)) {
        return undefined;
    }
    return data as unknown as GotifyPagedMessages;
}

export function readApplications(data: unknown): GotifyApplication[] | undefined {
    if (!Array.isArray(data)) {
        return undefined;
    }
    return data.every((a) => isRecord(a) && isId(a.id) && typeof a.name === "string") ? (data as GotifyApplication[]) : undefined;
}

export function readHealth(data: unknown): GotifyHealth | undefined {
    return isRecord(data) && typeof data.health === "string" ? (data as unknown as GotifyHealth) : undefined;
}

export function readVersion(data: unknown): GotifyVersion | undefined {
    return isRecord(data) && typeof data.version === "string" ? (data as unknown as GotifyVersion) : undefined;
}

export function readUser(data: unknown): GotifyUser | undefined {
    return isRecord(data) && isId(data.id) && typeof data.name === "string" ? (data as unknown as GotifyUser) : undefined;
}
