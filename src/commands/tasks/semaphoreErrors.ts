import { Command, CommandError } from "../Command";
import { isSemaphoreError } from "../../semaphore/SemaphoreError";

/**
 * A failed Semaphore call becomes a ⛔ with the client's sentence ("No task 42 in project 3"):
 * those sentences are written for rooms and hold no secrets, so handlers need not catch them.
 */
export function withSemaphoreErrorsShown<S>(command: Command<S>): Command<S> {
    return {
        ...command,
        async run(ctx, services) {
            try {
                await command.run(ctx, services);
            } catch (err) {
                if (isSemaphoreError(err)) throw new CommandError(`${err.userMessage}.`);
                throw err;
            }
        },
    };
}
