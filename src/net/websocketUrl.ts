/**
 * The WebSocket URL of `path` under a configured HTTP base URL, keeping any path prefix
 * (https://host/gotify + "stream" → wss://host/gotify/stream) and dropping the base's query and
 * fragment: credentials travel in headers, never in URLs.
 */
export function websocketUrl(baseUrl: string, path: string): string {
    const base = new URL(baseUrl);
    base.search = "";
    base.hash = "";
    if (!base.pathname.endsWith("/")) {
        base.pathname += "/";
    }
    const url = new URL(path.replace(/^\/+/, ""), base);
    url.protocol = url.protocol === "https:" ? "wss:" : url.protocol === "http:" ? "ws:" : url.protocol;
    return url.toString();
}
