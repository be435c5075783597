import Foundation
import Testing

@testable import Activation

/// The machine keeps its fields behind one reference, copied on write: a copy is a pointer in an async frame, and
/// changing one copy never shows in another.
@Suite("State machine: storage")
struct MachineStorageTests {
    @Test func aMachineIsOneReference() {
        #expect(MemoryLayout<ActivationStateMachine>.size == MemoryLayout<AnyObject>.size)
    }

    @Test func changingACopyLeavesTheOriginalAsItWas() throws {
        let original = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        var copy = original
        #expect(copy == original)
        _ = try copy.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(1))

        #expect(original.state == .received)
        #expect(original.timeline.entries.count == 1)
        #expect(original.ledger.heldMinor == 0)
        #expect(copy.state == .allocating)
        #expect(copy.timeline.entries.count > 1)
        #expect(copy != original)
        #expect(Set([original, copy, original]).count == 2, "hashing follows the fields, not the reference")
    }

    @Test func equalFieldsInTwoStoragesAreEqual() throws {
        // A snapshot leaves the timeline's entries to their rows: it decodes as the compacted machine.
        let machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0)).compacted()
        let decoded = try WireFormat.makeDecoder().decode(ActivationStateMachine.self, from: WireFormat.encode(machine))
        #expect(decoded == machine)
        #expect(decoded.hashValue == machine.hashValue)
    }

    @Test func theProgressIsTheSnapshotWithoutRequestAndPolicy() throws {
        var policy = ActivationPolicy()
        policy.maxFinishAttempts = 3
        var machine = ActivationStateMachine(request: Fixtures.request(), policy: policy, at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(1))
        machine = machine.compacted()

        let whole = try #require(try JSONSerialization.jsonObject(with: WireFormat.encode(machine)) as? [String: Any])
        let progress = try #require(try JSONSerialization.jsonObject(with: WireFormat.encode(machine.progress)) as? [String: Any])
        #expect(Set(whole.keys) == Set(progress.keys).union(["request", "policy"]), "one flat object, as before the split")
        #expect(progress["request"] == nil && progress["policy"] == nil)

        let decoder = WireFormat.makeDecoder()
        let reassembled = ActivationStateMachine(
            request: machine.request, policy: machine.policy,
            progress: try decoder.decode(ActivationStateMachine.Progress.self, from: WireFormat.encode(machine.progress)))
        #expect(reassembled == machine)
        #expect(reassembled.policy.maxFinishAttempts == 3)
        // A snapshot of the whole machine (written before the split) still reads as its progress.
        #expect(try decoder.decode(ActivationStateMachine.Progress.self, from: WireFormat.encode(machine)) == machine.progress)
    }
}
