import AsyncHTTPClient
import Foundation
import Logging
import Testing

@testable import Suppliers

@Suite("handler_api replies, from stubs")
struct HandlerAPIErrorsTests {
    private let transport = SupplierTransport(
        configuration: SupplierConfiguration(
            name: "stub", api: .handlerAPI, baseURL: "http://127.0.0.1:1", apiKey: SupplierAPIKey("stub-secret-key")
        ),
        httpClient: HTTPClient.shared,
        logger: Logger(label: "test")
    )

    private func classify(_ body: String, status: Int = 200) -> SupplierError? {
        HandlerAPIErrors.error(in: SupplierReply(status: status, body: body), action: "getNumber", transport: self.transport)
    }

    @Test(
        "every documented error code maps to its kind, whatever the HTTP status",
        arguments: [
            ("NO_NUMBERS", SupplierError.Code.noInventory), ("NO_BALANCE", .noBalance), ("BAD_KEY", .badKey),
            ("BAD_SERVICE", .badService), ("WRONG_SERVICE", .badService), ("BAD_ACTION", .unsupported),
            ("ERROR_SQL", .serverError), ("BANNED:'2030-01-01 10:00:00'", .banned), ("WRONG_MAX_PRICE:12.5", .wrongMaxPrice),
            ("CHANNELS_LIMIT", .channelsLimit), ("NO_ACTIVATION", .noActivation), ("WRONG_ACTIVATION_ID", .noActivation),
            ("BAD_STATUS", .badStatus), ("EARLY_CANCEL_DENIED", .earlyCancelDenied), ("BAD_OPERATOR", .badOperator),
        ]
    )
    func codes(body: String, code: SupplierError.Code) {
        for status in [200, 401, 403, 404, 409] {
            let error = self.classify(body + "\n", status: status)
            #expect(error?.code == code, "\(body) under \(status)")
            #expect(error?.reply == body + "\n")
            #expect(error?.httpStatus == status)
        }
    }

    @Test("details are read from the reply: ban end, minimum price, early-cancel time")
    func details() {
        #expect(self.classify("BANNED:'2030-01-01 10:00:00'")?.bannedUntil == "2030-01-01 10:00:00")
        #expect(self.classify("WRONG_MAX_PRICE:12.5")?.minimumPrice == Decimal(string: "12.5"))
        let json = self.classify(#"{"title":"EARLY_CANCEL_DENIED","info":{"minActivationTime":120}}"#, status: 409)
        #expect(json?.code == .earlyCancelDenied)
        #expect(json?.minimumActivationTime == .seconds(120))
        #expect(json?.isRetriable == true)
        #expect(self.classify(#"{"status":"error","message":"NO_NUMBERS"}"#)?.code == .noInventory)
    }

    @Test("JSON bodies: an error by title or by status, the members around it read past, success lists no error")
    func jsonBodies() {
        #expect(self.classify(#"{"status":"error","error":"BAD_KEY","extra":[1,{"a":null}]}"#)?.code == .badKey)
        #expect(self.classify(#"{"status":"error","message":"WRONG_MAX_PRICE:12.5"}"#)?.code == .wrongMaxPrice)
        let noDetails = self.classify(#"{"title":"EARLY_CANCEL_DENIED","info":null}"#, status: 409)
        #expect(noDetails?.code == .earlyCancelDenied && noDetails?.minimumActivationTime == nil)
        #expect(self.classify(#"{"title":"EARLY_CANCEL_DENIED","info":"later"}"#)?.code == .earlyCancelDenied)
        #expect(self.classify(#"{"info":{"minActivationTime":"60"},"title":"EARLY_CANCEL_DENIED"}"#)?.minimumActivationTime == .seconds(60))
        #expect(self.classify(#"{"status":"success","activeActivations":[{"activationId":1,"smsCode":null}]}"#) == nil)
        #expect(self.classify(#"{"status":"error"}"#) == nil, "an error status without a code names nothing")
        #expect(self.classify(#"{"title":"NO_NUMBERS""#) == nil, "a truncated body is no JSON error")
    }

    @Test("429 is a rate limit and 5xx a server error; success bodies are no errors")
    func statuses() {
        #expect(self.classify("anything", status: 429)?.code == .rateLimited)
        #expect(self.classify("<html>Bad Gateway</html>", status: 502)?.code == .serverError)
        #expect(self.classify("ACCESS_NUMBER:1:79990001122") == nil)
        #expect(self.classify("STATUS_OK:123456") == nil)
        #expect(self.classify("NO_ACTIVATIONS") == nil)
    }

    @Test("retriable kinds are the transient ones")
    func retriable() {
        #expect(self.classify("ERROR_SQL")?.isRetriable == true)
        #expect(self.classify("NO_NUMBERS")?.isRetriable == false)
        #expect(self.classify("BAD_KEY")?.isRetriable == false)
        #expect(self.classify("x", status: 429)?.isRetriable == true)
    }

    @Test("the API key is scrubbed from descriptions")
    func keyNeverShown() {
        let key = SupplierAPIKey("stub-secret-key")
        #expect("\(key)" == "<redacted>")
        #expect(String(reflecting: key) == "<redacted>")
    }
}
