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
            Set(try await pool.query(
                """
                SELECT supplier_activation_id FROM activations WHERE supplier = $1 AND supplier_activation_id = ANY($2)
                UNION
                SELECT supplier_activation_id FROM supplier_strays WHERE supplier = $1 AND supplier_activation_id = ANY($2)
                """, [supplier, ids]
            ).map { try $0.decode("supplier_activation_id") as String })
        }
    }
}

extension ActivationStore {
    /// When the oldest unfinished activation still buying from `supplier` was taken in, or nil when none is.
    ///
    /// An open number at the supplier bought after that moment may still be that activation's purchase, waiting
    /// for its reconciliation (its worker died and the partition has not moved yet): it is not a stranger.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`.
    public func oldestAllocating(supplier: String) async throws -> Date? {
        try await run("oldestAllocating", requestID: nil) {
            try await pool.query(
                """
                SELECT min(created_at) AS oldest FROM activations
                WHERE finished_at IS NULL AND state = 'allocating' AND supplier = $1
                """, [supplier]
            ).single().decode("oldest", as: Date?.self)
        }
    }
}

extension ActivationStore {
    /// A purchase whose answer was lost and that is being looked for (see ``inDoubtPurchases(supplier:)``).
    public struct InDoubtPurchase: Sendable, Hashable {
        public var requestID: String
        public var route: AttemptRoute
        /// When the purchase was sent (else when the attempt started): it cannot have landed before.
        public var startedAt: Date
        /// When its answer was lost: it cannot have landed after; nil when not recorded (then: now).
        public var until: Date?
    }

    /// The purchases of `supplier` whose answers were lost and that are still looked for, whoever looks: the
    /// active-list matching reserves a number for each, so that a look made now does not take the number of one
    /// whose look comes later.
    ///
    /// - Throws: ``PoolStoreError``: `database`, `decoding`.
    public func inDoubtPurchases(supplier: String) async throws -> [InDoubtPurchase] {
        try await run("inDoubtPurchases", requestID: nil) {
            try await pool.query(
                """
                SELECT request_id, service, country, coalesce(number_type, '') AS number_type,
                    coalesce(snapshot->'flags'->>'reconcileFrom', snapshot->'attempts'->-1->>'started_at')::timestamptz AS started_at,
                    (snapshot->'flags'->>'reconcileUntil')::timestamptz AS until
                FROM activations
                WHERE finished_at IS NULL AND state = 'allocating' AND supplier = $1
                  AND snapshot->'flags'->>'reconciling' = 'true' AND snapshot->'attempts'->-1->>'started_at' IS NOT NULL
                """, [supplier]
            ).map { row in
                InDoubtPurchase(
                    requestID: try row.decode("request_id"),
                    route: AttemptRoute(
                        supplier: supplier, service: try row.decode("service"), country: try row.decode("country"),
                        numberType: try row.decode("number_type")),
                    startedAt: try row.decode("started_at"), until: try row.decode("until", as: Date?.self))
            }
        }
    }
}

extension ActivationStore {
    /// A purchase written ahead and not answered yet: sent, or about to be (see ``purchasesInFlight(supplier:)``).
    public struct InFlightPurchase: Sendable, Hashable {
        public var requestID: String
        public var service: String
        public var country: String
        /// When its attempt started: the purchase cannot have been sent before.
        public var startedAt: Date
    }

    /// The purchases of `supplier` that are written ahead and whose answer is neither stored nor lost: each may
    /// have sold a number that is in the supplier's active list and owned by nobody yet, because its answer is
    /// on its way to PostgreSQL. A lost purchase is looked for in the list only once none of these could have
    /// landed in its window (under load an answer takes longer to store than any fixed margin).
    ///
    /// A purchase waiting for its back-off (`pendingPurchaseAt`) was not sent; one being looked for is in doubt
    /// (``inDoubtPurchases(supplier:)``), not in flight.
    ///
    /// - Throws: ``PoolStoreError``: `database`, `decoding`.
    public func purchasesInFlight(supplier: String) async throws -> [InFlightPurchase] {
        try await run("purchasesInFlight", requestID: nil) {
            try await pool.query(
                """
                SELECT request_id, service, country, (snapshot->'attempts'->-1->>'started_at')::timestamptz AS started_at
                FROM activations
                WHERE finished_at IS NULL AND state = 'allocating' AND supplier = $1 AND supplier_activation_id IS NULL
                  AND coalesce(snapshot->'flags'->>'reconciling', 'false') <> 'true'
                  AND snapshot->'flags'->>'pendingPurchaseAt' IS NULL
                  AND snapshot->'attempts'->-1->>'started_at' IS NOT NULL
                """, [supplier]
            ).map { row in
                InFlightPurchase(
                    requestID: try row.decode("request_id"), service: try row.decode("service"),
                    country: try row.decode("country"), startedAt: try row.decode("started_at"))
            }
        }
    }
}
