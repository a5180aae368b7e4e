import { expect } from "chai";
import { AppServiceRegistration } from "matrix-appservice-bridge";
import { botUserRegex, fillRegistration } from "../../../src/matrix/registration";
import { assertUsableRegistration, RegistrationError } from "../../../src/matrix/registrationCheck";
import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import { join } from "node:path";

describe("registration", () => {
    it("claims exactly the bot user, regex-escaped", () => {
        const regex = new RegExp(botUserRegex("ex.ample.com"));
        expect(regex.test("@semaphore:ex.ample.com")).to.equal(true);
        expect(regex.test("@semaphore:exXample.com")).to.equal(false);
        expect(regex.test("@semaphore:ex.ample.com.evil")).to.equal(false);
        expect(regex.test("@semaphorex:ex.ample.com")).to.equal(false);
    });

    it("fills fresh random tokens, the bot localpart and no rate limit", () => {
        const a = fillRegistration(new AppServiceRegistration("http://localhost:9000"), "example.com").getOutput();
        const b = fillRegistration(new AppServiceRegistration("http://localhost:9000"), "example.com").getOutput();
        expect(a.sender_localpart).to.equal("semaphore");
        expect(a.rate_limited).to.equal(false);
        expect(a.namespaces?.users).to.deep.equal([{ exclusive: true, regex: "^@semaphore:example\\.com$" }]);
        expect(a.as_token).to.have.length.greaterThan(30);
        expect(a.as_token).to.not.equal(b.as_token);
        expect(a.hs_token).to.not.equal(b.hs_token);
        expect(a.id).to.not.equal(b.id);
        expect(a.as_token).to.not.equal(a.hs_token);
    });

    it("refuses the committed example's placeholder tokens and says how to generate real ones", () => {
        const example = load(readFileSync(join(__dirname, "..", "..", "..", "..", "registration.yaml"), "utf8")) as Record<string, unknown>;
        const registration = AppServiceRegistration.fromObject(example as never);
        expect(() => assertUsableRegistration(registration, "reg.yaml"))
            .to.throw(RegistrationError)
            .with.property("message")
            .that.contains("reg.yaml holds placeholder tokens")
            .and.contains("matrix-semaphore-bridge -r -u http://<bridge host>:9000 -c config.yaml -f reg.yaml");
    });

    it("accepts a generated registration", () => {
        const registration = fillRegistration(new AppServiceRegistration("http://localhost:9000"), "example.com");
        expect(() => assertUsableRegistration(registration)).to.not.throw();
    });
});
