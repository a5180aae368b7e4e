const USERINFO_PASSWORD = /(:\/\/[^:/@]*:)([^@]*)@/;

/** A database URL fit for output: the password, if any, replaced by `***`. */
export function maskDatabaseUrl(url: string): string {
    return url.replace(USERINFO_PASSWORD, "$1***@");
}

/** Replaces the URL's password in `text` (e.g. an error message), percent-encoded or not, by `***`. */
export function hidePassword(text: string, url: string): string {
    const encoded = USERINFO_PASSWORD.exec(url)?.[2];
    if (!encoded) return text;
    let decoded = encoded;
    try {
        decoded = decodeURIComponent(encoded);
    } catch {
        // A malformed escape: only the raw form can appear anywhere.
    }
    return [encoded, decoded].reduce((masked, secret) => masked.split(secret).join("***"), text);
}
