import Foundation

/// What the retry policy decided after a failed attempt, always with a reason for the timeline.
public enum RetryDecision: Sendable, Hashable {
    /// Try again with `spec` (which differs from every earlier attempt), at `notBefore` when delayed.
    case retry(AttemptSpec, notBefore: Date?, reason: String)
    /// Stop: the activation ends `expired` (no code ever arrived) or `failed`.
    case giveUp(code: GiveUpCode, reason: String)

    /// Why the policy stopped.
    public enum GiveUpCode: String, Sendable, Hashable, Codable {
        /// The failure needs the client or operator to change something (`no_balance`, `bad_service`).
        case notRetriable = "not_retriable"
        /// The attempt limit is reached.
        case attemptsExhausted = "attempts_exhausted"
        /// The total time budget is spent (or the next attempt would start after it).
        case timeExhausted = "time_exhausted"
        /// Every (supplier, country, number type) combination allowed has been tried.
        case chainExhausted = "chain_exhausted"
    }

    /// The reason, whichever the decision.
    public var reason: String {
        switch self {
        case .retry(_, _, let reason), .giveUp(_, let reason): reason
        }
    }
}
