import Foundation
import Testing

@testable import Activation

@Suite("Timeline: the snapshot counts entries, the rows hold them")
struct TimelineTests {
    /// A machine with a number bought: five entries.
    private func bought() throws -> ActivationStateMachine {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        _ = try machine.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1))
        return machine
    }

    @Test func theSnapshotKeepsTheCountNotTheEntries() throws {
        let machine = try bought()
        let snapshot = try JSONSerialization.jsonObject(with: WireFormat.encode(machine)) as? [String: Any]
        let timeline = try #require(snapshot?["timeline"] as? [String: Any])
        #expect(timeline.keys.sorted() == ["count"])
        #expect(timeline["count"] as? Int == machine.timeline.count)

        let restored = try WireFormat.makeDecoder().decode(ActivationStateMachine.self, from: WireFormat.encode(machine))
        #expect(restored.timeline.storedCount == machine.timeline.count)
        #expect(restored.timeline.entries.isEmpty)
        #expect(restored == machine.compacted())
    }

    @Test func aSnapshotWrittenWithItsEntriesDecodesWithAllOfThem() throws {
        let machine = try bought()
        let entries = try JSONSerialization.jsonObject(with: WireFormat.encode(machine.timeline.entries))
        var snapshot = try #require(try JSONSerialization.jsonObject(with: WireFormat.encode(machine)) as? [String: Any])
        snapshot["timeline"] = ["entries": entries]
        let legacy = try JSONSerialization.data(withJSONObject: snapshot)
        let decoded = try WireFormat.makeDecoder().decode(ActivationStateMachine.self, from: legacy)
        #expect(decoded.timeline.isComplete)
        #expect(decoded == machine)
    }

    @Test func aCountBelowTheEntriesHeldIsRefused() throws {
        let entry = try WireFormat.encode(try bought().timeline.entries[0])
        let json = #"{"count":0,"entries":["# + String(decoding: entry, as: UTF8.self) + "]}"
        #expect(throws: DecodingError.self) {
            try WireFormat.makeDecoder().decode(Timeline.self, from: Data(json.utf8))
        }
    }

    @Test func newEntriesKeepTheirPositionsAfterTheStoredOnes() throws {
        let machine = try bought()
        var loaded = machine.compacted()
        _ = try loaded.statusReceived(.code("123456", text: nil, reply: "STATUS_OK:123456"), at: Fixtures.at(2))
        let stored = machine.timeline.count
        let new = loaded.timeline.entries(from: stored)
        #expect(new.map(\.position) == Array(stored..<loaded.timeline.count))
        #expect(new.first?.entry.kind == .codeReceived)
        #expect(loaded.timeline.entries(from: 0).map(\.position) == new.map(\.position), "positions not held are skipped")
    }

    @Test func aTerminalSummaryHasEveryEntryOnceTheStoredOnesAreRestored() throws {
        let machine = try bought()
        let reply = PollResult.code("123456", text: nil, reply: "STATUS_OK:123456")

        var whole = machine
        _ = try whole.statusReceived(reply, at: Fixtures.at(2))
        let expected = try #require(whole.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: Fixtures.at(3)).events.first?.timeline)

        var compact = machine.compacted()
        _ = try compact.statusReceived(reply, at: Fixtures.at(2))
        var unrestored = compact
        let partial = try #require(unrestored.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: Fixtures.at(3)).events.first?.timeline)
        #expect(partial.omittedEntries == machine.timeline.count, "entries not held are reported as omitted")

        let fromTooFew = compact.restoreTimeline(stored: Array(machine.timeline.entries.dropLast()))
        #expect(!fromTooFew, "fewer rows than counted: nothing taken")
        #expect(compact.timeline.storedCount == machine.timeline.count)
        let fromAll = compact.restoreTimeline(stored: machine.timeline.entries)
        #expect(fromAll)
        let summary = try #require(compact.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: Fixtures.at(3)).events.first?.timeline)
        #expect(summary == expected)
        #expect(summary.omittedEntries == 0)
    }

    @Test func aFinishedSnapshotKeepsItsLastEventWithoutTheSummaryAndReemitsItWhole() throws {
        var finished = try bought()
        _ = try finished.statusReceived(.code("123456", text: nil, reply: "STATUS_OK:123456"), at: Fixtures.at(2))
        let completed = try #require(finished.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: Fixtures.at(3)).events.first)
        #expect(completed.kind == .completed && completed.timeline != nil)
        let snapshot = try #require(try JSONSerialization.jsonObject(with: WireFormat.encode(finished)) as? [String: Any])
        let kept = try #require(snapshot["lastEvent"] as? [String: Any])
        #expect(kept["timeline"] == nil, "the summary is not in the snapshot")
        #expect(kept["event_id"] as? String == completed.eventID)

        let loaded = try WireFormat.makeDecoder().decode(ActivationStateMachine.self, from: WireFormat.encode(finished))
        #expect(loaded.needsTimelineToReemit)
        var restored = loaded
        let complete = restored.restoreTimeline(stored: finished.timeline.entries)
        #expect(complete)
        #expect(!restored.needsTimelineToReemit)
        #expect(restored.reemittableEvent == completed, "the same event as emitted, summary included")
    }
}
