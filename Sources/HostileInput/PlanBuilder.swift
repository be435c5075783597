import Activation
import Basics
import Foundation

/// Builds a generator's plan: names each input, makes its message, and works out what must become of it.
///
/// The categories live in extensions (`PlanBuilder+Syntax.swift` …). Each adds inputs either as a damaged
/// message tree, whose expected outcome follows from its fields (``WireField``), or as raw bytes with the
/// decoder's answer stated, for damage below the JSON level (truncation, encoding, nesting).
struct PlanBuilder {
    let configuration: HostileInputGenerator.Configuration
    var random: SplitMix64
    private(set) var planned: [PlannedInput] = []
    private var numbers: [HostileInput.Topic: Int] = [:]

    init(configuration: HostileInputGenerator.Configuration) {
        self.configuration = configuration
        self.random = SplitMix64(seed: configuration.seed)
    }

    var template: HostileTemplate { self.configuration.template }
    var limits: WireLimits { self.configuration.limits }

    /// Every category, in a fixed order (the order fixes the IDs and the random choices).
    mutating func planAll() {
        self.planTruncations()
        self.planNesting()
        self.planOversizedValues()
        self.planWrongTypes()
        self.planMissingFields()
        self.planInjections()
        self.planVersions()
        self.planInvalidUTF8()
        self.planOutOfDomain()
        self.planNotAnObject()
        self.planGarbage()
        self.planDuplicateMembers()
        self.planDuplicateKeys()
    }

    /// The next input ID of `topic`: `hostile-<seed>-r00001`, `hostile-<seed>-c00001`. Fixed width, so the
    /// valid messages of one topic all have the same length.
    mutating func nextID(_ topic: HostileInput.Topic) -> String {
        let number = self.numbers[topic, default: 0] + 1
        self.numbers[topic] = number
        return "hostile-\(self.configuration.seed)-\(topic == .requests ? "r" : "c")\(number.zeroPadded(5))"
    }

    /// An ID as wide as every input's that no input has: for measuring and probing valid messages.
    var placeholderID: String { "hostile-\(self.configuration.seed)-x00000" }

    /// The valid message of `topic` for the input `id`.
    func valid(_ topic: HostileInput.Topic, id: String) -> JSONTree {
        Self.valid(topic, id: id, template: self.template)
    }

    static func valid(_ topic: HostileInput.Topic, id: String, template: HostileTemplate) -> JSONTree {
        topic == .requests ? template.request(id: id) : template.command(id: id)
    }

    /// The valid message of `topic` for `id`, with `value` at `target` (a key target takes a string leaf).
    func message(_ topic: HostileInput.Topic, id: String, _ target: WireTarget, _ value: JSONTree) -> JSONTree {
        Self.message(topic, id: id, target, value, template: self.template)
    }

    static func message(
        _ topic: HostileInput.Topic, id: String, _ target: WireTarget, _ value: JSONTree, template: HostileTemplate
    ) -> JSONTree {
        let tree = self.valid(topic, id: id, template: template)
        guard target.isKey else { return tree.replacing(target.path, with: value) ?? tree }
        guard case .leaf(let raw, let leaf) = value else { return tree }
        if case .string(let key) = leaf { return tree.replacingKey(target.path, key: key, rawKey: raw) }
        return tree.replacingKey(target.path, key: "", rawKey: raw, isReadable: false)
    }

    /// The fields of `topic`'s messages.
    static func fields(_ topic: HostileInput.Topic) -> [WireField] {
        topic == .requests ? HostileTemplate.requestFields : HostileTemplate.commandFields
    }

    /// The places to damage in `topic`'s messages.
    static func targets(_ topic: HostileInput.Topic) -> [WireTarget] {
        topic == .requests ? HostileTemplate.requestTargets : HostileTemplate.commandTargets
    }

