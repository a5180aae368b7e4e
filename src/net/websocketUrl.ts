/**
 * The WebSocket URL of `path` under a configured HTTP base URL, keeping any path prefix
 * (https://host/gotify + "stream" → wss://host/gotify/stream).
 */
export function websocketUrl(baseUrl: string, path: string): string {
    const base = new URL(baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
    const url = new URL(path.replace(/^\/+/, ""), base);
    url.protocol = url.protocol === "https:" ? "wss:" : url.protocol === "http:" ? "ws:" : url.protocol;
    url.search = "";
    url.hash = "";
    return url.toString();
}
