import { PermissionRule } from "../config/Config";

/**
 * Users named one by one with the admin level: the admin room invites exactly these. Admins by
 * server or "*" rules are unknown people until they speak; they get in with `!cd admin`.
 */
export function configuredAdminUsers(rules: readonly PermissionRule[]): string[] {
    const users = rules.filter((rule) => rule.level === "admin" && rule.actor.startsWith("@")).map((rule) => rule.actor);
    return [...new Set(users)];
}
