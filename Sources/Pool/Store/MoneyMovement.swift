import Activation

/// The money actions of one step, summed: what to add to the hold, debit from it and release from it.
///
/// Built from the ``ActivationAction``s a state-machine input returned; other actions are ignored. Amounts are
/// validated before any SQL runs: all in the activation's currency and none negative.
struct MoneyMovement: Sendable, Hashable {
    /// Added to the account's and the activation's hold.
    var holdMinor: Int64 = 0
    /// Taken off the hold and the balance.
    var debitMinor: Int64 = 0
    /// Taken off the hold.
    var releaseMinor: Int64 = 0

    /// Whether the step moves no money (the account row is then left alone).
    var isZero: Bool { holdMinor == 0 && debitMinor == 0 && releaseMinor == 0 }

    /// Sums the money actions among `actions`.
    ///
    /// - Throws: ``PoolStoreError`` with code `invalidStep` for an amount in another currency, a negative
    ///   amount, or a sum that overflows.
    init(_ actions: [ActivationAction], currency: String, requestID: String) throws {
        for action in actions {
            switch action {
            case .placeHold(let money): holdMinor = try Self.add(money, to: holdMinor, currency, requestID)
            case .debitHold(let money): debitMinor = try Self.add(money, to: debitMinor, currency, requestID)
            case .releaseHold(let money): releaseMinor = try Self.add(money, to: releaseMinor, currency, requestID)
            default: continue
            }
        }
    }

    private static func add(_ money: Money, to sum: Int64, _ currency: String, _ requestID: String) throws -> Int64 {
        guard money.currency == currency else {
            throw PoolStoreError(
                code: .invalidStep,
                message: "a money action is in \(money.currency) but the activation is in \(currency); "
                    + "amounts must be in the request's currency",
                requestID: requestID)
        }
        let (total, overflow) = sum.addingReportingOverflow(money.amountMinor)
        guard money.amountMinor >= 0, !overflow else {
            throw PoolStoreError(
                code: .invalidStep, message: "a money action of \(money) is negative or too large; report a bug",
                requestID: requestID)
        }
        return total
    }
}
