import { randomBytes } from "node:crypto";
import { GotifyMessage } from "../../../src/gotify/types";

/**
 * The simulator's database: one user with its applications, clients and messages. Survives a
 * simulated server restart (stop/start). No I/O here.
 */

export interface StoredApplication {
    id: number;
    name: string;
    description: string;
    token: string;
}

export interface NewMessage {
    title?: string;
    message: string;
    priority?: number;
    extras?: Record<string, unknown>;
}

/** One page of messages, newest first, as Gotify's paging computes it (api/message.go). */
export interface MessagePage {
    messages: GotifyMessage[];
    limit: number;
    /** Oldest returned id when an older page exists, else 0. */
    since: number;
    hasNext: boolean;
}

const TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

/** Gotify tokens: a class prefix (A = application, C = client) and 14 random characters. */
function generateToken(prefix: "A" | "C"): string {
    const bytes = randomBytes(14);
    return prefix + Array.from(bytes, (b) => TOKEN_ALPHABET[b % TOKEN_ALPHABET.length]).join("");
}

export class GotifyStore {
    private readonly applications: StoredApplication[] = [];
    private readonly clientTokens = new Set<string>();
    /** Ascending by id; ids are global across applications. */
    private readonly messages: GotifyMessage[] = [];
    private nextApplicationId = 1;
    private nextMessageId = 1;

    createApplication(name: string, description = ""): StoredApplication {
        const app = { id: this.nextApplicationId++, name, description, token: generateToken("A") };
        this.applications.push(app);
        return app;
    }

    createClient(): string {
        const token = generateToken("C");
        this.clientTokens.add(token);
        return token;
    }

    listApplications(): readonly StoredApplication[] {
        return this.applications;
    }

    applicationById(id: number): StoredApplication | undefined {
        return this.applications.find((a) => a.id === id);
    }

    applicationByToken(token: string): StoredApplication | undefined {
        return this.applications.find((a) => a.token === token);
    }

    isClientToken(token: string): boolean {
        return this.clientTokens.has(token);
    }

    addMessage(app: StoredApplication, input: NewMessage): GotifyMessage {
        const message: GotifyMessage = {
            id: this.nextMessageId++,
            appid: app.id,
            message: input.message,
            // Gotify uses the application name when the title is empty.
            title: input.title || app.name,
            priority: input.priority ?? 0,
            date: new Date().toISOString(),
        };
        if (input.extras !== undefined) {
            message.extras = input.extras;
        }
        this.messages.push(message);
        return message;
    }

    allMessages(): readonly GotifyMessage[] {
        return this.messages;
    }

    /** `since` = only ids less than it (0: no bound); `appId` null = all applications. */
    page(appId: number | null, limit: number, since: number): MessagePage {
        const matching: GotifyMessage[] = [];
        for (let i = this.messages.length - 1; i >= 0 && matching.length <= limit; i--) {
            const m = this.messages[i];
            if ((appId === null || m.appid === appId) && (since === 0 || m.id < since)) {
                matching.push(m);
            }
        }
        // Gotify asks its database for limit + 1 rows: the extra one only proves a next page exists.
        const hasNext = matching.length > limit;
        const messages = hasNext ? matching.slice(0, limit) : matching;
        return { messages, limit, since: hasNext ? messages[messages.length - 1].id : 0, hasNext };
    }
}
