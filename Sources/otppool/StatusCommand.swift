import Activation
import ArgumentParser
import Escalation
import Foundation
import Pool
import Runtime

/// `otppool status <request-id>`: where one activation stands, from PostgreSQL.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where one activation stands: state, attempts, money, latest timeline entries, escalation.")

    @Argument(help: "The request ID.")
    var requestID: String

    @Option(help: "Timeline entries to show, newest last.")
    var entries: Int = 10

    @Flag(help: "Print the activation's evidence as JSON instead (the evidence of an escalation record; keys in README \"JSON output\").")
    var json = false

    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard entries >= 0 else { throw ValidationError("--entries must not be negative.") }
    }

    func run() async throws {
        let settings = try await config.load(postgres.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.status")
        let (evidence, escalation) = try await settings.withStore(applicationName: "otppool-status", migrate: false, logger: logger) { store in
            let machine = try await store.activationWithTimeline(requestID: requestID)?.machine
            let timeline = machine == nil ? try await store.timeline(requestID: requestID) : []
            guard machine != nil || !timeline.isEmpty else {
                throw ValidationError("no request '\(requestID)' in this database (never received, or another database)")
            }
            let email = try await (machine?.request.accountID).asyncFlatMap { try await store.account(id: $0)?.email }
            let evidence = EvidenceAssembler.assemble(EvidenceSource(
                requestID: requestID, event: machine?.lastEvent, machine: machine, timeline: timeline, accountEmail: email))
            return (evidence, try await store.escalation(requestID: requestID))
        }
        if json { return try JSONOutput.print(evidence) }
        print(render(evidence, escalation: escalation, now: Date(), colour: Terminal.colour))
    }

    private func render(_ evidence: Evidence, escalation: Escalation?, now: Date, colour: Bool) -> String {
        let parts = EvidenceText(evidence)
        var out = [
            ([TextTable.Style.bold.apply(evidence.requestID, colour: colour), evidence.state ?? "unknown"]
                + (evidence.outcome == evidence.state ? evidence.reasonCode.map { [$0] } ?? [] : [parts.outcomeLine])
                + ["last change \(RelativeTime.describe(evidence.lastChangeAt, now: now))"]).joined(separator: " · "),
            parts.requestLine,
            "money: " + parts.moneyLine,
            "escalation: " + (escalation.map { "\($0.queue.rawValue) · \($0.status.rawValue) · \($0.triggers.map(\.rule).joined(separator: ", ")) (otppool escalations show \(evidence.requestID))" } ?? "none"),
        ]
        parts.section(&out, "Attempts", colour: colour, table: evidence.attempts.isEmpty ? nil : parts.attemptTable)
        if entries > 0 {
            let shown = min(entries, evidence.timeline.count)
            parts.section(
                &out, "Timeline (last \(shown) of \(evidence.timeline.count), from \(RFC3339.format(parts.origin)))", colour: colour,
                table: parts.timelineTable(last: entries))
        }
        return out.joined(separator: "\n")
    }
}

extension Optional {
    fileprivate func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
