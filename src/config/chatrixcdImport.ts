import * as path from "node:path";
import { isMapping } from "./mapping";

/**
 * Turns a ChatrixCD configuration (config.json, and the semaphore_webhook plugin's plugin.json)
 * into the keys of our config.yaml. Pure: reading files, writing YAML and validating are the
 * CLI's job (src/cli/importChatrixcd.ts). Warnings name keys only, never values: some are tokens.
 */

type Mapping = Record<string, unknown>;

export interface ChatrixcdImportOptions {
    /** Directory of ChatrixCD's config.json; its relative paths (CA cert, log file) resolve from here. */
    configDir: string;
    /** Overrides `matrix.homeserver`. */
    homeserverUrl?: string;
    /** Overrides the server name taken from `matrix.user_id`. */
    domain?: string;
}

export interface ChatrixcdImport {
    /** config.yaml content, only the keys that came from ChatrixCD (defaults are left to the loader). */
    config: Mapping;
    /** One line per ChatrixCD key that was not carried over, and why. */
    warnings: string[];
}

const APPSERVICE_LOGIN = "an application service logs in with the tokens of registration.yaml, not as a user";
const NO_TERMINAL_UI = "the bridge has no terminal interface";
const NO_GREETINGS = "the bridge posts no startup or shutdown messages";

/** Why a key has no equivalent, where there is more to say than "no equivalent". */
const REASONS: Record<string, string> = {
    "matrix.user_id": "the bot user is registration.yaml's sender_localpart",
    "semaphore.ssl_client_cert": "client certificates are not supported",
    "semaphore.ssl_client_key": "client certificates are not supported",
    "bot.allowed_rooms":
        "rooms are not actors: permissions go to users (@user:server), servers or *, and the bot " +
        "acts in any room it is invited to. Limit who may command it with permissions, and invite it only where it belongs",
    "bot.greetings_enabled": NO_GREETINGS,
    "bot.greeting_rooms": NO_GREETINGS,
    "bot.startup_message": NO_GREETINGS,
    "bot.shutdown_message": NO_GREETINGS,
    "bot.tui_mode": NO_TERMINAL_UI,
    "bot.mouse_enabled": NO_TERMINAL_UI,
    "bot.color_enabled": NO_TERMINAL_UI,
    "bot.color_theme": NO_TERMINAL_UI,
    "bot.load_plugins": "task watching is built in; with plugins off ChatrixCD watched nothing, so monitor.source is polling",
    "plugins.semaphore_poll.notification_interval": "the bridge posts no periodic still-running notices",
};
const SECTION_REASONS: Record<string, string> = { matrix: APPSERVICE_LOGIN };

/** ChatrixCD's own metadata, meaningless elsewhere. */
const IGNORED_TOP_LEVEL = new Set(["_config_version"]);

/** ChatrixCD's `verbosity` → our `logging.level`. */
const LOG_LEVELS: Record<string, string> = { silent: "error", error: "error", info: "info", debug: "debug" };

function isEmpty(value: unknown): boolean {
    if (value === undefined || value === null || value === "") return true;
    if (Array.isArray(value)) return value.length === 0;
    return isMapping(value) && Object.keys(value).length === 0;
}

function section(parent: Mapping, key: string): Mapping {
    const value = parent[key];
    return isMapping(value) ? value : {};
}

/** ChatrixCD's deep merge: config.json's keys win, but a null there keeps plugin.json's value. */
function mergePluginConfig(defaults: Mapping, overrides: Mapping): Mapping {
    const merged = { ...defaults };
    for (const [key, value] of Object.entries(overrides)) if (value !== null && value !== undefined) merged[key] = value;
    return merged;
}

/** `@chatrixcd:example.com` → `example.com` */
function serverNameOf(userId: unknown): string | undefined {
    if (typeof userId !== "string") return undefined;
    const colon = userId.indexOf(":");
    return colon > 0 ? userId.slice(colon + 1) : undefined;
}

function hostOf(url: unknown): string | undefined {
    try {
        return typeof url === "string" ? new URL(url).host : undefined;
    } catch {
        return undefined;
    }
}

/** Adds only the entries that have a value, so the output shows what ChatrixCD actually set. */
function defined(entries: Record<string, unknown>): Mapping {
    return Object.fromEntries(Object.entries(entries).filter(([, v]) => !isEmpty(v)));
}

class Importer {
    readonly warnings: string[] = [];

    constructor(private readonly options: ChatrixcdImportOptions) {}

    /** Warns about each key of `values` with a value that is not in `handled` ("" names the top level). */
    warnUnhandled(sectionName: string, values: Mapping, handled: readonly string[]): void {
        for (const [key, value] of Object.entries(values)) {
            if (handled.includes(key) || isEmpty(value)) continue;
            const name = sectionName ? `${sectionName}.${key}` : key;
            const reason = REASONS[name] ?? SECTION_REASONS[sectionName] ?? "no equivalent in the bridge";
            this.warnings.push(`${name}: not imported (${reason})`);
        }
    }

