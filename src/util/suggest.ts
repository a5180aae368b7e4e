/** Levenshtein distance, small strings only (command, project and template names). */
export function editDistance(a: string, b: string): number {
    const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = previous[0];
        previous[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = previous[j];
            previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return previous[b.length];
}

/**
 * Names close to what the user typed, best first: a prefix/substring match or a few typos.
 * Case-insensitive, because people type names the way they remember them.
 */
export function suggestNames(input: string, candidates: readonly string[], max = 3): string[] {
    const wanted = input.toLowerCase();
    const threshold = Math.max(2, Math.floor(wanted.length / 3));
    return candidates
        .map((name) => {
            const lower = name.toLowerCase();
            const contains = lower.includes(wanted) || wanted.includes(lower);
            return { name, score: contains ? 0 : editDistance(wanted, lower) };
        })
        .filter((c) => c.score <= threshold)
        .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
        .slice(0, max)
        .map((c) => c.name);
}
