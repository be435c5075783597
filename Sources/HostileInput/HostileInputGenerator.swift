import Activation

/// Generates malformed and hostile activation requests and commands, deterministically from a seed.
///
/// Every input starts from a valid request or command (``HostileTemplate``) and is damaged in one way
/// (``HostileCategory``): truncated, nested too deep, given a 10 MB value, a wrong type, an injection string,
/// an unknown schema version, bytes that are not UTF-8 … Each says what the worker must make of it
/// (``HostileInput/expected``): dead-lettered with a reason code, rejected with a reason code, or — for the valid
/// originals of duplicate pairs only — accepted. The expectations follow the JSON schemas in `config/schemas/`
/// and the configured ``Activation/WireLimits``, worked out independently of the decoder they check.
///
/// The default configuration yields more than 1,000 hostile requests and more than 1,000 hostile commands.
/// Iterating builds large messages one at a time:
///
/// ```swift
/// for input in HostileInputGenerator(configuration: .init(seed: 7)) {
///     try await producer.send(KafkaProducerMessage(topic: topic(input.topic), key: input.key, value: input.bytes))
/// }
/// ```
public struct HostileInputGenerator: Sequence, Sendable {
    /// How the inputs are made.
    public let configuration: Configuration
    private let plan: [PlannedInput]

    /// Plans the inputs of `configuration`; their messages are built while iterating.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var builder = PlanBuilder(configuration: configuration)
        builder.planAll()
        self.plan = builder.planned
    }

    /// How many inputs the generator yields, the valid originals of duplicate pairs included.
    public var count: Int { self.plan.count }

    public var underestimatedCount: Int { self.plan.count }

    /// The valid request every hostile request is made from, with ID `id`.
    public func validRequest(id: String = "hostile-valid-request") -> [UInt8] {
        self.configuration.template.request(id: id).rendered()
    }

    /// The valid command every hostile command is made from, with ID `id` (about a request of the same ID).
    public func validCommand(id: String = "hostile-valid-command") -> [UInt8] {
        self.configuration.template.command(id: id).rendered()
    }

    public func makeIterator() -> Iterator {
        Iterator(plan: self.plan)
    }

    /// Yields the inputs in plan order, building each when it is reached.
    public struct Iterator: IteratorProtocol {
        private let plan: [PlannedInput]
        private var index = 0

        init(plan: [PlannedInput]) {
            self.plan = plan
        }

        public mutating func next() -> HostileInput? {
            guard self.index < self.plan.count else { return nil }
            defer { self.index += 1 }
            return self.plan[self.index].make()
        }
    }
}
