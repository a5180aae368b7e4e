/**
 * The sample lines of a Prometheus text exposition that belong to the given metric families
 * (a histogram's _bucket, _sum and _count lines included), in the order they were exposed.
 */
export function samples(exposition: string, ...families: string[]): string[] {
    return exposition.split("\n").filter((line) => {
        if (line === "" || line.startsWith("#")) return false;
        const name = line.split(/[{ ]/, 1)[0];
        return families.some((family) => name === family || ["_bucket", "_sum", "_count"].some((suffix) => name === family + suffix));
    });
}

/** Every sample line, keyed by name and labels, with its value. */
export function sampleValues(exposition: string): Map<string, string> {
    const values = new Map<string, string>();
    for (const line of exposition.split("\n")) {
        if (line === "" || line.startsWith("#")) continue;
        const at = line.lastIndexOf(" ");
        values.set(line.slice(0, at), line.slice(at + 1));
    }
    return values;
}
