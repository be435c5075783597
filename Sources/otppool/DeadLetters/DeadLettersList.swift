import ArgumentParser
import Escalation
import Foundation
import Pool
import Runtime

/// `otppool dlq list`.
struct DeadLettersList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List dead letters, newest first, with filters and counts by reason.")

    @OptionGroup var filters: DeadLetterFilterOptions

    @Flag(inversion: .prefixedNo, help: "Only those replayed (--replayed) or never replayed (--no-replayed); default: both.")
    var replayed: Bool?

    @Option(help: "The most to list.")
    var limit: Int = 50

    @Flag(help: "Print JSON: {\"dead_letters\": [...], \"counts\": {reason: n}} (keys in README \"JSON output\").")
    var json = false

    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    /// The `--json` document.
    struct Document: Encodable {
        var deadLetters: [DeadLetterSummary]
        /// Everything matching the filters (not only the listed ones), by reason code.
        var counts: [String: Int]

        enum CodingKeys: String, CodingKey { case deadLetters = "dead_letters", counts }
    }

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1.") }
    }

    func run() async throws {
        let now = Date()
        let filter = filters.filter(now: now, replayed: replayed, limit: limit)
        let settings = try await config.load(postgres.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.dlq")
        let (listed, counts) = try await settings.withStore(applicationName: "otppool-dlq", logger: logger) { store in
            (try await store.deadLetters(filter), try await store.deadLetterCounts(filter))
        }
        if json { return try JSONOutput.print(Document(deadLetters: listed, counts: counts)) }
        guard !listed.isEmpty else {
            print("no dead letters match")
            return
        }
        var table = TextTable(header: ["ID", "REASON", "REQUEST", "ACCOUNT", "SOURCE", "BYTES", "REPLAYS", "DEAD-LETTERED"])
        for letter in listed {
            table.append([
                .init(String(letter.id), style: .bold), .init(letter.reasonCode, style: .red), .init(letter.identity.requestID ?? "-"),
                .init(letter.identity.accountID ?? "-"), .init(DeadLettersCommand.describe(letter.source), style: .dim),
                .init(String(letter.valueBytes)),
                .init(letter.replays == 0 ? "-" : "\(letter.replays) (\(RelativeTime.describe(letter.lastReplayedAt ?? now, now: now)))",
                      style: letter.replays == 0 ? nil : .green),
                .init(RelativeTime.describe(letter.deadLetteredAt, now: now)),
            ])
        }
        print(table.render(colour: Terminal.colour))
        let total = counts.values.reduce(0, +)
        let byReason = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("\n\(listed.count) of \(total) shown\(listed.count == limit ? " (--limit \(limit))" : ""); by reason — \(byReason)")
    }
}
