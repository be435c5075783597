extension PoolStoreError {
    /// The kind of a ``PoolStoreError``: a struct over a private enum, so kinds can be added without breaking
    /// callers' `switch` statements; compare with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case database
            case invariantViolated
            case encoding
            case decoding
            case invalidStep
            case concurrentChange
            case supplierActivationTaken
            case notFound
            case notReplayable
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        public var description: String { base.rawValue }

        /// PostgreSQL failed the statement or the connection broke; see ``PoolStoreError/underlying`` and
        /// ``PoolStoreError/isRetriable``.
        public static let database = Code(.database)
        /// A CHECK or unique constraint refused the write: a balance would go negative, a hold would exceed the
        /// balance, an activation would debit or release more than it held, or a supplier activation is
        /// recorded twice. Nothing was written; not retriable.
        public static let invariantViolated = Code(.invariantViolated)
        /// A snapshot or request could not be encoded as JSON.
        public static let encoding = Code(.encoding)
        /// A stored row could not be read back (a snapshot of another version, a row from before migration 2).
        public static let decoding = Code(.decoding)
        /// The step is inconsistent in itself (money actions in another currency, a negative amount).
        public static let invalidStep = Code(.invalidStep)
        /// Another writer changed the data between two statements of one call; make the call again (retriable).
        public static let concurrentChange = Code(.concurrentChange)
        /// The supplier activation a step records belongs to another activation already (two reconciliations
        /// took the same candidate): nothing was written; look for the attempt's purchase again.
        public static let supplierActivationTaken = Code(.supplierActivationTaken)
        /// What the call names does not exist (a dead letter's ID); check the ID with the listing.
        public static let notFound = Code(.notFound)
        /// A dead letter that cannot be replayed here: it came from a topic that is not this deployment's requests
        /// or commands topic, or the replay names nobody. Nothing was produced.
        public static let notReplayable = Code(.notReplayable)
    }
}
