import ArgumentParser
import Foundation
import Pool
import Testing

@testable import otppool

@Suite("bench engine: the engine alone, in memory")
struct EngineBenchTests {
    @Test("a short run completes every activation with the money exact, and its JSON has the documented keys")
    func aShortRun() async throws {
        let report = try await EngineBenchmark.run(activations: 120, wave: 50)
        #expect(report.activations == 120 && report.completed == 120)
        #expect(report.moneyExact)
        #expect(report.stepsPerActivation == 4)  // intake, purchase answer, poll with the code, finish
        #expect(report.supplierCallsPerActivation == 4)  // buy, two status checks, finish

        let data = try JSONEncoder().encode(EngineBenchCommand.Figures(report: report, cpuSeconds: 0.06))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == [
            "activations", "completed", "seconds", "activations_per_s", "cpu_s_per_1000_activations",
            "steps_per_activation", "supplier_calls_per_activation", "money_exact",
        ])
        #expect(object["cpu_s_per_1000_activations"] as? Double == 0.5)
        #expect(object["money_exact"] as? Bool == true)
    }

    @Test("bad options are refused with what to fix")
    func options() throws {
        #expect(throws: (any Error).self) { try EngineBenchCommand.parse(["--activations", "0"]) }
        #expect(throws: (any Error).self) { try EngineBenchCommand.parse(["--wave", "0"]) }
        let command = try EngineBenchCommand.parse(["--activations", "500", "--wave", "100", "--json"])
        #expect(command.activations == 500 && command.wave == 100 && command.json)
    }
}
