import Foundation
import Testing

@testable import Activation

/// The JSON Schema files under `config/schemas/` and the Codable types say the same thing.
@Suite("JSON Schema files")
struct SchemaFileTests {
    private func load(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: Fixtures.root.appendingPathComponent(path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func data(_ path: String) throws -> Data {
        try Data(contentsOf: Fixtures.root.appendingPathComponent(path))
    }

    @Test func requestSchemaMatchesTheType() throws {
        let schema = try self.load("config/schemas/activation-request.v1.json")
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(Set(schema["required"] as? [String] ?? []) == ActivationRequest.requiredFields)
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(ActivationRequest.CodingKeys.allCases.map(\.rawValue)))
    }

    @Test func commandSchemaMatchesTheType() throws {
        let schema = try self.load("config/schemas/activation-command.v1.json")
        #expect(Set(schema["required"] as? [String] ?? []) == ActivationCommand.requiredFields)
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(ActivationCommand.CodingKeys.allCases.map(\.rawValue)))
        let kind = try #require(properties["kind"] as? [String: Any])
        #expect(Set(kind["enum"] as? [String] ?? []) == Set(ActivationCommandKind.allCases.map(\.rawValue)))
    }

    @Test func eventSchemaMatchesTheType() throws {
        let schema = try self.load("config/schemas/activation-event.v1.json")
        #expect(Set(schema["required"] as? [String] ?? []) == ActivationEvent.requiredFields)
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(ActivationEvent.CodingKeys.allCases.map(\.rawValue)))
        let kind = try #require(properties["kind"] as? [String: Any])
        #expect(Set(kind["enum"] as? [String] ?? []) == Set(ActivationEventKind.allCases.map(\.rawValue)))
        let defs = try #require(schema["$defs"] as? [String: Any])
        let state = try #require(defs["state"] as? [String: Any])
        #expect(Set(state["enum"] as? [String] ?? []) == Set(ActivationState.allCases.map(\.rawValue)))
    }

    @Test func examplesDecodeWithTheTypes() throws {
        let decoder = WireDecoder()
        let request = try decoder.decodeRequest(self.data("config/schemas/examples/activation-request.v1.json"))
        #expect(request.countries == ["russia", "indonesia", "usa"])
        let command = try decoder.decodeCommand(self.data("config/schemas/examples/activation-command.v1.json"))
        #expect(command.kind == .requestAnotherCode)
        let event = try decoder.decodeEvent(self.data("config/schemas/examples/activation-event.v1.json"))
        #expect(event.kind == .numberAllocated)
    }

    /// Events the machine emits use only the schema's fields (a terminal one, with its timeline, included) and
    /// decode back to themselves.
    @Test func emittedEventsStayWithinTheSchema() throws {
        let schema = try self.load("config/schemas/activation-event.v1.json")
        let allowed = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        var events = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0)).events
        events += try machine.purchaseSucceeded(Fixtures.number(boughtAt: 1), at: Fixtures.at(1)).events
        events += try machine.statusReceived(.code("5555", text: nil, reply: "STATUS_OK:5555"), at: Fixtures.at(9)).events
        events += try machine.finishResult(.done(reply: nil), at: Fixtures.at(10)).events
        #expect(events.map(\.kind) == [.numberAllocated, .codeReceived, .completed])
        for event in events {
            let data = try WireFormat.encode(event)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(Set(object.keys).isSubset(of: allowed), "\(Set(object.keys).subtracting(allowed))")
            #expect(try WireDecoder().decodeEvent(data) == event)
        }
    }
}
