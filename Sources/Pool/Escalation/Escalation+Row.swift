import Activation
import Escalation
import Postgres

extension Escalation {
    /// The columns the store selects for a whole record.
    static let columns = "request_id, account_id, queue, status, triggers, evidence, resolution, created_at, updated_at"

    /// Decodes a row selected with ``columns``.
    ///
    /// - Throws: ``PoolStoreError`` with code `decoding` when a column is of another shape.
    init(row: PostgresRow) throws {
        let requestID: String = try row.decode("request_id")
        let decoder = WireFormat.makeDecoder()
        func json<T: Decodable>(_ column: String, _ type: T.Type) throws -> T {
            do {
                return try row.decode(column, as: PostgresJSON.self).decode(type, decoder: decoder)
            } catch {
                throw PoolStoreError(
                    code: .decoding, message: "escalations.\(column) does not decode (\(error)); is another build writing?",
                    requestID: requestID)
            }
        }
        self.init(
            requestID: requestID,
            accountID: try row.decode("account_id"),
            queue: try EscalationListing.parse(row, "queue"),
            status: try EscalationListing.parse(row, "status"),
            triggers: try json("triggers", [EscalationTrigger].self),
            evidence: try json("evidence", Evidence.self),
            resolution: try row.decode("resolution", as: PostgresJSON?.self) == nil
                ? nil : try json("resolution", EscalationResolution.self),
            createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at"))
    }

    /// The bound values of an INSERT or UPDATE, in the order of ``ActivationStore`` escalation statements:
    /// request_id, account_id, queue, status, service, outcome, summary, triggers, evidence, resolution,
    /// last_change_at, created_at, updated_at.
    func binds() throws -> [any PostgresBindable] {
        let encoder = WireFormat.makeEncoder()
        do {
            return [
                requestID, accountID, queue.rawValue, status.rawValue, evidence.service, evidence.outcome,
                evidence.summary, try PostgresJSON(encoding: triggers, encoder: encoder),
                try PostgresJSON(encoding: evidence, encoder: encoder),
                try resolution.map { try PostgresJSON(encoding: $0, encoder: encoder) }, evidence.lastChangeAt,
                createdAt, updatedAt,
            ]
        } catch {
            throw PoolStoreError(code: .encoding, message: "the escalation does not encode: \(error)", requestID: requestID)
        }
    }
}
