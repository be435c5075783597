import ArgumentParser
import Escalation
import Foundation
import Pool

/// `otppool dlq`: list, show and replay the inputs the workers dead-lettered.
struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "Work the dead letters: list, show and replay inputs the workers could not process.",
        discussion: """
            Every record the workers put on <topic-prefix>.requests.dlq is also on record in PostgreSQL \
            (dead_letters), with its bytes, headers, reason and source. A replay puts the original record back on \
            the topic it came from, with otp-replay-of and otp-replayed-by headers; requests are idempotent by their \
            idempotency key, so a replay never buys twice.
            """,
        subcommands: [DeadLettersList.self, DeadLettersShow.self, DeadLettersReplay.self])
}

/// The filters `dlq list` and `dlq replay` share.
struct DeadLetterFilterOptions: ParsableArguments {
    @Option(help: "Only this reason code (malformed_json, invalid_price, processing_failed …).")
    var reason: String?

    @Option(help: "Only those dead-lettered since: a time (2026-11-29T10:00:00Z) or an age (90s, 30m, 2h, 7d).")
    var since: String?

    @Option(help: "Only those dead-lettered before: a time or an age, as --since.")
    var until: String?

    @Option(help: "Only those whose message names this account.")
    var account: String?

    @Option(help: "Only those whose message names this request ID.")
    var request: String?

    /// Whether any filter is given.
    var isEmpty: Bool { reason == nil && since == nil && until == nil && account == nil && request == nil }

    func validate() throws {
        for (flag, value) in [("--since", since), ("--until", until)] {
            if let value, RelativeTime.since(value, now: Date()) == nil {
                throw ValidationError("\(flag) '\(value)' is neither a time like 2026-11-29T10:00:00Z nor an age like 30m, 2h or 7d.")
            }
        }
    }

    /// The filter these options select, ages taken back from `now`.
    func filter(now: Date, replayed: Bool?, limit: Int) -> DeadLetterFilter {
        DeadLetterFilter(
            reasonCode: reason, since: since.flatMap { RelativeTime.since($0, now: now) },
            until: until.flatMap { RelativeTime.since($0, now: now) }, accountID: account, requestID: request,
            replayed: replayed, limit: limit)
    }
}

extension DeadLettersCommand {
    /// A dead-letter ID from the command line.
    static func parseID(_ text: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else {
            throw ValidationError("'\(text)' is not a dead-letter ID; `otppool dlq list` shows them (the ID column).")
        }
        return id
    }

    /// `topic[partition]@offset`.
    static func describe(_ source: DeadLetterSource) -> String {
        "\(source.topic)[\(source.partition)]@\(source.offset)"
    }
}
