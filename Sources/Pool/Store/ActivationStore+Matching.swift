import Activation
import Foundation
import Postgres

extension ActivationStore {
    /// One round of matching lost purchases of one supplier to the numbers of its active list (see
    /// ``ActiveListMatcher``), inside a transaction that takes the supplier's matching lock (``lock()``) once the
    /// list is read: the decisions of every worker's rounds are made one at a time, each sees the matches the
    /// earlier ones made, and a match is stored (``recordMatches(_:voiding:)``) before its look acts on it. Two
    /// workers' rounds that disagreed would each hand a number to a different look; the loser would take another
    /// number of its window, one no round gave it.
    public struct MatchingRound: Sendable {
        let connection: PostgresConnection
        /// The supplier whose purchases are matched.
        public let supplier: String

        /// A purchase sent and not answered yet (see ``purchasesInFlight()``).
        public struct InFlightPurchase: Sendable, Hashable {
            public var requestID: String
            public var service: String
            public var country: String
            /// When it was first sent (claimed), on PostgreSQL's clock: it cannot have landed before.
            public var sentAt: Date
        }

        /// The purchases of the supplier that were sent and whose answer is neither stored nor lost: each may have
        /// sold a number that is in the supplier's active list and owned by nobody yet, because its answer is on its
        /// way to PostgreSQL. A lost purchase is looked for in the list only once none of these could have landed in
        /// its window (under load an answer takes longer to store than any fixed margin).
        ///
        /// A purchase written ahead and not sent yet is not one of them: sent after this read, it lands after every
        /// window a round looks into (rounds look seconds after a window closed). Counting those from their
        /// write-ahead held looks back while purchases queued for a connection, until the numbers of the looks'
        /// windows had expired with their codes (`ambiguous` at 10,000: a look held 15 s, then matched another's
        /// number). A purchase waiting for its back-off (`pendingPurchaseAt`) was not sent either; one being looked
        /// for is in doubt (``inDoubtPurchases()``), not in flight.
        public func purchasesInFlight() async throws -> [InFlightPurchase] {
            try await connection.query(
                """
                SELECT request_id, service, country, purchase_sent_at
                FROM activations
                WHERE finished_at IS NULL AND state = 'allocating' AND supplier = $1 AND supplier_activation_id IS NULL
                  AND coalesce(snapshot::jsonb->'flags'->>'reconciling', 'false') <> 'true'
                  AND snapshot::jsonb->'flags'->>'pendingPurchaseAt' IS NULL
                  AND purchase_sent_attempt = (snapshot::jsonb->'attempts'->-1->'spec'->>'number')::int
                """, [supplier]
            ).map { row in
                InFlightPurchase(
                    requestID: try row.decode("request_id"), service: try row.decode("service"),
                    country: try row.decode("country"), sentAt: try row.decode("purchase_sent_at"))
            }
        }

        /// A purchase whose answer was lost and that is being looked for (see ``inDoubtPurchases()``).
        public struct InDoubtPurchase: Sendable, Hashable {
            public var requestID: String
            /// The attempt's purchase reference (`<request>.<attempt>`), which names its match.
            public var reference: String
            public var route: AttemptRoute
            /// When the purchase was sent (else when the attempt started): it cannot have landed before.
            public var startedAt: Date
            /// When its answer was lost: it cannot have landed after; nil when not recorded (then: now).
            public var until: Date?
        }

        /// The supplier's purchases whose answers were lost and that are still being looked for, by any worker:
        /// a round matches them all together, whichever of them is looking now.
        public func inDoubtPurchases() async throws -> [InDoubtPurchase] {
            try await connection.query(
                """
                SELECT request_id, snapshot::jsonb->'attempts'->-1->'spec'->>'reference' AS reference,
                    service, country, coalesce(number_type, '') AS number_type,
                    coalesce(snapshot::jsonb->'flags'->>'reconcileFrom', snapshot::jsonb->'attempts'->-1->>'started_at')::timestamptz AS started_at,
                    (snapshot::jsonb->'flags'->>'reconcileUntil')::timestamptz AS until
                FROM activations
                WHERE finished_at IS NULL AND state = 'allocating' AND supplier = $1
                  AND snapshot::jsonb->'flags'->>'reconciling' = 'true' AND snapshot::jsonb->'attempts'->-1->>'started_at' IS NOT NULL
                """, [supplier]
            ).map { row in
                InDoubtPurchase(
                    requestID: try row.decode("request_id"), reference: try row.decode("reference"),
                    route: AttemptRoute(
                        supplier: supplier, service: try row.decode("service"), country: try row.decode("country"),
                        numberType: try row.decode("number_type")),
                    startedAt: try row.decode("started_at"), until: try row.decode("until", as: Date?.self))
            }
        }

