/**
 * The Semaphore simulator's clock, moved by the test: task start and end times (and so the
 * durations in the bridge's messages) are exact instead of depending on how fast the test runs.
 */
export class SimClock {
    private ms: number;

    constructor(startIso: string) {
        this.ms = Date.parse(startIso);
    }

    readonly now = (): Date => new Date(this.ms);

    advanceSeconds(seconds: number): void {
        this.ms += seconds * 1000;
    }
}
