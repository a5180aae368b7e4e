/** Node/OpenSSL codes of a certificate a client refused: an operator fixes these with caFile/ignoreSsl. */
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/;

export function isCertificateError(code: string | undefined): boolean {
    return code !== undefined && CERTIFICATE_CODES.test(code);
}

/**
 * A configured URL without credentials or query, fit for messages and logs. `settingName` names the
 * setting in the placeholder shown when the URL does not even parse.
 */
export function displayUrl(url: string, settingName: string): string {
    try {
        const parsed = new URL(url);
        return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.replace(/\/+$/, "");
    } catch {
        return `(invalid ${settingName})`;
    }
}