        /// Waits until no other round of the supplier decides, and keeps them waiting until this one's transaction
        /// ends (a transaction-scoped advisory lock). Taken after the list is read: a list read (up to three tries of
        /// the supplier's request timeout) under the lock held every worker's looks back, seconds past their time.
        public func lock() async throws {
            try await connection.query(
                "SELECT pg_advisory_xact_lock($1, hashtext($2))", [ActivationStore.matchingLockSpace, supplier])
        }

        /// Which of `ids` an activation owns or a stray record names (``claimedSupplierActivations(supplier:ids:)``).
        public func claimed(_ ids: [String]) async throws -> Set<String> {
            guard !ids.isEmpty else { return [] }
            return Set(try await connection.query(ActivationStore.claimedSQL, [supplier, ids])
                .map { try $0.decode("supplier_activation_id") as String })
        }

        /// The numbers the supplier's unfinished activations hold now, whatever the list says: read before the
        /// list, it keeps a number bought for an attempt that is replaced while the list is read (cancelled
        /// after it) from looking like nobody's.
        public func numbersInUse() async throws -> Set<String> {
            Set(try await connection.query(
                """
                SELECT supplier_activation_id FROM activations
                WHERE supplier = $1 AND finished_at IS NULL AND supplier_activation_id IS NOT NULL
                """, [supplier]
            ).map { try $0.decode("supplier_activation_id") as String })
        }

        /// A number an earlier round gave a lost purchase, with what the list said of it then: a purchase that
        /// looks after the number left the list (its life ended, with a code or without) still gets it.
        public struct Match: Sendable, Hashable {
            /// The purchase reference (`<request>.<attempt>`).
            public var reference: String
            public var number: AllocatedNumber
        }

        /// The matches earlier rounds made that are not void yet (see ``recordMatches(_:voiding:)``).
        public func matches() async throws -> [Match] {
            let decoder = WireFormat.makeDecoder()
            return try await connection.query(
                "SELECT reference, number FROM supplier_matches WHERE supplier = $1", [supplier]
            ).map { row in
                Match(
                    reference: try row.decode("reference"),
                    number: try row.decode("number", as: PostgresJSON.self).decode(AllocatedNumber.self, decoder: decoder))
            }
        }

        /// Stores the matches this round made and drops those of the purchases in `voiding`: matched afresh,
        /// or no longer looked for (their activation stored a number, or moved on).
        public func recordMatches(_ matches: [Match], voiding references: [String]) async throws {
            if !references.isEmpty {
                try await connection.query(
                    "DELETE FROM supplier_matches WHERE supplier = $1 AND reference = ANY($2)", [supplier, references])
            }
            guard !matches.isEmpty else { return }
            let numbers = try matches.map { try ActivationColumns.encode($0.number, requestID: $0.reference).text }
            try await connection.query(
                """
                INSERT INTO supplier_matches (supplier, supplier_activation_id, reference, number)
                SELECT $1, id, reference, number::jsonb FROM unnest($2::text[], $3::text[], $4::text[]) AS m(id, reference, number)
                """, [supplier, matches.map(\.number.supplierActivationID), matches.map(\.reference), numbers])
        }
    }

    /// Runs `body` as `supplier`'s matching round: in one transaction (``MatchingRound/lock()`` makes the other
    /// workers' rounds wait for its end), its connection taken ahead of normal work.
    ///
    /// - Throws: ``PoolStoreError`` with code `database`; what `body` throws.
    public func matchingRound<T>(
        supplier: String, isolation: isolated (any Actor)? = #isolation, _ body: (MatchingRound) async throws -> T
    ) async throws -> T {
        try await run("matchingRound", requestID: nil) {
            try await Self.urgently {
                try await pool.withTransaction { connection in
                    try await body(MatchingRound(connection: connection, supplier: supplier))
                }
            }
        }
    }

    /// The first key of the matching locks (the bytes of "mtch"); the second is a hash of the supplier's name.
    static let matchingLockSpace: Int32 = 0x6d74_6368
}
