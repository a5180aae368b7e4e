import { IncomingMessage } from "../commands/CommandRouter";

/** What MatrixEventHandler takes as `commands`. */
export interface CommandDispatcher {
    isCommand(body: string): boolean;
    handle(message: IncomingMessage): Promise<void>;
}

/**
 * Sends commands in the admin room to the admin table and everything else to the main one. Both
 * routers share the prefix, so either can tell whether a message is a command.
 */
export function routeAdminRoomCommands(isAdminRoom: (roomId: string) => boolean, main: CommandDispatcher, admin: CommandDispatcher): CommandDispatcher {
    return {
        isCommand: (body) => main.isCommand(body),
        handle: (message) => (isAdminRoom(message.roomId) ? admin : main).handle(message),
    };
}
