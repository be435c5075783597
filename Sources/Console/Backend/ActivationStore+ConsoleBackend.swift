import Activation
import Escalation
import Foundation
import Pool

/// The store as the console's backend: every read is one of the Pool's queries.
extension ActivationStore: ConsoleBackend {
    public func activationRecord(requestID: String) async throws -> ActivationRecord? {
        let stored = try await activationWithTimeline(requestID: requestID)
        // A request refused before its row was written has only timeline rows.
        let timeline = stored == nil ? try await timeline(requestID: requestID) : []
        guard stored != nil || !timeline.isEmpty else { return nil }
        let email: String? = if let account = stored?.accountID { try await self.account(id: account)?.email } else { nil }
        let evidence = EvidenceAssembler.assemble(EvidenceSource(
            requestID: requestID, event: stored?.machine.lastEvent, machine: stored?.machine, timeline: timeline, accountEmail: email))
        return ActivationRecord(
            evidence: evidence, machine: stored?.machine, createdAt: stored?.createdAt, updatedAt: stored?.updatedAt,
            pendingEvents: try await pendingEvents(requestID: requestID), escalation: try await escalation(requestID: requestID))
    }
}
