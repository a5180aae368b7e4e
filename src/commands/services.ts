/** The result of asking whether something answers. */
export interface Probe {
    ok: boolean;
    /** "answered in 12 ms" or a sentence an operator can act on; never a token. */
    detail: string;
}

/** Everything command handlers may use. Grows with the commands; built in main.ts. */
export interface CommandServices {
    checkHomeserver(): Promise<Probe>;
    checkSemaphore(): Promise<Probe>;
}
