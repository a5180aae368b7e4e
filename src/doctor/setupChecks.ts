import { accessSync, constants, readFileSync, statSync } from "node:fs";
import * as yaml from "js-yaml";
import { AppServiceRegistration } from "matrix-appservice-bridge";
import { BridgeConfig } from "../config/Config";
import { ConfigError, loadConfig } from "../config/loadConfig";
import { isMapping } from "../config/mapping";
import { Env } from "../config/secrets";
import { assertUsableRegistration, RegistrationError } from "../matrix/registrationCheck";
import { displayUrl } from "../semaphore/failures";
import { Outcome, failed, passed } from "./results";

export const CONFIG_TITLE = "Configuration";
export const REGISTRATION_TITLE = "Registration";

/** The files a check was given, as the user named them (relative paths stay relative in the output). */
export interface SetupFiles {
    configPath: string;
    registrationPath: string;
}

export function checkConfig(configPath: string, env: Env): { outcome: Outcome; config?: BridgeConfig } {
    const unreadable = readProblem(configPath);
    if (unreadable) {
        const fix = "pass the path of your config.yaml with -c, or start one from config.sample.yaml";
        return { outcome: failed(`cannot read ${configPath} (${unreadable})`, fix) };
    }
    try {
        return { outcome: passed(`${configPath} is valid`), config: loadConfig(configPath, env) };
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        const problems = err.problems.length === 1 ? "1 problem" : `${err.problems.length} problems`;
        const fix = "correct the problems above; docs/configuration.md describes every key, config.sample.yaml shows an example";
        return { outcome: failed(`${configPath} has ${problems}`, fix, err.problems.map((p) => `- ${p}`)) };
    }
}

/** Why `file` cannot be read (an errno code such as ENOENT), or undefined when it can. */
function readProblem(file: string): string | undefined {
    try {
        accessSync(file, constants.R_OK);
        return statSync(file).isDirectory() ? "EISDIR" : undefined;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code ?? "unknown error";
    }
}

function generateFix(files: SetupFiles): string {
    return (
        `generate one with: matrix-semaphore-bridge -r -u http://<bridge host>:<bridge.port> -c ${files.configPath} -f ${files.registrationPath}, ` +
        "then add its path to app_service_config_files in Synapse's homeserver.yaml and restart Synapse"
    );
}

/**
 * Reads the registration as the bridge's CLI does and checks it the way start() will: real tokens,
 * a sender, and (given the config's domain) a namespace that claims the bot exclusively.
 */
export function checkRegistration(files: SetupFiles, domain?: string): { outcome: Outcome; registration?: AppServiceRegistration } {
    const file = files.registrationPath;
    const unreadable = readProblem(file);
    if (unreadable) {
        return { outcome: failed(`cannot read ${file} (${unreadable})`, generateFix(files)) };
    }
    let document: unknown;
    try {
        document = yaml.load(readFileSync(file, "utf8"));
    } catch (err) {
        // Only reason and position: js-yaml's message quotes the file, and this one holds tokens.
        const yamlError = err as yaml.YAMLException;
        const at = yamlError.mark ? ` at line ${yamlError.mark.line + 1}` : "";
        return { outcome: failed(`${file} is not valid YAML${at}: ${yamlError.reason}`, generateFix(files)) };
    }
    if (!isMapping(document)) {
        return { outcome: failed(`${file} does not hold a registration (expected a YAML mapping)`, generateFix(files)) };
    }
    const registration = AppServiceRegistration.fromObject(document as never);
    try {
        assertUsableRegistration(registration, file);
    } catch (err) {
        if (!(err instanceof RegistrationError)) throw err;
        const [first, ...rest] = err.message.split("\n");
        return { outcome: failed(first, undefined, rest) };
    }
    if (!registration.getId()) {
        return { outcome: failed(`${file} has no id`, generateFix(files)) };
    }
    const bot = domain === undefined ? undefined : `@${registration.getSenderLocalpart()}:${domain}`;
    if (bot !== undefined && !registration.isUserMatch(bot, true)) {
        return {
            outcome: failed(
                `${file} does not claim the bot ${bot} exclusively (its users namespace is for another user or domain)`,
                `homeserver.domain must be the domain the registration was generated for; after changing it, ${generateFix(files)}`,
            ),
        };
    }
    const url = registration.getAppServiceUrl();
    const where = !url ? "no bridge URL" : URL.canParse(url) ? `bridge URL ${displayUrl(url)}` : "a bridge URL that is not a URL";
    const botPart = bot === undefined ? "" : `, bot ${bot}`;
    return { outcome: passed(`${file} is usable (id ${registration.getId()}${botPart}, ${where})`), registration };
}
