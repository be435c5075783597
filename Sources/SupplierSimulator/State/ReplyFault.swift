/// What becomes of the reply to a write that took effect: it is sent, or lost on the way back.
///
/// Both faults leave the buyer unable to tell from the reply whether its purchase, cancel or finish happened, the
/// case a supplier client must settle by reconciling (the active list, the activation's status) rather than by
/// retrying blindly or assuming nothing happened.
enum ReplyFault: Sendable, Equatable {
    /// The reply is sent.
    case none
    /// An HTML HTTP 502 replaces the reply, as a gateway in front of the supplier answers when it lost it.
    case ambiguousError
    /// The connection is dropped without any HTTP response.
    case reset
}
