/** Ids that are not plain positive decimal integers: none may ever shape a Semaphore URL. */
export const HOSTILE_IDS: readonly string[] = [
    "1/../2",
    "../1",
    "1/..",
    "..",
    "-1",
    "1e3",
    "0x10",
    "1.5",
    "+1",
    "01",
    "0",
    "1%2F2",
    "%2e%2e",
    "１",
    "٣",
    "9007199254740993",
    "1/2/3",
    "1?x=2",
    "1#2",
    "/project/1e3/templates/1?t=2",
    "/project/1/templates/1?t=0x10",
    "/project/1/templates/1?t=5&t=6",
];

/**
 * Every path the bridge may request from Semaphore, with ids as plain positive integers only
 * (PROTOCOLS.md §2). A path outside this set means user text reached a URL.
 */
export const SEMAPHORE_PATH =
    /^\/api\/(?:ping|info|projects|ws|project\/[1-9][0-9]*\/(?:templates|tasks|tasks\/last|tasks\/[1-9][0-9]*(?:\/(?:output|stop|confirm|reject))?))$/;

/** Query parameters the bridge sends: only `limit` of tasks/last, as digits. */
export function queryIsPlain(query: Record<string, string>): boolean {
    return Object.entries(query).every(([key, value]) => key === "limit" && /^[1-9][0-9]*$/.test(value));
}
