import { Logger } from "matrix-appservice-bridge";
import { LoggingConfig } from "./config/Config";

/** Applies the config's log level to the console and, if set, a log file. */
export function configureLogging(config: LoggingConfig): void {
    if (config.file) {
        Logger.configure({ console: config.level, files: { [config.file]: config.level } });
    } else {
        Logger.configure({ console: config.level });
    }
}
