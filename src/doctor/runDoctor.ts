import { randomUUID } from "node:crypto";
import { Env } from "../config/secrets";
import { Emit, runChain } from "./chain";
import { gotifySteps } from "./gotifyChecks";
import { homeserverSteps } from "./homeserverChecks";
import { CheckResult, skipped } from "./results";
import { semaphoreSteps } from "./semaphoreChecks";
import { CONFIG_TITLE, REGISTRATION_TITLE, SetupFiles, checkConfig, checkRegistration } from "./setupChecks";

export interface DoctorOptions {
    /** Per request; default 5 s, so a dead service is reported promptly. */
    timeoutMs?: number;
    /** Transaction id of the appservice ping; default a random one. */
    newTransactionId?: () => string;
}

export const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Checks the setup in the order its parts depend on each other — configuration and registration,
 * homeserver and appservice, Gotify, Semaphore — emitting each result as soon as it is known.
 * Returns them all.
 */
export async function runDoctor(files: SetupFiles, env: Env, emit: Emit, options: DoctorOptions = {}): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    const record: Emit = (result) => {
        results.push(result);
        emit(result);
    };
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

    const { outcome: configOutcome, config } = checkConfig(files.configPath, env);
    record({ title: CONFIG_TITLE, ...configOutcome });
    const { outcome: registrationOutcome, registration } = checkRegistration(files, config?.homeserver.domain);
    record({ title: REGISTRATION_TITLE, ...registrationOutcome });
    if (config === undefined) {
        record({ title: "Other checks", ...skipped("skipped until the configuration is valid") });
        return results;
    }

    const transactionId = (options.newTransactionId ?? (() => `doctor-${randomUUID()}`))();
    await runChain(homeserverSteps(config, registration, { timeoutMs, transactionId }), record);
    if (config.gotify) {
        await runChain(gotifySteps(config.gotify, timeoutMs), record);
    } else {
        record({ title: "Gotify", ...skipped("not configured") });
    }
    await runChain(semaphoreSteps(config, timeoutMs), record);
    return results;
}
