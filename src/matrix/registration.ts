import { AppServiceRegistration } from "matrix-appservice-bridge";

export const BOT_LOCALPART = "semaphore";

function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The namespace the bridge claims: exactly its bot user, exclusively. */
export function botUserRegex(domain: string, localpart = BOT_LOCALPART): string {
    return `^@${escapeRegex(localpart)}:${escapeRegex(domain)}$`;
}

/** Fills a fresh registration: unique id, random tokens, the bot, not rate limited. */
export function fillRegistration(reg: AppServiceRegistration, domain: string): AppServiceRegistration {
    reg.setId(`semaphore-${AppServiceRegistration.generateToken().slice(0, 16)}`);
    reg.setHomeserverToken(AppServiceRegistration.generateToken());
    reg.setAppServiceToken(AppServiceRegistration.generateToken());
    reg.setSenderLocalpart(BOT_LOCALPART);
    reg.addRegexPattern("users", botUserRegex(domain), true);
    reg.setRateLimited(false);
    return reg;
}