    /// Adds an input whose message is `tree`; the decoder's answer follows from its fields.
    ///
    /// - Parameters:
    ///   - intake: what the worker makes of the message when it decodes; default: `insufficient_balance` for
    ///     requests (the template's account cannot pay), `unknown_request` for commands.
    ///   - bytes: the message when it is not `tree` as rendered (a byte order mark in front of it).
    mutating func add(
        _ topic: HostileInput.Topic, id: String, _ category: HostileCategory, _ summary: String, tree: JSONTree,
        bytes: [UInt8]? = nil, intake: HostileOutcome? = nil, after: String? = nil
    ) {
        self.planned.append(.ready(Self.input(
            topic, id: id, category, summary, tree: tree, bytes: bytes ?? tree.rendered(), refusal: nil,
            intake: intake, after: after, configuration: self.configuration)))
    }

    /// Adds an input of raw bytes the decoder refuses with `refusal` before reading any field.
    mutating func add(
        _ topic: HostileInput.Topic, id: String, _ category: HostileCategory, _ summary: String, bytes: [UInt8],
        refusal: RejectionReason.Code
    ) {
        self.planned.append(.ready(Self.input(
            topic, id: id, category, summary, tree: nil, bytes: bytes, refusal: refusal, intake: nil, after: nil,
            configuration: self.configuration)))
    }

    /// Adds an input whose (large) message tree is built only when the input is reached.
    mutating func addDeferred(
        _ topic: HostileInput.Topic, id: String, _ category: HostileCategory, _ summary: String,
        tree: @escaping @Sendable () -> JSONTree
    ) {
        let configuration = self.configuration
        self.planned.append(.deferred {
            let message = tree()
            return Self.input(
                topic, id: id, category, summary, tree: message, bytes: message.rendered(), refusal: nil,
                intake: nil, after: nil, configuration: configuration)
        })
    }

    /// The input, with its expected outcome worked out from the message.
    static func input(
        _ topic: HostileInput.Topic, id: String, _ category: HostileCategory, _ summary: String, tree: JSONTree?,
        bytes: [UInt8], refusal: RejectionReason.Code?, intake: HostileOutcome?, after: String?,
        configuration: HostileInputGenerator.Configuration
    ) -> HostileInput {
        let limits = configuration.limits
        let fields = self.fields(topic)
        let verdict: RejectionReason.Code? =
            if bytes.count > limits.maxMessageBytes { .oversize }
            else if let refusal { refusal }
            else if let tree { WireField.verdict(of: tree, fields: fields, limits: limits) }
            else { .malformedJSON }
        // Otherwise valid, a request with U+0000 in its metadata is refused too: PostgreSQL cannot store it.
        let decoderRefusal = verdict ?? (topic == .requests && tree?["metadata"]?.containsNUL == true ? .invalidValue : nil)
        let requestID = tree?["request_id"]?.string.flatMap { WireRules.isIdentifier($0, limits: limits) ? $0 : nil }
        var input = HostileInput(
            id: id, topic: topic, category: category, summary: summary, bytes: Data(bytes), expected: .accepted,
            decoderRefusal: decoderRefusal, after: after)
        if let decoderRefusal {
            input.expected = .deadLettered(decoderRefusal)
            // The worker names a dead-lettered request in a `rejected` event when it can read its ID.
            let readsFields = ![.oversize, .malformedJSON, .invalidEncoding, .tooDeep].contains(decoderRefusal)
            input.requestID = topic == .requests && readsFields ? requestID : nil
        } else {
            input.expected = intake ?? .rejected(topic == .requests ? .insufficientBalance : .unknownRequest)
            input.requestID = requestID
            input.commandID = topic == .commands ? tree?["command_id"]?.string : nil
        }
        return input
    }
}

extension JSONTree {
    /// Whether a string or key holds U+0000.
    var containsNUL: Bool {
        switch self {
        case .leaf(_, .string(let text)): text.utf8.contains(0)
        case .leaf: false
        case .object(let members): members.contains { $0.key.utf8.contains(0) || $0.value.containsNUL }
        case .array(let elements): elements.contains { $0.containsNUL }
        }
    }
}
