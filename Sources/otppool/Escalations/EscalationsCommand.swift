import ArgumentParser
import Escalation
import Foundation
import Pool

/// `otppool escalations`: list, show, export, take and resolve evidence records.
struct EscalationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalations",
        abstract: "Work the escalation queues: list, show, export, take and resolve evidence records.",
        subcommands: [
            EscalationsList.self, EscalationsShow.self, EscalationsExport.self, EscalationsTake.self,
            EscalationsResolve.self,
        ])
}

/// Terminal detection for colour: only when standard output is a terminal and NO_COLOR is unset.
enum Terminal {
    static var colour: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}

extension EscalationQueue: ExpressibleByArgument {}
extension EscalationStatus: ExpressibleByArgument {}

/// The record of `requestID`, or a message saying there is none.
func requireEscalation(_ store: ActivationStore, _ requestID: String) async throws -> Escalation {
    guard let record = try await store.escalation(requestID: requestID) else { throw EscalationsCommand.notFound(requestID) }
    return record
}

extension EscalationsCommand {
    static func notFound(_ requestID: String) -> ValidationError {
        ValidationError("no escalation for request '\(requestID)'; `otppool escalations list` shows those there are")
    }
}
