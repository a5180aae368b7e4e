import { displayUrl } from "../net/urls";
import { GotifyConfig } from "../config/Config";
import { HttpClient, succeeded } from "../net/HttpClient";
import { GotifyCallContext, GotifyError, gotifyAnswerError, toGotifyError } from "./GotifyError";
import { readApplications, readHealth, readPagedMessages, readUser, readVersion } from "./responses";
import { GotifyApplication, GotifyHealth, GotifyPagedMessages, GotifyUser, GotifyVersion } from "./types";

export interface GotifyClientOptions {
    /** Per request; default 10 s. */
    timeoutMs?: number;
}

export interface PageRequest {
    /** 1..200 (Gotify answers 400 otherwise). */
    limit: number;
    /** Only messages with ids less than this; omitted = from the newest. */
    since?: number;
}

/** Gotify's bounds for `limit` (api/message.go). */
export const MAX_PAGE_SIZE = 200;

/** REST client of Gotify (PROTOCOLS.md §3), reading with the client token. Every failure is a GotifyError. */
export class GotifyClient {
    private readonly http: HttpClient;
    private readonly baseUrl: string;
    private readonly timeoutMs: number;

    constructor(
        private readonly config: GotifyConfig,
        options: GotifyClientOptions = {},
    ) {
        this.timeoutMs = options.timeoutMs ?? 10_000;
        this.baseUrl = displayUrl(config.url, "gotify.url");
        // The token goes in a header only: in a URL it would end up in proxy and access logs.
        this.http = new HttpClient({ baseUrl: config.url, timeoutMs: this.timeoutMs, tls: config, headers: { "X-Gotify-Key": config.clientToken } });
    }

    health(): Promise<GotifyHealth> {
        return this.get("/health", "checking its health", readHealth);
    }

    version(): Promise<GotifyVersion> {
        return this.get("/version", "asking for its version", readVersion);
    }

    /** Validates the client token. */
    currentUser(): Promise<GotifyUser> {
        return this.get("/current/user", "checking the client token", readUser);
    }

    listApplications(): Promise<GotifyApplication[]> {
        return this.get("/application", "listing applications", readApplications);
    }

    /** One page of an application's messages, newest first. */
    getAppMessages(appId: number, page: PageRequest): Promise<GotifyPagedMessages> {
        if (!Number.isSafeInteger(appId) || appId < 1) {
            return Promise.reject(new GotifyError("config", `${appId} is not a valid Gotify application id`));
        }
        const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(page.limit)));
        const params: Record<string, number> = { limit };
        if (page.since !== undefined) {
            params.since = page.since;
        }
        return this.get(`/application/${appId}/message`, `reading the messages of application ${appId}`, readPagedMessages, params);
    }

    /**
     * The id of the application Semaphore posts with: gotify.appId when set, else the application
     * whose token is gotify.appToken (Gotify v2 only), else the one named gotify.appName.
     */
    async resolveSemaphoreAppId(cfg: GotifyConfig): Promise<number> {
        if (cfg.appId !== undefined) {
            return cfg.appId;
        }
        const apps = await this.listApplications();
        const byToken = cfg.appToken ? apps.find((a) => a.token === cfg.appToken) : undefined;
        if (byToken) {
            return byToken.id;
        }
        const byName = apps.filter((a) => a.name === cfg.appName);
        if (byName.length === 1) {
            return byName[0].id;
        }
        throw new GotifyError("config", unresolvedAppMessage(cfg, apps, byName.length));
    }

    private async get<T>(path: string, action: string, read: (data: unknown) => T | undefined, query?: Record<string, number>): Promise<T> {
        const ctx: GotifyCallContext = { baseUrl: this.baseUrl, timeoutMs: this.timeoutMs, clientToken: this.config.clientToken, action };
        let data: unknown;
        try {
            const answer = await this.http.request({ method: "GET", path, query });
            if (!succeeded(answer)) throw gotifyAnswerError(answer.status, ctx);
            data = answer.data;
        } catch (err) {
            throw toGotifyError(err, ctx);
        }
        const value = read(data);
        if (value === undefined) {
            throw new GotifyError("server", `Gotify at ${this.baseUrl} sent an answer the bridge cannot read while ${action}`);
        }
        return value;
    }
}

function unresolvedAppMessage(cfg: GotifyConfig, apps: GotifyApplication[], sameName: number): string {
    const fix = "set gotify.appId to the id of the application Semaphore posts to (Gotify web UI → Apps)";
    if (sameName > 1) {
        return `${sameName} Gotify applications are named "${cfg.appName}" (gotify.appName): ${fix}`;
    }
    const tokensHidden = cfg.appToken !== undefined && apps.every((a) => a.token === undefined);
    const tokenPart = cfg.appToken === undefined ? "" : tokensHidden ? " (this Gotify does not list application tokens, so gotify.appToken cannot be matched)" : ", nor has the token gotify.appToken";
    return `No Gotify application is named "${cfg.appName}" (gotify.appName)${tokenPart}: ${fix}`;
}

