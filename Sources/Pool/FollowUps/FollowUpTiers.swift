import Basics

/// The delay tiers, shortest first, and the rule that picks one for a follow-up.
///
/// A follow-up with `remaining` time to wait goes to the longest tier whose delay is at most
/// `remaining`, so it is never read after it is due; with less than the shortest delay left it goes
/// to the shortest tier, whose records are read at once and held in memory until due.
public struct FollowUpTiers: Sendable, Hashable {
    /// The tiers, shortest delay first.
    public let tiers: [FollowUpTier]

    /// Tiers under `prefix` for each delay (duplicates dropped, sorted).
    ///
    /// - Precondition: at least one positive delay.
    /// The default tier delays: 1 s, 5 s, 30 s, 2 min, 10 min.
    public static let defaultDelays: [Duration] = [.seconds(1), .seconds(5), .seconds(30), .seconds(120), .seconds(600)]

    public init(prefix: String, delays: [Duration]) {
        let sorted = Set(delays.filter { $0 > .zero }).sorted()
        precondition(!sorted.isEmpty, "follow-up tiers need at least one positive delay, e.g. [.seconds(1)]")
        tiers = sorted.map { FollowUpTier(delay: $0, prefix: prefix) }
    }

    /// Every tier's topic: subscribe to them, and create them before starting the pool.
    public var topics: [String] { tiers.map(\.topic) }

    /// The shortest delay: follow-ups closer than this to being due wait in memory, not in a topic.
    public var horizon: Duration { tiers[0].delay }

    /// The tier for a follow-up that still has `remainingMilliseconds` to wait.
    public func tier(forRemaining remainingMilliseconds: Int64) -> FollowUpTier {
        tiers.last { $0.delay.milliseconds <= remainingMilliseconds } ?? tiers[0]
    }
}
