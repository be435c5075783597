import Activation
import Basics
import Foundation
import HostileInput
import Testing

/// More than a thousand malformed and hostile requests and as many commands: none may trap, and the decoder
/// answers each exactly as the generator expects (the worker-level test is `HostileInputWorkerTests`).
@Suite("Wire format: hostile inputs")
struct HostileInputTests {
    /// Small oversized values, for the tests that look at the set rather than at 10 MB messages.
    static let quick = HostileInputGenerator.Configuration(seed: 7, oversizedValueBytes: 100_000)

    /// The decoder's answer: the reason code and the request ID it could read, or the decoded IDs.
    static func decode(
        _ input: HostileInput, with decoder: WireDecoder
    ) -> (code: RejectionReason.Code?, requestID: String?) {
        switch input.topic {
        case .requests:
            do {
                return (nil, try decoder.decodeRequest(input.bytes).requestID)
            } catch {
                #expect(!error.reason.message.isEmpty, "\(input)")
                return (error.reason.code, error.requestID)
            }
        case .commands:
            do {
                return (nil, try decoder.decodeCommand(input.bytes).requestID)
            } catch {
                #expect(!error.reason.message.isEmpty, "\(input)")
                return (error.reason.code, nil)
            }
        }
    }

    @Test("at least 1,000 hostile requests and 1,000 hostile commands, every category, the same for the same seed")
    func theSet() {
        let inputs = Array(HostileInputGenerator(configuration: Self.quick))
        let hostile = inputs.filter(\.isHostile)
        #expect(hostile.count { $0.topic == .requests } >= 1_000)
        #expect(hostile.count { $0.topic == .commands } >= 1_000)
        #expect(Set(inputs.map(\.id)).count == inputs.count, "IDs are unique")
        for category in HostileCategory.allCases {
            #expect(inputs.contains { $0.category == category && $0.topic == .requests }, "no request is \(category)")
            if ![.duplicateKeyDifferentBody, .duplicateKeyOriginal].contains(category) {
                #expect(inputs.contains { $0.category == category && $0.topic == .commands }, "no command is \(category)")
            }
        }
        #expect(hostile.allSatisfy { $0.expected.reasonCode != nil }, "every hostile input is refused")
        #expect(inputs.filter { $0.expected == .accepted }.map(\.category).allSatisfy { $0 == .duplicateKeyOriginal })
        let originals = Set(inputs.filter { $0.category == .duplicateKeyOriginal }.map(\.id))
        #expect(inputs.allSatisfy { $0.after.map(originals.contains) ?? true })

        #expect(Array(HostileInputGenerator(configuration: Self.quick)) == inputs, "the same seed, the same set")
        var other = Self.quick
        other.seed = 8
        let random = { (inputs: [HostileInput]) in inputs.filter { $0.category == .garbage }.map(\.bytes) }
        #expect(random(Array(HostileInputGenerator(configuration: other))) != random(inputs))
    }

    @Test("the decoder refuses every input the generator expects it to, with the expected code and request ID")
    func decoderAnswersAsExpected() {
        let decoder = WireDecoder()
        var codes: [String: Int] = [:]
        var refused = 0
        for input in HostileInputGenerator(configuration: HostileInputGenerator.Configuration(seed: 7)) {
            let answer = Self.decode(input, with: decoder)
            #expect(answer.code == input.decoderRefusal, "\(input)")
            // The request ID the worker's event names (none for an input it cannot store).
            if input.decoderRefusal != nil || !input.expected.isDeadLettered {
                #expect(answer.requestID == input.requestID, "\(input)")
            }
            if let code = answer.code {
                refused += 1
                codes[code.rawValue, default: 0] += 1
            }
        }
        #expect(refused >= 1_000)
        for expected in ["malformed_json", "too_deep", "invalid_encoding", "wrong_type", "invalid_identifier",
                         "missing_field", "invalid_value", "metadata_too_large", "invalid_timestamp", "oversize",
                         "unsupported_schema_version", "text_too_long", "price_too_high", "invalid_currency"] {
            #expect(codes[expected, default: 0] > 0, "no input produced \(expected): \(codes)")
        }
    }

    @Test("10 MB values reach the field checks when the message limit lets them through")
    func tenMegabyteValues() {
        var configuration = HostileInputGenerator.Configuration(seed: 7)
        configuration.limits.maxMessageBytes = 16 << 20
        let decoder = WireDecoder(limits: configuration.limits)
        var checked = 0
        for input in HostileInputGenerator(configuration: configuration) where input.category == .oversizedValue {
            #expect(input.bytes.count > 10 << 20)
            #expect(input.decoderRefusal != .oversize, "\(input)")
            #expect(Self.decode(input, with: decoder).code == input.decoderRefusal, "\(input)")
            checked += 1
        }
        #expect(checked >= 15)
    }

    @Test func hostileCommandsAndEventsNeverTrap() {
        let decoder = WireDecoder()
        var refused = 0
        for input in HostileInputGenerator(configuration: Self.quick) {
            do { _ = try decoder.decodeCommand(input.bytes) } catch { refused += 1 }
            _ = try? decoder.decodeEvent(input.bytes)
        }
        #expect(refused >= 1000)
    }

    /// Random byte flips of a valid request: each result is either a valid request or refused with a code.
    @Test func mutatedRequestsAreValidOrRefused() {
        let valid = HostileInputGenerator(configuration: Self.quick).validRequest()
        var random = SplitMix64(seed: 99)
        let decoder = WireDecoder()
        for _ in 0..<1000 {
            var bytes = valid
            for _ in 0...random.below(4) {
                bytes[random.below(bytes.count)] = random.byte()
            }
            do {
                let request = try decoder.decodeRequest(bytes)
                #expect(request.validationFailure() == nil)
            } catch {
                #expect(!error.reason.code.rawValue.isEmpty)
            }
        }
    }
}
