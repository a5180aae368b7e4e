import { Logger } from "matrix-appservice-bridge";

const log = new Logger("AdminVersions");

/** What each component says its version is; text ready to show. */
export interface ComponentVersions {
    bridge: string;
    semaphore: string;
    gotify: string;
    homeserver: string;
}

export interface VersionSources {
    bridge: string;
    semaphore(): Promise<string>;
    /** Absent when no Gotify is configured. */
    gotify?: () => Promise<string>;
    homeserver(): Promise<string>;
}

export const NOT_ANSWERING = "unknown (not answering)";
export const NOT_CONFIGURED = "not configured";

/** Asks everyone at once; one that fails is shown as unknown (details only in the log, they may name hosts). */
export async function collectVersions(sources: VersionSources): Promise<ComponentVersions> {
    const ask = (name: string, question: () => Promise<string>) =>
        question().catch((err: unknown) => {
            log.warn(`Could not read the ${name} version:`, err);
            return NOT_ANSWERING;
        });
    const [semaphore, gotify, homeserver] = await Promise.all([
        ask("Semaphore", sources.semaphore),
        sources.gotify ? ask("Gotify", sources.gotify) : Promise.resolve(NOT_CONFIGURED),
        ask("homeserver", sources.homeserver),
    ]);
    return { bridge: sources.bridge, semaphore, gotify, homeserver };
}
