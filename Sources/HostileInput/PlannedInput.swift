/// An input of a generator's plan: built already, or built on demand when its message is large.
///
/// Oversized values are 10 MB each by default; building them one at a time while iterating keeps a whole
/// generated set from holding hundreds of megabytes at once.
enum PlannedInput: Sendable {
    case ready(HostileInput)
    case deferred(@Sendable () -> HostileInput)

    /// The input.
    func make() -> HostileInput {
        switch self {
        case .ready(let input): input
        case .deferred(let build): build()
        }
    }
}
