import Activation
import Postgres

extension PostgresRow {
    /// A state column as this build's ``ActivationState``.
    ///
    /// - Throws: ``PoolStoreError`` with code `decoding` for a state this build does not know (a newer build writing).
    func activationState(_ column: String = "state") throws -> ActivationState {
        let text = try decode(column, as: String.self)
        guard let state = ActivationState(rawValue: text) else {
            throw PoolStoreError(code: .decoding, message: "unknown activation state \"\(text)\"; is a newer build writing?")
        }
        return state
    }
}
