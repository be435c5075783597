import ArgumentParser
import Escalation
import Foundation
import Runtime
import Pool

/// `otppool escalations list`.
struct EscalationsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List escalations, newest first, with filters.")

    @Option(help: "Only this queue: refunds, supplier-fallback or client-workflow.")
    var queue: EscalationQueue?

    @Option(help: "Only this status: open, in_progress or resolved.")
    var status: EscalationStatus?

    @Option(help: "Only this account.")
    var account: String?

    @Option(help: "Only those escalated since: a time (2026-11-29T10:00:00Z) or an age (90s, 30m, 2h, 7d).")
    var since: String?

    @Option(help: "The most to list.")
    var limit: Int = 50

    @Flag(help: "Print JSON: {\"escalations\": [...], \"counts\": {queue: {status: n}}} (keys in README \"JSON output\").")
    var json = false

    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1.") }
        if let since, RelativeTime.since(since, now: Date()) == nil {
            throw ValidationError("--since '\(since)' is neither a time like 2026-11-29T10:00:00Z nor an age like 30m, 2h or 7d.")
        }
    }

    func run() async throws {
        let now = Date()
        let filter = EscalationFilter(
            queue: queue, status: status, accountID: account, since: since.flatMap { RelativeTime.since($0, now: now) },
            limit: limit)
        let settings = try await config.load(postgres.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.escalations")
        let (listings, counts) = try await settings.withStore(applicationName: "otppool-escalations", logger: logger) { store in
            (try await store.escalations(filter), try await store.escalationCounts())
        }
        if json { return try JSONOutput.print(EscalationsListDocument(listings, counts: counts)) }
        guard !listings.isEmpty else {
            print("no escalations match")
            return
        }
        var table = TextTable(header: ["REQUEST", "QUEUE", "STATUS", "OUTCOME", "SERVICE", "ACCOUNT", "RULES", "ESCALATED", "UPDATED"])
        for listing in listings {
            let style: TextTable.Style = listing.status == .resolved ? .green : listing.status == .open ? .red : .yellow
            table.append([
                .init(listing.requestID), .init(listing.queue.rawValue), .init(listing.status.rawValue, style: style),
                .init(listing.outcome), .init(listing.service ?? "-"), .init(listing.accountID ?? "-"),
                .init(listing.rules.joined(separator: ",")), .init(RelativeTime.describe(listing.createdAt, now: now)),
                .init(RelativeTime.describe(listing.updatedAt, now: now), style: .dim),
            ])
        }
        print(table.render(colour: Terminal.colour))
        let totals = counts.sorted { $0.key < $1.key }.map { queue, byStatus in
            "\(queue.rawValue): " + EscalationStatus.allCases.compactMap { status in byStatus[status].map { "\($0) \(status.rawValue)" } }
                .joined(separator: ", ")
        }
        print("\n\(listings.count) shown\(listings.count == limit ? " (--limit \(limit))" : ""); all records by queue — \(totals.joined(separator: "; "))")
    }
}
