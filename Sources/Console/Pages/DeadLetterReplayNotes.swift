import Foundation

/// What the dead-letter pages say about replaying: that it is safe to repeat, and why there is no form when
/// there is none.
enum DeadLetterReplayNotes {
    /// Operators hesitate to replay what might buy a number twice; the intake's idempotency is why it cannot.
    static let safeToRepeat =
        "Replaying is safe to repeat: the worker takes requests in by their idempotency key, so a request it already "
        + "has re-emits its current state and never buys a second number. A replay that fails again becomes a new dead "
        + "letter. Each replay is on record with who, when, the note and where it landed."

    /// Only the activation worker has a producer for the requests topic.
    static let unavailable =
        "Replay is available on an activation worker's console (`otppool worker`, its admin port): this process has no "
        + "Kafka producer for the requests topic. Or from a shell: otppool dlq replay <id> --note \"…\"."

    /// Why the viewer cannot replay from this page, with what to do; nil when the replay form may show.
    ///
    /// - Parameter back: the page to come back to after signing in.
    static func obstacle(viewer: Viewer, replayAvailable: Bool, back: String) -> HTML? {
        guard replayAvailable else { return "<p class=\"muted\" id=\"replay-unavailable\">\(unavailable)</p>" }
        guard viewer.actionsConfigured else { return "<p class=\"muted\">\(ActionGuard.Refusal.actionsOff.message)</p>" }
        guard viewer.signedIn else {
            let next = back.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? ""
            return "<p><a href=\"/console/login?next=\(next)\">Sign in</a> to replay.</p>"
        }
        return nil
    }

    /// The note and operator fields every replay form carries (`by` as take and resolve record it).
    static let fields: HTML = """
        <label>why (on record)<textarea name="note" rows="2" placeholder="catalogue fixed, producer corrected …"></textarea></label>\
        <label>by<input name="by" placeholder="your name"></label>
        """
}
