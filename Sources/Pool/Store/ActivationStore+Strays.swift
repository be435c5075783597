import Activation
import Foundation
import Postgres

extension ActivationStore {
    /// Records a number no attempt owns, unless it is known already; returns whether it was new.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    @discardableResult
    public func recordStray(_ stray: StrayNumber) async throws -> Bool {
        try await run("recordStray", requestID: stray.requestID) {
            try await pool.query(
                """
                INSERT INTO supplier_strays (supplier, supplier_activation_id, request_id, attempt, reason, phone, price_minor)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
                """,
                [stray.supplier, stray.supplierActivationID, stray.requestID, stray.attempt, stray.reason, stray.phone,
                 stray.priceMinor]
            ).affectedRows == 1
        }
    }

    /// Open strays, least recently handled first.
    ///
    /// - Throws: ``PoolStoreError``: `database`, `decoding`.
    public func openStrays(limit: Int = 100) async throws -> [StrayNumber] {
        try await run("openStrays", requestID: nil) {
            try await pool.query(
                "SELECT \(StrayNumber.columns) FROM supplier_strays WHERE status = 'open' ORDER BY updated_at LIMIT $1",
                [limit]
            ).map(StrayNumber.init(row:))
        }
    }

    /// Every recorded stray, whatever its status, oldest first (operators, the fault suite).
    ///
    /// - Throws: ``PoolStoreError``: `database`, `decoding`.
    public func strays() async throws -> [StrayNumber] {
        try await run("strays", requestID: nil) {
            try await pool.query("SELECT \(StrayNumber.columns) FROM supplier_strays ORDER BY created_at")
                .map(StrayNumber.init(row:))
        }
    }

    /// Records what became of a stray after a call: its new status, whether it was charged, the reply.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func updateStray(
        supplier: String, supplierActivationID: String, status: String, charged: Bool, reply: String?
    ) async throws {
        try await run("updateStray", requestID: nil) {
            try await pool.query(
                """
                UPDATE supplier_strays SET status = $3, charged = charged OR $4, last_reply = $5, tries = tries + 1,
                    updated_at = now()
                WHERE supplier = $1 AND supplier_activation_id = $2
                """, [supplier, supplierActivationID, status, charged, reply])
        }
    }
}

extension ActivationStore {
    /// Which of a supplier's activation IDs an activation owns or a stray record names, in one statement: a
    /// reconciliation never claims either (a stray is being cancelled), and the stranger scan knows both.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func claimedSupplierActivations(supplier: String, ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try await run("claimedSupplierActivations", requestID: nil) {
            Set(try await pool.query(Self.claimedSQL, [supplier, ids]).map { try $0.decode("supplier_activation_id") as String })
        }
    }

    /// The statement behind ``claimedSupplierActivations(supplier:ids:)``: `$1` the supplier, `$2` the IDs.
    static let claimedSQL = """
        SELECT supplier_activation_id FROM activations WHERE supplier = $1 AND supplier_activation_id = ANY($2)
        UNION
        SELECT supplier_activation_id FROM supplier_strays WHERE supplier = $1 AND supplier_activation_id = ANY($2)
        """
}

extension ActivationStore {
    /// The routes of `supplier` with a purchase not answered yet (written ahead, sent, or being looked for), each
    /// with the earliest start of such an attempt.
    ///
    /// A listed number of that route bought since then may be that purchase, waiting for its answer or its
    /// reconciliation (its worker died and the partition has not moved yet): it is not a stranger. A number of
    /// another route, or bought before every such attempt started, is nobody's purchase.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func unansweredPurchases(supplier: String) async throws -> [(route: AttemptRoute, since: Date)] {
        try await run("unansweredPurchases", requestID: nil) {
            try await pool.query(
                """
                SELECT service, country, coalesce(number_type, '') AS number_type,
                    min(coalesce((snapshot::jsonb->'attempts'->-1->>'started_at')::timestamptz, created_at)) AS since
                FROM activations
                WHERE finished_at IS NULL AND state = 'allocating' AND supplier = $1 AND supplier_activation_id IS NULL
                GROUP BY service, country, coalesce(number_type, '')
                """, [supplier]
            ).map { row in
                (route: AttemptRoute(
                    supplier: supplier, service: try row.decode("service"), country: try row.decode("country"),
                    numberType: try row.decode("number_type")),
                 since: try row.decode("since"))
            }
        }
    }
}
