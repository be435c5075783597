import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Pool
import Testing

@testable import Console

@Suite("Console dead-letter replay: security, who and note, filtered confirm")
struct ConsoleReplayTests {
    static func post(_ client: any TestClientProtocol, _ uri: String, _ headers: HTTPFields, _ form: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: headers, body: ConsoleActionsTests.body(form)) { $0 }
    }

    @Test func replayIsRefusedWithoutTokenSessionCSRFOrOrigin() async throws {
        let backend = DeadLetterFixtures.backend()
        let replayer = MemoryReplayer(backend)
        try await ConsoleFixtures.withConsole(backend, token: nil, replayer: replayer) { client in
            let response = try await Self.post(client, "/console/dead-letter/replay", ConsoleActionsTests.origin, "id=1")
            #expect(response.status == .forbidden && response.text.contains("OTPPOOL_ADMIN_CONSOLE_TOKEN"))
            try await client.execute(uri: "/console/dead-letter?id=1", method: .get) { response in
                #expect(!response.text.contains("id=\"replay\""), "read-only: no form")
            }
        }
        try await ConsoleFixtures.withConsole(backend, replayer: replayer) { client in
            var response = try await Self.post(client, "/console/dead-letter/replay", ConsoleActionsTests.origin, "id=1")
            #expect(response.status == .forbidden && response.text.contains("Sign in first"))
            let (cookie, csrf) = try await ConsoleActionsTests.signIn(client)
            var signedIn = ConsoleActionsTests.origin
            signedIn[.cookie] = cookie
            for form in ["id=1", "id=1&csrf=\(String(repeating: "0", count: 64))"] {
                response = try await Self.post(client, "/console/dead-letter/replay", signedIn, form)
                #expect(response.status == .forbidden && response.text.contains("anti-forgery token"))
            }
            var crossSite = signedIn
            crossSite[HTTPField.Name("Origin")!] = "http://evil.example"
            response = try await Self.post(client, "/console/dead-letter/replay", crossSite, "id=1&csrf=\(csrf)")
            #expect(response.status == .forbidden && response.text.contains("not sent from a page of this console"))
            response = try await Self.post(client, "/console/dead-letters/replay", crossSite, "ids=1&csrf=\(csrf)")
            #expect(response.status == .forbidden)
        }
        #expect(replayer.callsNow.isEmpty, "nothing refused reached the replayer")
    }

    @Test func replayWithEverythingRecordsWhoAndNoteAndShowsIt() async throws {
        let backend = DeadLetterFixtures.backend()
        let replayer = MemoryReplayer(backend)
        try await ConsoleFixtures.withConsole(backend, replayer: replayer) { client in
            let (cookie, csrf) = try await ConsoleActionsTests.signIn(client)
            try await client.execute(uri: "/console/dead-letter?id=1", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.text.contains("action=\"/console/dead-letter/replay\"") && response.text.contains("name=\"by\""))
            }
            var signedIn = ConsoleActionsTests.origin
            signedIn[.cookie] = cookie
            let response = try await Self.post(client, "/console/dead-letter/replay", signedIn, "id=1&csrf=\(csrf)&note=producer+fixed&by=alice")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/console/dead-letter?id=1&done=replayed")
            #expect(replayer.callsNow == [.init(id: 1, who: "alice", note: "producer fixed")])
            try await client.execute(uri: "/console/dead-letter?id=1&done=replayed", method: .get, headers: [.cookie: cookie]) { response in
                let page = response.text
                #expect(page.contains("Replayed dead letter 1"))
                #expect(page.contains("<td class=\"by\">alice</td>") && page.contains("producer fixed") && page.contains("test.requests[0]@900"))
            }
            // Without a name the replay is on record as the console's, as resolve does.
            _ = try await Self.post(client, "/console/dead-letter/replay", signedIn, "id=1&csrf=\(csrf)")
            #expect(replayer.callsNow.last == .init(id: 1, who: "console", note: nil))
            let unknown = try await Self.post(client, "/console/dead-letter/replay", signedIn, "id=99&csrf=\(csrf)")
            #expect(unknown.status == .notFound && unknown.text.contains("Replay failed"))
        }
    }

    @Test func filteredReplayConfirmsHowManyThenReplaysThose() async throws {
        let backend = DeadLetterFixtures.backend()
        let replayer = MemoryReplayer(backend)
        try await ConsoleFixtures.withConsole(backend, replayer: replayer) { client in
            let (cookie, csrf) = try await ConsoleActionsTests.signIn(client)
            try await client.execute(uri: "/console/dead-letters?reason=malformed_json", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.text.contains("href=\"/console/dead-letters/replay?reason=malformed_json\""), "the way to the confirm step")
            }
            // The confirm step leaves out the one replayed before and another deployment's.
            try await client.execute(uri: "/console/dead-letters/replay", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("This replays <strong>1 dead letter</strong>"))
                #expect(response.text.contains("name=\"ids\" value=\"1\""))
                #expect(response.text.contains("never buys a second number"))
            }
            try await client.execute(uri: "/console/dead-letters/replay?replayed=yes", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.text.contains("name=\"ids\" value=\"2\""), "replayed: yes takes those replayed before")
            }
            #expect(replayer.callsNow.isEmpty, "the confirm step replays nothing")
            var signedIn = ConsoleActionsTests.origin
            signedIn[.cookie] = cookie
            let response = try await Self.post(
                client, "/console/dead-letters/replay", signedIn, "ids=1,2&reason=malformed_json&replayed=no&csrf=\(csrf)&note=bulk&by=carol")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/console/dead-letters?reason=malformed_json&done=replayed&count=2")
            #expect(replayer.callsNow == [.init(id: 1, who: "carol", note: "bulk"), .init(id: 2, who: "carol", note: "bulk")])
            let bad = try await Self.post(client, "/console/dead-letters/replay", signedIn, "ids=1,x&csrf=\(csrf)")
            #expect(bad.status == .badRequest)
        }
    }
}
