import Activation
import Kafka

/// The one way the activation worker dead-letters an input: on record in PostgreSQL first, then on the
/// dead-letter topic, then (by its caller) the offset.
///
/// Recording first means nothing reaches the topic that operators cannot list, inspect and replay; a database
/// failure fails the call as a ``PoolStoreError`` the worker retries like any other (the offset is not
/// committed meanwhile), and a redelivered input finds its row again (``ActivationStore/recordDeadLetter(_:reason:identity:)``),
/// so a dead letter is recorded once however often the topic gets a copy.
struct DeadLetterRecorder: Sendable {
    let store: ActivationStore
    let publisher: EventPublisher
    let decoder: WireDecoder

    /// Records `message` with `reason`, then produces it to the dead-letter topic with the record's ID.
    ///
    /// - Throws: ``PoolStoreError`` or `KafkaError`; the input must not be committed.
    func deadLetter(_ message: KafkaMessage, reason: RejectionReason) async throws {
        let id = try await store.recordDeadLetter(message, reason: reason, identity: decoder.identity(of: message.value))
        try await publisher.deadLetter(message, reason: reason, id: id)
    }
}