    filePath(value: unknown): unknown {
        return typeof value === "string" && value !== "" ? path.resolve(this.options.configDir, value) : value;
    }

    homeserver(matrix: Mapping): Mapping {
        const url = this.options.homeserverUrl ?? matrix.homeserver;
        const domain = this.options.domain ?? serverNameOf(matrix.user_id) ?? hostOf(url);
        this.warnUnhandled("matrix", matrix, ["homeserver"]);
        return defined({ url, domain });
    }

    semaphore(semaphore: Mapping): Mapping {
        this.warnUnhandled("semaphore", semaphore, ["url", "api_token", "ssl_verify", "ssl_ca_cert"]);
        return defined({
            url: semaphore.url,
            apiToken: semaphore.api_token,
            ignoreSsl: semaphore.ssl_verify === false ? true : undefined,
            caFile: this.filePath(semaphore.ssl_ca_cert),
        });
    }

    logging(bot: Mapping): Mapping {
        const verbosity = bot.verbosity;
        const level = typeof verbosity === "string" ? LOG_LEVELS[verbosity] : undefined;
        if (verbosity !== undefined && level === undefined) this.warnings.push("bot.verbosity: not imported (expected silent, error, info or debug)");
        return defined({ level, file: this.filePath(bot.log_file) });
    }

    permissions(bot: Mapping, domain: unknown): unknown[] | undefined {
        const admins = Array.isArray(bot.admin_users) ? bot.admin_users : [];
        if (admins.length === 0) return undefined;
        // Writing the list replaces the default rule, so keep it: everyone on the homeserver may use commands.
        const everyone = typeof domain === "string" ? [{ actor: domain, level: "commands" }] : [];
        return [...everyone, ...admins.map((actor) => ({ actor, level: "admin" }))];
    }

    webhookSource(webhook: Mapping, pluginsLoaded: boolean): string {
        if (!pluginsLoaded || webhook.enabled !== true) return "polling";
        const mode = webhook.webhook_mode ?? "websocket";
        if (mode === "polling") return "polling";
        if (mode !== "websocket") this.warnings.push("plugins.semaphore_webhook.webhook_mode: not imported (expected websocket or polling)");
        return "gotify";
    }

    gotify(webhook: Mapping): Mapping {
        this.warnUnhandled("plugins.semaphore_webhook", webhook, [
            "enabled",
            "gotify_url",
            "gotify_token",
            "gotify_app_token",
            "webhook_mode",
            "fallback_poll_interval",
            "ignore_ssl",
        ]);
        return defined({
            url: webhook.gotify_url,
            clientToken: webhook.gotify_token,
            appToken: webhook.gotify_app_token,
            ignoreSsl: webhook.ignore_ssl === true ? true : undefined,
        });
    }

    monitor(plugins: Mapping, webhook: Mapping, pluginsLoaded: boolean): Mapping {
        const poll = section(plugins, "semaphore_poll");
        this.warnUnhandled("plugins.semaphore_poll", poll, ["enabled", "poll_interval"]);
        this.warnUnhandled("plugins", plugins, ["semaphore_webhook", "semaphore_poll"]);
        return defined({
            source: this.webhookSource(webhook, pluginsLoaded),
            fallbackPollIntervalSeconds: webhook.fallback_poll_interval,
            pollIntervalSeconds: poll.poll_interval,
        });
    }
}

/** See ChatrixcdImport. `pluginJson` is plugins/semaphore_webhook/plugin.json, when given. */
export function importChatrixcdConfig(configJson: Mapping, pluginJson: Mapping | undefined, options: ChatrixcdImportOptions): ChatrixcdImport {
    const importer = new Importer(options);
    const bot = section(configJson, "bot");
    const plugins = section(configJson, "plugins");
    const webhook = mergePluginConfig(pluginJson ?? {}, section(plugins, "semaphore_webhook"));
    const pluginsLoaded = bot.load_plugins !== false;

    const homeserver = importer.homeserver(section(configJson, "matrix"));
    const semaphore = importer.semaphore(section(configJson, "semaphore"));
    const commands = defined({ prefix: bot.command_prefix });
    const logging = importer.logging(bot);
    const permissions = importer.permissions(bot, homeserver.domain);
    importer.warnUnhandled("bot", bot, ["command_prefix", "admin_users", "log_file", "verbosity", ...(pluginsLoaded ? ["load_plugins"] : [])]);
    const gotify = importer.gotify(webhook);
    const monitor = importer.monitor(plugins, webhook, pluginsLoaded);
    const handledTopLevel = ["matrix", "semaphore", "bot", "plugins", ...IGNORED_TOP_LEVEL];
    importer.warnUnhandled("", configJson, handledTopLevel);

    const config = defined({ homeserver, commands, logging, permissions, semaphore, gotify, monitor });
    return { config, warnings: importer.warnings };
}
