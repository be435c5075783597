/// Configuration that cannot be used: every problem found, each naming the key, the value's source and the
/// expected form. The `otppool` commands print it and exit with code 2.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    /// One line per problem.
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
            + "\n(keys are documented in config/otppool.yaml; environment: OTPPOOL_<SECTION>_<KEY>; flag: --set section.key=value)"
    }
}
