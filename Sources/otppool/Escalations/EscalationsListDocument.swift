import Escalation
import Foundation
import Pool

/// The `otppool escalations list --json` document, with keys of its own so the listing's Swift names can change
/// without breaking scripts: `escalations` (each: `request_id`, `account_id`, `queue`, `status`, `service`,
/// `outcome`, `rules`, `created_at`, `updated_at`; `null` when unknown) and `counts` (queue → status → n, over all
/// records).
struct EscalationsListDocument: Encodable {
    struct Line: Encodable {
        var requestID: String
        var accountID: String?
        var queue: String
        var status: String
        var service: String?
        var outcome: String
        var rules: [String]
        var createdAt: Date
        var updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case requestID = "request_id", accountID = "account_id", queue, status, service, outcome, rules
            case createdAt = "created_at", updatedAt = "updated_at"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(requestID, forKey: .requestID)
            try container.encode(accountID, forKey: .accountID)
            try container.encode(queue, forKey: .queue)
            try container.encode(status, forKey: .status)
            try container.encode(service, forKey: .service)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(rules, forKey: .rules)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(updatedAt, forKey: .updatedAt)
        }
    }

    var escalations: [Line]
    var counts: [String: [String: Int]]

    init(_ listings: [EscalationListing], counts: [EscalationQueue: [EscalationStatus: Int]]) {
        escalations = listings.map {
            Line(
                requestID: $0.requestID, accountID: $0.accountID, queue: $0.queue.rawValue, status: $0.status.rawValue,
                service: $0.service, outcome: $0.outcome, rules: $0.rules, createdAt: $0.createdAt, updatedAt: $0.updatedAt)
        }
        self.counts = Dictionary(uniqueKeysWithValues: counts.map { queue, byStatus in
            (queue.rawValue, Dictionary(uniqueKeysWithValues: byStatus.map { ($0.key.rawValue, $0.value) }))
        })
    }
}
