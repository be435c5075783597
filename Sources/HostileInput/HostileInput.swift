import Activation
import Foundation

/// One generated input for the activation worker: the bytes to produce, where to, and what must become of them.
///
/// Produce ``bytes`` to ``topic`` with ``key`` as the Kafka key. The key is the input's ``id``; dead letters keep
/// the key, so each one names its input. Events name it by ``requestID`` (requests) or ``commandID`` (commands).
public struct HostileInput: Sendable, Hashable, Identifiable {
    /// The topic an input is meant for.
    public enum Topic: String, Sendable, Hashable, CaseIterable {
        /// `otp.activation.requests`.
        case requests
        /// `otp.activation.commands`.
        case commands
    }

    /// Unique within a generated set: `hostile-7-r00042` (requests) or `hostile-7-c00042` (commands).
    public var id: String
    /// Where it goes.
    public var topic: Topic
    /// What kind of damage was done.
    public var category: HostileCategory
    /// What was done, for people: `service = 3.14`, `truncated to 42 of 268 bytes`.
    public var summary: String
    /// The message.
    public var bytes: Data
    /// What the worker must make of it.
    public var expected: HostileOutcome
    /// What ``Activation/WireDecoder`` with the generator's limits answers: the code it refuses the message
    /// with, or nil when the message decodes. It is ``expected``'s code for every dead-lettered input except
    /// those the decoder accepts and the worker cannot store (see ``HostileOutcome/deadLettered(_:)``).
    public var decoderRefusal: RejectionReason.Code?
    /// The request ID the worker can read from the message, so its `rejected` event (or a command's
    /// `command_rejected` event) names it; nil when none can be read.
    public var requestID: String?
    /// The command ID the worker can read (commands that decode); nil otherwise.
    public var commandID: String?
    /// The ``id`` of an input the worker must have processed before this one is produced (the original of a
    /// duplicate pair); nil for most inputs.
    public var after: String?

    /// The Kafka key to produce it with: the ``id``.
    public var key: String { self.id }

    /// Whether the input is hostile: every category except ``HostileCategory/duplicateKeyOriginal``.
    public var isHostile: Bool { self.category != .duplicateKeyOriginal }

    /// Creates an input.
    public init(
        id: String, topic: Topic, category: HostileCategory, summary: String, bytes: Data, expected: HostileOutcome,
        decoderRefusal: RejectionReason.Code?, requestID: String? = nil, commandID: String? = nil,
        after: String? = nil
    ) {
        self.id = id
        self.topic = topic
        self.category = category
        self.summary = summary
        self.bytes = bytes
        self.expected = expected
        self.decoderRefusal = decoderRefusal
        self.requestID = requestID
        self.commandID = commandID
        self.after = after
    }
}

extension HostileInput: CustomStringConvertible {
    public var description: String {
        "\(self.id) [\(self.topic.rawValue), \(self.category)] \(self.summary) → \(self.expected)"
    }
}
