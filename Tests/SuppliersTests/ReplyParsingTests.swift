import Foundation
import Testing

@testable import Suppliers

@Suite("5sim orders, timestamps and lenient JSON")
struct ReplyParsingTests {
    private func order(_ json: String) throws -> FiveSimOrder {
        try JSONDecoder().decode(FiveSimOrder.self, from: Data(json.utf8))
    }

    @Test("RECEIVED is a code only when the sms list has one")
    func receivedNeedsSMS() throws {
        #expect(try self.order(#"{"id":1,"status":"RECEIVED","sms":null}"#).supplierStatus == .waitingForCode)
        #expect(try self.order(#"{"id":1,"status":"RECEIVED","sms":[]}"#).supplierStatus == .waitingForCode)
        let received = try self.order(#"{"id":"1","status":"RECEIVED","sms":[{"code":"111"},{"code":"222","text":"t"}]}"#)
        #expect(received.supplierStatus == .codeReceived(code: "222", text: "t"))
    }

    @Test("every 5sim status maps; an unknown one does not")
    func statuses() throws {
        #expect(try self.order(#"{"id":1,"status":"PENDING"}"#).supplierStatus == .waitingForCode)
        #expect(try self.order(#"{"id":1,"status":"CANCELED"}"#).supplierStatus == .cancelled)
        #expect(try self.order(#"{"id":1,"status":"TIMEOUT"}"#).supplierStatus == .expired)
        #expect(try self.order(#"{"id":1,"status":"BANNED"}"#).supplierStatus == .banned)
        #expect(try self.order(#"{"id":1,"status":"FINISHED","sms":[{"code":"9"}]}"#).supplierStatus == .finished(code: "9"))
        #expect(try self.order(#"{"id":1,"status":"WEIRD"}"#).supplierStatus == nil)
    }

    @Test("a handler_api active list reads numbers, strings, lists and nulls alike")
    func lenientActiveList() throws {
        let body = #"""
            {"status":"success","activeActivations":[
              {"activationId":796495656126001,"serviceCode":"tg","phoneNumber":"7 (999) 000-90-01","activationCost":18.50,
               "activationStatus":"2","smsCode":123456,"smsText":["old","Your code 123456"],"activationTime":"2026-12-05 18:34:23",
               "countryCode":0,"canGetAnotherSms":true},
              {"activationId":"42","serviceCode":"wa","phoneNumber":79990009002,"activationCost":"10","smsCode":null,
               "smsText":null,"countryCode":"187"},
              {"activationId":"","smsCode":"1"},
              {"activationId":43,"smsCode":[],"activationCost":true}
            ]}
            """#
        let list = try #require(HandlerAPIClient.activeList(body[...]))
        #expect(list.map(\.activationID) == ["796495656126001", "42", "43"], "an entry without an id is left out")
        #expect(list[0].status == .codeReceived(code: "123456", text: "Your code 123456"))
        #expect(list[0].phoneNumber == "+79990009001" && list[0].serviceKey == "tg" && list[0].countryKey == "0")
        #expect(list[0].cost == Decimal(string: "18.5"))
        #expect(list[0].purchasedAt == SupplierDate.parse("2026-12-05 18:34:23"))
        #expect(list[1].status == .waitingForCode && list[1].phoneNumber == "+79990009002" && list[1].cost == 10)
        #expect(list[1].countryKey == "187" && list[1].purchasedAt == nil)
        #expect(list[2].status == .waitingForCode && list[2].cost == 1, "an empty code list is no code; true reads as 1")

        #expect(HandlerAPIClient.activeList(#"{"status":"success","activeActivations":null}"#[...])?.isEmpty == true)
        #expect(HandlerAPIClient.activeList(#"{"status":"success"}"#[...])?.isEmpty == true)
        #expect(HandlerAPIClient.activeList(#"{"status":"error","message":"x"}"#[...]) == nil)
        #expect(HandlerAPIClient.activeList(#"{"activeActivations":{"a":1}}"#[...]) == nil, "not a list")
        #expect(HandlerAPIClient.activeList(#"{"activeActivations":[1]}"#[...]) == nil, "an entry that is not an object")
        #expect(HandlerAPIClient.activeList("<html>502</html>"[...]) == nil)
    }

    @Test("timestamps with nanoseconds, offsets and the handler_api form")
    func dates() {
        let base = SupplierDate.parse("2018-10-13T08:13:38Z")
        #expect(base == Date(timeIntervalSince1970: 1_539_418_418))
        let nanos = SupplierDate.parse("2018-10-13T08:13:38.809469028Z")
        #expect(abs((nanos?.timeIntervalSince1970 ?? 0) - 1_539_418_418.809469) < 0.000_01)
        #expect(SupplierDate.parse("2018-10-13T11:13:38+03:00") == base)
        #expect(SupplierDate.parse("2018-10-13 08:13:38") == base)
        #expect(SupplierDate.parse("not a date") == nil)
    }

    @Test("lenient scalars read numbers, strings, flags and lists")
    func lenient() throws {
        struct Box: Decodable { var a: LenientValue; var b: LenientValue; var c: LenientValue; var d: LenientValue }
        let box = try JSONDecoder().decode(Box.self, from: Data(#"{"a":12.5,"b":"12.50","c":true,"d":["1","2"]}"#.utf8))
        #expect(box.a.decimal == Decimal(string: "12.5"))
        #expect(box.b.decimal == Decimal(string: "12.5"))
        #expect(box.c.bool == true)
        #expect(box.d.text == "2")
    }
}

/// The getNumberV2 reply read by the scanner gives each field what Foundation's decoder (the reply's own `Decodable`
/// conformance, its fallback) gives a `LenientValue`.
@Suite("getNumberV2 replies")
struct NumberV2ReplyTests {
    @Test("numbers, strings, flags, lists, nulls, objects, other members and spaces read as Foundation reads them")
    func sameAsFoundation() throws {
        let bodies = [
            #"{"activationId":796495656126001,"phoneNumber":"79990009001","activationCost":18.50,"currency":643,"#
                + #""countryCode":"0","canGetAnotherSms":true,"activationTime":"2026-05-01 12:00:00","activationOperator":"any"}"#,
            #"{ "activationId" : "42", "phoneNumber" : 79990009002, "activationCost" : "10", "canGetAnotherSms" : "1" }"#,
            #"{"activationId":43,"phoneNumber":null,"activationCost":[1,"2.5"],"currency":{"code":"USD"},"extra":[{"a":[]}]}"#,
            #"{"activationId":1e3,"phoneNumber":"+1 555","activationCost":0.1,"canGetAnotherSms":false,"activationOperator":"\u00e9\n"}"#,
            "{}",
        ]
        for body in bodies {
            let expected = try JSONDecoder().decode(HandlerAPINumber.V2.self, from: Data(body.utf8))
            let read = try #require(HandlerAPINumber.V2.read(body[...]), "\(body)")
            #expect(read.activationId == expected.activationId, "\(body)")
            #expect(read.phoneNumber == expected.phoneNumber, "\(body)")
            #expect(read.activationCost == expected.activationCost, "\(body)")
            #expect(read.currency == expected.currency, "\(body)")
            #expect(read.canGetAnotherSms == expected.canGetAnotherSms, "\(body)")
            #expect(read.activationTime == expected.activationTime, "\(body)")
            #expect(read.activationOperator == expected.activationOperator, "\(body)")
        }
    }

    @Test("a body that is not strict JSON goes to Foundation's decoder, which decides as before")
    func malformed() {
        for body in [#"{"activationId":1"#, #"{"activationId":1} x"#, #"[1]"#, #"{"activationId":}"#, ""] {
            #expect(HandlerAPINumber.V2.read(body[...]) == nil, "\(body)")
            #expect(HandlerAPINumber.V2.decode(body[...]) == nil, "\(body)")
        }
        let trailingComma = #"{"activationId":"7","phoneNumber":"79990009001",}"#
        #expect(HandlerAPINumber.V2.read(trailingComma[...]) == nil)
        #expect(HandlerAPINumber.V2.decode(trailingComma[...])?.activationId == LenientValue("7"))
    }
}
