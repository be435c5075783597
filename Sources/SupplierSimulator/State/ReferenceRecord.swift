/// What happened to one request reference: every purchase attempt and every activation bought under it.
struct ReferenceRecord: Sendable {
    var attempts = 0
    var activationIDs: [Int] = []
    /// The first decision made under the reference for an API key (the activation sold, or the refusal),
    /// replayed to a repeat with that key when ``SimulatorConfiguration/referenceReplay`` is on; nil while none was made.
    var decision: (key: String, result: Result<Int, SimFailure>)?
}

extension SimFailure {
    /// Whether the supplier decided something (a refusal it would give again), as opposed to a fault before any
    /// effect or a limit that lifts by itself: only decisions are replayed to a repeated reference.
    var isDecision: Bool {
        switch self {
        case .noNumbers, .noBalance, .wrongMaxPrice, .banned, .badService, .badCountry, .badOperator: true
        default: false
        }
    }
}
