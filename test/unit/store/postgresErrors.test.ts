import { expect } from "chai";
import { describePostgresError, isTransientPostgresError } from "../../../src/store/postgresErrors";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("PostgreSQL error classification", () => {
    it("treats lost or refused connections and a restarting server as transient", () => {
        for (const code of ["ECONNREFUSED", "ECONNRESET", "CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "57P01", "57P03", "08006", "08P01"]) {
            expect(isTransientPostgresError(withCode(code)), code).to.equal(true);
        }
    });

    it("treats query errors, our own close and codeless errors as final", () => {
        for (const code of ["CONNECTION_ENDED", "42P01", "23505", "28P01", "22P02", "UNDEFINED_VALUE"]) {
            expect(isTransientPostgresError(withCode(code)), code).to.equal(false);
        }
        expect(isTransientPostgresError(new Error("boom"))).to.equal(false);
        expect(isTransientPostgresError(undefined)).to.equal(false);
    });

    it("describes an error by message, adding the code when the message lacks it", () => {
        expect(describePostgresError(withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"))).to.equal("connect ECONNREFUSED 127.0.0.1:5432");
        expect(describePostgresError(withCode("57P01", "terminating connection due to administrator command"))).to.equal(
            "terminating connection due to administrator command (57P01)",
        );
        // Node's AggregateError (several addresses refused) has a code but no message.
        expect(describePostgresError(withCode("ECONNREFUSED", ""))).to.equal("ECONNREFUSED");
        expect(describePostgresError("text")).to.equal("text");
    });
});
