import { expect } from "chai";
import { hidePassword, maskDatabaseUrl } from "../../../src/store/databaseUrl";

describe("database URL masking", () => {
    it("masks the password of a URL and leaves URLs without one alone", () => {
        expect(maskDatabaseUrl("postgres://msb:s3cr3t@db.example:5432/msb")).to.equal("postgres://msb:***@db.example:5432/msb");
        expect(maskDatabaseUrl("postgresql://msb:p%40ss%2Fw@127.0.0.1/msb?sslmode=require")).to.equal("postgresql://msb:***@127.0.0.1/msb?sslmode=require");
        expect(maskDatabaseUrl("postgres://msb@127.0.0.1/msb")).to.equal("postgres://msb@127.0.0.1/msb");
        expect(maskDatabaseUrl("postgres://127.0.0.1:5432/msb")).to.equal("postgres://127.0.0.1:5432/msb");
    });

    it("hides the password inside other text, raw and percent-decoded", () => {
        const url = "postgres://msb:p%40ss%2Fw@127.0.0.1/msb";
        expect(hidePassword("auth failed for msb with p@ss/w", url)).to.equal("auth failed for msb with ***");
        expect(hidePassword(`could not use ${url}`, url)).to.equal("could not use postgres://msb:***@127.0.0.1/msb");
        expect(hidePassword("nothing secret here", "postgres://msb@127.0.0.1/msb")).to.equal("nothing secret here");
    });
});
