/** Shapes of Gotify's REST API as far as the bridge uses them (PROTOCOLS.md §3). */

export interface GotifyMessage {
    /** Global across applications, increasing monotonically. */
    id: number;
    appid: number;
    message: string;
    title?: string;
    priority?: number;
    extras?: Record<string, unknown>;
    date: string;
}

export interface GotifyPaging {
    size: number;
    /** Oldest id of this page when another page exists, else 0. */
    since: number;
    limit: number;
    /** URL of the next (older) page; absent on the last page. */
    next?: string;
}

export interface GotifyPagedMessages {
    paging: GotifyPaging;
    messages: GotifyMessage[];
}

export interface GotifyApplication {
    id: number;
    name: string;
    description?: string;
    /** Gotify v2 only: v3 no longer returns application tokens. */
    token?: string;
}

export interface GotifyHealth {
    health: string;
    database: string;
}

export interface GotifyVersion {
    version: string;
    commit?: string;
    buildDate?: string;
}

export interface GotifyUser {
    id: number;
    name: string;
    admin: boolean;
}
