import Foundation
import Testing

@testable import Activation

/// The hot path's encoder must write exactly what Foundation's wire encoder writes: snapshots and events are
/// compared and digested as bytes, and consumers parse them.
@Suite("Wire JSON encoder")
struct WireJSONEncoderTests {
    /// Both encoders' output for `value`, as text.
    func both(_ value: some Encodable) throws -> (fast: String, foundation: String) {
        (String(decoding: try WireJSONEncoder().encode(value), as: UTF8.self),
         String(decoding: try WireFormat.makeEncoder().encode(value), as: UTF8.self))
    }

    @Test func aMachineThroughItsWholeLifeEncodesAsFoundationDoes() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        var snapshots = [machine]
        var events: [ActivationEvent] = []
        func step(_ actions: [ActivationAction]) {
            snapshots.append(machine)
            events += actions.events
        }
        step(try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0)))
        step(try machine.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1)))
        step(try machine.statusReceived(.waiting, at: Fixtures.at(6)))
        step(try machine.statusReceived(.code("123456", text: "Your code 123456", reply: "STATUS_OK:123456"), at: Fixtures.at(20)))
        step(try machine.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: Fixtures.at(21)))
        #expect(machine.state == .completed)
        #expect(events.contains { $0.timeline != nil }, "the terminal event's summary is compared too")

        for snapshot in snapshots {
            let (fast, foundation) = try both(snapshot)
            #expect(fast == foundation)
        }
        for event in events {
            let (fast, foundation) = try both(event)
            #expect(fast == foundation)
        }
    }

    @Test func stringsNeedingEscapesAndKeysOutsideASCII() throws {
        let awkward = [
            "quote \" backslash \\ slash / tab \t newline \n return \r", "bell \u{7} nul \u{0} unit \u{1F} del \u{7F}",
            "form \u{C} backspace \u{8}", "ünïcödé, 日本語, emoji 📟, RTL \u{202E}", "", "'; DROP TABLE activations; --",
        ]
        for text in awkward {
            let (fast, foundation) = try both(["value": text, text: "key"])
            #expect(fast == foundation, "\(text.debugDescription)")
        }
        let (fast, foundation) = try both(["b": 1, "a": 2, "B": 3, "é": 4, "aa": 5, "": 6])
        #expect(fast == foundation)
    }

    @Test func scalarsOptionalsAndNesting() throws {
        struct Inner: Codable, Equatable {
            var int8: Int8 = -128
            var uint64: UInt64 = .max
            var int64: Int64 = .min
            var flag = false
            var none: String? = nil
            var date = Date(timeIntervalSince1970: 1_777_600_000.25)
        }
        struct Outer: Codable, Equatable {
            var inner = Inner()
            var list: [Inner] = [Inner(), Inner(flag: true)]
            var empty: [Int] = []
            var emptyObject: [String: Int] = [:]
            var nested: [[String: [Int?]]] = [["x": [1, nil, 3]]]
            var duration: Duration = .milliseconds(1500)
            var data = Data([0, 1, 2, 250])
        }
        let (fast, foundation) = try both(Outer())
        #expect(fast == foundation)
        let roundTrip = try WireFormat.makeDecoder().decode(Outer.self, from: Data(fast.utf8))
        #expect(roundTrip == Outer())
    }

    @Test func aTypeThatWritesNestedContainersAndASuperEncoder() throws {
        struct Custom: Encodable {
            enum Keys: String, CodingKey { case z, a, list }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .z)
                var list = container.nestedUnkeyedContainer(forKey: .list)
                try nested.encode("later", forKey: .a)  // filled after the next container opened
                try list.encode(1)
                var deeper = list.nestedContainer(keyedBy: Keys.self)
                try deeper.encode(true, forKey: .z)
                try container.encode(2, forKey: .a)
                try container.encode(3, forKey: .a)  // the last of equal keys wins, as in Foundation
                try Int(7).encode(to: container.superEncoder())
            }
        }
        let (fast, foundation) = try both(Custom())
        #expect(fast == foundation)
    }

    @Test func aNonFiniteNumberIsAnErrorNotATrap() {
        #expect(throws: EncodingError.self) { try WireJSONEncoder().encode(["x": Double.nan]) }
        #expect(throws: EncodingError.self) { try WireJSONEncoder().encode([Double.infinity]) }
    }
}
