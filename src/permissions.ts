import { PERMISSION_LEVELS, PermissionLevel, PermissionRule } from "./config/Config";

/** A user who matches no rule has this; it is below every level, so they can do nothing. */
export type Level = PermissionLevel | "none";

function rank(level: Level): number {
    return level === "none" ? -1 : PERMISSION_LEVELS.indexOf(level);
}

export function atLeast(level: Level, required: PermissionLevel): boolean {
    return rank(level) >= rank(required);
}

function domainOf(userId: string): string {
    const colon = userId.indexOf(":");
    return colon === -1 ? "" : userId.slice(colon + 1);
}

/**
 * Resolves a Matrix user's level from the configured rules. The most specific matching rule wins
 * (a user id over a server name over "*"), so an operator can lower one user below their server.
 */
export class Permissions {
    constructor(private readonly rules: readonly PermissionRule[]) {}

    levelOf(userId: string): Level {
        const byActor = (actor: string) => this.rules.find((rule) => rule.actor === actor)?.level;
        return byActor(userId) ?? byActor(domainOf(userId)) ?? byActor("*") ?? "none";
    }

    allows(userId: string, required: PermissionLevel): boolean {
        return atLeast(this.levelOf(userId), required);
    }
}
