/** Typed view of config.yaml after validation, defaults and secret resolution (see config.schema.yaml). */

export const PERMISSION_LEVELS = ["notifications", "commands", "manage", "admin"] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

export interface PermissionRule {
    /** "@user:server", "server" (a homeserver domain) or "*". */
    actor: string;
    level: PermissionLevel;
}

export type MonitorSource = "gotify" | "semaphore" | "polling";

/** TLS options for one outgoing client; never applied process-wide. */
export interface TlsOptions {
    /** Skip certificate verification for this client only (ChatrixCD's `ignore_ssl`). */
    ignoreSsl: boolean;
    /** PEM file with extra CA certificates trusted by this client. */
    caFile?: string;
}

export interface SemaphoreConfig extends TlsOptions {
    /** Base URL of Semaphore UI, e.g. https://semaphore.example.com (no trailing /api). */
    url: string;
    apiToken: string;
    requestTimeoutMs: number;
}

export interface GotifyConfig extends TlsOptions {
    url: string;
    /** Client token (reads the stream and messages). ChatrixCD: `gotify_token`. */
    clientToken: string;
    /** Application token Semaphore posts with; used to find the application id. ChatrixCD: `gotify_app_token`. */
    appToken?: string;
    /** Gotify application id of Semaphore's alerts; wins over appToken / appName. */
    appId?: number;
    /** Name of the Gotify application, used when neither appId nor a matching appToken is found. */
    appName: string;
}

export interface MonitorConfig {
    /** The one active push source, or polling only. ChatrixCD: `webhook_mode`. */
    source: MonitorSource;
    /** Poll interval while the push source is down. ChatrixCD: `fallback_poll_interval`. */
    fallbackPollIntervalSeconds: number;
    /** Poll interval when source is "polling". */
    pollIntervalSeconds: number;
    /** Poll interval for projects with a watched task still waiting/starting. */
    startingPollIntervalSeconds: number;
    /** How often unfinished watched tasks are reconciled through the API while a push source is up. */
    reconcileIntervalSeconds: number;
}

export type DatabaseConfig = { engine: "nedb" } | { engine: "postgres"; url: string };

export interface MetricsConfig {
    enabled: boolean;
    port: number;
    bindAddress: string;
    path: string;
}

export interface LoggingConfig {
    level: "error" | "warn" | "info" | "debug" | "trace";
    /** Optional log file in addition to the console. */
    file?: string;
}

export interface CommandsConfig {
    prefix: string;
    /** Ask before run/stop. */
    confirm: boolean;
    confirmTimeoutSeconds: number;
}

export interface BridgeConfig {
    homeserver: { url: string; domain: string };
    bridge: {
        port: number;
        bindAddress: string;
        displayName: string;
        avatarUrl?: string;
        dataDir: string;
    };
    commands: CommandsConfig;
    logging: LoggingConfig;
    permissions: PermissionRule[];
    semaphore: SemaphoreConfig;
    gotify?: GotifyConfig;
    monitor: MonitorConfig;
    database: DatabaseConfig;
    metrics: MetricsConfig;
    admin: {
        /** Minutes a push source may be down before the admin room is told. */
        sourceDownAlertMinutes: number;
    };
}
