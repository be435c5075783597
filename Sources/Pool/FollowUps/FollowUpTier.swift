import Basics

/// One delay tier: a topic whose records are read `delay` after they were written.
public struct FollowUpTier: Sendable, Hashable, CustomStringConvertible {
    /// How long a record waits in this tier.
    public let delay: Duration
    /// The tier's topic, e.g. `otp.activation.followups.30s`.
    public let topic: String

    public init(delay: Duration, topic: String) {
        self.delay = delay
        self.topic = topic
    }

    /// A tier named after its delay under a topic prefix: `1s`, `30s`, `2m`, `1h`, or `250ms`.
    public init(delay: Duration, prefix: String) {
        self.init(delay: delay, topic: "\(prefix).\(Self.label(delay))")
    }

    public var description: String { topic }

    static func label(_ delay: Duration) -> String {
        let milliseconds = delay.milliseconds
        if milliseconds % 3_600_000 == 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1_000 == 0 { return "\(milliseconds / 1_000)s" }
        return "\(milliseconds)ms"
    }
}
