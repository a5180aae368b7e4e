import * as path from "node:path";
import {
    BridgeConfig,
    DatabaseConfig,
    GotifyConfig,
    MonitorConfig,
    PermissionRule,
    SemaphoreConfig,
} from "./Config";

/* The input has passed the schema and the cross checks, with defaults and secrets filled in, so
 * the shapes below hold; this step only picks keys, drops the `…File` ones and resolves paths. */
type Checked = Record<string, any>;

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "");

function optionalPath(baseDir: string, value: string | undefined): string | undefined {
    return value === undefined ? undefined : path.resolve(baseDir, value);
}

function semaphore(s: Checked, baseDir: string): SemaphoreConfig {
    return {
        url: withoutTrailingSlash(s.url),
        apiToken: s.apiToken,
        ignoreSsl: s.ignoreSsl,
        caFile: optionalPath(baseDir, s.caFile),
        requestTimeoutMs: s.requestTimeoutMs,
    };
}

function gotify(g: Checked | undefined, baseDir: string): GotifyConfig | undefined {
    if (!g) return undefined;
    return {
        url: withoutTrailingSlash(g.url),
        clientToken: g.clientToken,
        appToken: g.appToken,
        appId: g.appId,
        appName: g.appName,
        ignoreSsl: g.ignoreSsl,
        caFile: optionalPath(baseDir, g.caFile),
    };
}

function database(d: Checked): DatabaseConfig {
    return d.engine === "postgres" ? { engine: "postgres", url: d.url } : { engine: "nedb" };
}

function monitor(m: Checked): MonitorConfig {
    return {
        source: m.source,
        fallbackPollIntervalSeconds: m.fallbackPollIntervalSeconds,
        pollIntervalSeconds: m.pollIntervalSeconds,
        startingPollIntervalSeconds: m.startingPollIntervalSeconds,
        reconcileIntervalSeconds: m.reconcileIntervalSeconds,
    };
}

/** Without rules, everyone on the bridge's own homeserver may use commands. */
function permissions(rules: Checked[] | undefined, domain: string): PermissionRule[] {
    return (rules ?? [{ actor: domain, level: "commands" }]).map((r) => ({ actor: r.actor, level: r.level }));
}

/** Removes keys whose value is undefined, so deep equality and YAML dumps see only what is set. */
function compact<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The typed configuration from a checked, defaulted, secret-resolved config object. */
export function assembleConfig(c: Checked, baseDir: string): BridgeConfig {
    const gotifyConfig = gotify(c.gotify, baseDir);
    return compact({
        homeserver: { url: withoutTrailingSlash(c.homeserver.url), domain: c.homeserver.domain },
        bridge: compact({
            port: c.bridge.port,
            bindAddress: c.bridge.bindAddress,
            displayName: c.bridge.displayName,
            avatarUrl: c.bridge.avatarUrl,
            dataDir: path.resolve(baseDir, c.bridge.dataDir),
        }),
        commands: { prefix: c.commands.prefix, confirm: c.commands.confirm, confirmTimeoutSeconds: c.commands.confirmTimeoutSeconds },
        logging: compact({ level: c.logging.level, file: optionalPath(baseDir, c.logging.file) }),
        permissions: permissions(c.permissions, c.homeserver.domain),
        semaphore: compact(semaphore(c.semaphore, baseDir)),
        gotify: gotifyConfig && compact(gotifyConfig),
        monitor: monitor(c.monitor),
        database: database(c.database),
        metrics: { enabled: c.metrics.enabled, port: c.metrics.port, bindAddress: c.metrics.bindAddress, path: c.metrics.path },
        admin: { sourceDownAlertMinutes: c.admin.sourceDownAlertMinutes },
    });
}
