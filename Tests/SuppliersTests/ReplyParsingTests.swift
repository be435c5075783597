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
