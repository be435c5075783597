import Activation
import ArgumentParser
import Foundation
import Kafka
import Testing

@testable import Pool
@testable import otppool

@Suite("otppool dlq: arguments")
struct DeadLetterCommandTests {
    @Test("replay needs an ID or filters with --all, never both", arguments: [
        [], ["--reason", "malformed_json"], ["12", "--reason", "malformed_json"], ["12", "--all"], ["abc"], ["0"], ["-3"],
        ["--all", "--limit", "0"], ["12", "--as", "  "], ["--all", "--since", "yesterday"],
    ])
    func replayRefusesAmbiguousSelections(_ arguments: [String]) {
        #expect(throws: (any Error).self, "\(arguments)") { _ = try DeadLettersReplay.parse(arguments) }
    }

    @Test("an explicit filtered replay selects the never-replayed ones unless --include-replayed")
    func replaySelection() throws {
        let set = try DeadLettersReplay.parse(["--all", "--reason", "processing_failed", "--since", "2h", "--as", "alice", "--note", "fixed"])
        #expect(set.operatorName == "alice")
        #expect(set.id == nil && set.filters.reason == "processing_failed")
        let filter = set.filters.filter(now: Date(timeIntervalSince1970: 10_000), replayed: false, limit: set.limit)
        #expect(filter.since == Date(timeIntervalSince1970: 10_000 - 7_200))
        #expect(filter.replayed == false && filter.limit == 100)
        let one = try DeadLettersReplay.parse(["42", "--as", "bob", "--dry-run"])
        #expect(one.id == "42" && one.dryRun && one.operatorName == "bob")
    }

    @Test("list and show validate limits, ages and IDs", arguments: [
        (["--limit", "0"], false), (["--since", "soon"], false), (["--until", "2026-13-01"], false),
        (["--since", "30m", "--until", "2026-11-29T10:00:00Z", "--reason", "x", "--no-replayed", "--json"], true),
    ])
    func listArguments(_ arguments: [String], valid: Bool) {
        if valid {
            #expect(throws: Never.self) { _ = try DeadLettersList.parse(arguments) }
        } else {
            #expect(throws: (any Error).self) { _ = try DeadLettersList.parse(arguments) }
        }
    }

    @Test func showNeedsAnID() throws {
        #expect(throws: (any Error).self) { _ = try DeadLettersShow.parse(["x"]) }
        #expect(throws: (any Error).self) { _ = try DeadLettersShow.parse(["7", "--max-payload", "0"]) }
        #expect(try DeadLettersShow.parse(["7"]).id == "7")
    }

    @Test("show renders producer bytes safely: secrets masked, escapes escaped, replays listed")
    func showRendering() {
        let letter = DeadLetter(
            id: 7, source: DeadLetterSource(topic: "otp.activation.requests", partition: 1, offset: 99),
            key: Data("req-\u{1B}[2J".utf8), value: Data(#"{"request_id":"r-1","token":"s3cr3t","x":"\#u{1B}]0;pwned\#u{7}"}"#.utf8) + Data([0xFF]),
            headers: [KafkaHeader(key: "Authorization", string: "Bearer abc"), KafkaHeader(key: "trace", string: "t-1")],
            reasonCode: "malformed_json", reason: "bad", identity: WireIdentity(requestID: "r-1"), producedAt: nil,
            deadLetteredAt: Date(timeIntervalSince1970: 0),
            replays: [DeadLetterReplay(
                id: 1, deadLetterID: 7, replayedBy: "alice", replayedAt: Date(timeIntervalSince1970: 0), note: "fixed",
                target: DeadLetterSource(topic: "otp.activation.requests", partition: 1, offset: 120))])
        let text = DeadLettersShow.render(letter, now: Date(timeIntervalSince1970: 60), colour: false, maxPayload: 4_096)
        #expect(!text.contains("\u{1B}") && !text.contains("\u{7}"))
        #expect(!text.contains("s3cr3t") && !text.contains("Bearer"))
        #expect(text.contains(#""token":"***""#) && text.contains("Authorization: ***") && text.contains("trace: t-1"))
        #expect(text.contains(#"\xFF"#) && text.contains(#"req-\u{1B}[2J"#))
        #expect(text.contains("alice") && text.contains("otp.activation.requests[1]@120") && text.contains("fixed"))
    }
}
