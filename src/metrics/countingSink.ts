import { TaskEventSink } from "../monitor/PollSet";
import { TaskEvent } from "../monitor/TaskEvent";

/** Told of every task event that reaches the monitor's entry. */
export interface EventCounter {
    eventReceived(event: TaskEvent): void;
}

/**
 * The monitor's entry as sources and the watcher see it, counting each event on the way in — before
 * deduplication, so the count shows what each source delivers. Without a counter, the sink itself.
 */
export function countingSink(sink: TaskEventSink, counter?: EventCounter): TaskEventSink {
    if (!counter) return sink;
    return {
        accept(event) {
            counter.eventReceived(event);
            return sink.accept(event);
        },
        lastKnownStatus: (ref) => sink.lastKnownStatus(ref),
    };
}
