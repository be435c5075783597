import ArgumentParser
import Escalation
import Foundation
import Runtime
import Pool

/// `otppool escalations resolve <request-id> --note …`.
struct EscalationsResolve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "Resolve an escalation with a note saying what was done.")

    @Argument(help: "The request ID.")
    var requestID: String

    @Option(help: "What was done (required): refunded by hand, supplier pool changed, client told …")
    var note: String

    @Option(help: "Who resolved it (default: USER).")
    var by: String?

    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("--note must say what was done.")
        }
    }

    func run() async throws {
        let settings = try await config.load(postgres.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.escalations")
        let owner = by ?? ProcessInfo.processInfo.environment["USER"]
        let note = self.note
        let record = try await settings.withStore(applicationName: "otppool-escalations", logger: logger) { store in
            guard let record = try await store.updateEscalation(requestID: requestID, { $0.resolved(note: note, by: owner, at: Date()) })
            else { throw EscalationsCommand.notFound(requestID) }
            return record
        }
        print("resolved \(record.requestID) (\(record.queue.rawValue))\(owner.map { " by \($0)" } ?? ""): \(note)")
    }
}

/// `otppool escalations take <request-id>`: mark it in progress.
struct EscalationsTake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "take", abstract: "Mark an escalation in progress (an owner is working it).")

    @Argument(help: "The request ID.")
    var requestID: String

    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let settings = try await config.load(postgres.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.escalations")
        let record = try await settings.withStore(applicationName: "otppool-escalations", logger: logger) { store in
            guard let record = try await store.updateEscalation(requestID: requestID, { $0.started(at: Date()) })
            else { throw EscalationsCommand.notFound(requestID) }
            return record
        }
        print("\(record.requestID) is \(record.status.rawValue) (\(record.queue.rawValue))")
    }
}
