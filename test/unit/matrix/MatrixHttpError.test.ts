import { expect } from "chai";
import { MatrixHttpError } from "../../../src/matrix/MatrixHttpError";

describe("MatrixHttpError", () => {
    const limited = { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests" };

    it("reads a 429's Retry-After given as an HTTP date as the time left until then", () => {
        const now = Date.parse("2025-03-01T12:00:00Z");
        const err = new MatrixHttpError(429, limited, { retryAfterHeader: "Sat, 01 Mar 2025 12:00:07 GMT", now });
        expect(err.retryAfterMs).to.equal(7000);
        const past = new MatrixHttpError(429, limited, { retryAfterHeader: "Sat, 01 Mar 2025 11:59:00 GMT", now });
        expect(past.retryAfterMs).to.equal(0);
    });

    it("leaves the wait to RoomSender's backoff when a 429 names none, or one it cannot read", () => {
        expect(new MatrixHttpError(429, limited).retryAfterMs).to.equal(undefined);
        expect(new MatrixHttpError(429, limited, { retryAfterHeader: "soon" }).retryAfterMs).to.equal(undefined);
    });

    it("names no wait for other statuses, whatever they carry", () => {
        expect(new MatrixHttpError(503, { retry_after_ms: 500 }, { retryAfterHeader: "5" }).retryAfterMs).to.equal(undefined);
    });
});
