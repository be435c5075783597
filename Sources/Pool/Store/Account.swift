import Foundation
import Postgres

/// A paying account: its funds and the part of them held for activations in flight, in integer minor units.
///
/// Invariants the database enforces: `balanceMinor >= 0`, `heldMinor >= 0`, `heldMinor <= balanceMinor`.
public struct Account: Sendable, Hashable {
    /// The account's identifier (requests' `account_id`).
    public var id: String
    /// Where escalations reach the owner.
    public var email: String
    /// The funds, in minor units of ``currency``.
    public var balanceMinor: Int64
    /// The part of ``balanceMinor`` reserved by activations in flight.
    public var heldMinor: Int64
    /// The ISO 4217 code every amount of the account is in.
    public var currency: String

    /// Creates an account value (``ActivationStore/upsertAccount(_:)`` stores it; `heldMinor` is not written).
    public init(id: String, email: String, balanceMinor: Int64, heldMinor: Int64 = 0, currency: String = "USD") {
        self.id = id
        self.email = email
        self.balanceMinor = balanceMinor
        self.heldMinor = heldMinor
        self.currency = currency
    }

    /// What new activations may still hold: balance minus held.
    public var availableMinor: Int64 { balanceMinor - heldMinor }

    /// The columns ``ActivationStore`` selects for an account.
    static let columns = "id, email, balance_minor, held_minor, currency"

    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode("id"), email: try row.decode("email"), balanceMinor: try row.decode("balance_minor"),
            heldMinor: try row.decode("held_minor"), currency: try row.decode("currency"))
    }
}
