import { expect } from "chai";
import { websocketUrl } from "../../../src/net/websocketUrl";

describe("websocketUrl", () => {
    it("maps http to ws and https to wss", () => {
        expect(websocketUrl("http://gotify.local:8080", "stream")).to.equal("ws://gotify.local:8080/stream");
        expect(websocketUrl("https://semaphore.example.com", "api/ws")).to.equal("wss://semaphore.example.com/api/ws");
    });

    it("keeps a path prefix, with or without a trailing slash", () => {
        expect(websocketUrl("https://example.com/gotify", "stream")).to.equal("wss://example.com/gotify/stream");
        expect(websocketUrl("https://example.com/semaphore/", "/api/ws")).to.equal("wss://example.com/semaphore/api/ws");
    });

    it("drops a query or fragment of the base URL (credentials never travel in URLs)", () => {
        expect(websocketUrl("https://example.com/g?token=Cx#top", "stream")).to.equal("wss://example.com/g/stream");
    });
});
