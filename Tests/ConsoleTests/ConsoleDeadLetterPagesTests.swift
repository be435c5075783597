import Foundation
import HTTPTypes
import HummingbirdTesting
import Pool
import Testing

@testable import Console

@Suite("Console dead-letter pages: list, filters, inspect, safe rendering")
struct ConsoleDeadLetterPagesTests {
    @Test func listCountsByReasonAndShowsNewestFirst() async throws {
        let backend = DeadLetterFixtures.backend()
        try await ConsoleFixtures.withConsole(backend, replayer: MemoryReplayer(backend)) { client in
            try await client.execute(uri: "/console/dead-letters", method: .get) { response in
                #expect(response.status == .ok)
                let page = response.text
                #expect(page.contains(">malformed_json</a></th><td class=\"num\">2</td>"), "counts by reason")
                #expect(page.contains(">invalid_price</a></th><td class=\"num\">1</td>"))
                let ids = ["dead-letter?id=1\"", "dead-letter?id=2\"", "dead-letter?id=3\""].map { page.range(of: $0)?.lowerBound }
                #expect(ids.allSatisfy { $0 != nil } && ids[0]! < ids[1]! && ids[1]! < ids[2]!, "newest first")
                #expect(page.contains("1 · "), "a replayed one says how often")
                #expect(page.contains("Sign in</a> to replay"), "not signed in: no replay link")
                #expect(!page.contains("id=\"replay-filtered\""))
            }
        }
    }

    @Test func listPassesItsFiltersAndCountsEveryReason() async throws {
        let backend = DeadLetterFixtures.backend()
        try await ConsoleFixtures.withConsole(backend) { client in
            try await client.execute(
                uri: "/console/dead-letters?reason=malformed_json&since=2026-01-01T00:00:00Z&account=acct-1&request=req-9&replayed=no", method: .get
            ) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("dead-letter?id=1\""))
                #expect(!response.text.contains("dead-letter?id=3\""), "another account's is filtered out")
            }
            let filters = backend.deadLetterFilters.withLock { $0 }
            let listing = try #require(filters.first)
            #expect(listing.reasonCode == "malformed_json" && listing.accountID == "acct-1" && listing.requestID == "req-9")
            #expect(listing.replayed == false && listing.since != nil)
            #expect(filters.count == 2 && filters[1].reasonCode == nil && filters[1].accountID == "acct-1", "counts cover every reason")
            try await client.execute(uri: "/console/dead-letters?since=yesterday", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("neither a time"))
            }
        }
    }

    @Test func inspectRendersHostileBytesSafely() async throws {
        let backend = DeadLetterFixtures.backend()
        try await ConsoleFixtures.withConsole(backend, replayer: MemoryReplayer(backend)) { client in
            try await client.execute(uri: "/console/dead-letter?id=1", method: .get) { response in
                #expect(response.status == .ok)
                let page = response.text
                #expect(page.contains("malformed_json"))
                #expect(page.contains("test.requests[1]@42"), "the source")
                #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "markup in the payload is text")
                #expect(!page.contains("<script>alert"))
                #expect(!page.contains(ConsoleFixtures.apiKey), "no key, in the payload or a header")
                #expect(!page.contains(ConsoleFixtures.code), "no code")
                #expect(page.contains("\\xFF") && page.contains("\\u{1B}"), "bad bytes and escapes are shown escaped")
                #expect(page.contains("<th>authorization</th><td><code>***</code>"))
                #expect(page.contains("&lt;b&gt;trace&lt;/b&gt;"))
                #expect(page.contains("unexpected byte &lt;0xFF&gt;"))
                #expect(page.contains("never replayed"))
                #expect(page.contains("never buys a second number"), "the page says replay is safe to repeat")
            }
            try await client.execute(uri: "/console/dead-letter?id=2", method: .get) { response in
                let replays = try #require(response.text.range(of: "id=\"replays\"")).upperBound
                let section = response.text[replays...]
                #expect(section.contains("<td class=\"by\">bob</td>") && section.contains("price fixed") && section.contains("test.requests[0]@8"))
            }
            try await client.execute(uri: "/console/dead-letter?id=99", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func withoutAProducerThePagesSayWhereReplayIs() async throws {
        let backend = DeadLetterFixtures.backend()
        try await ConsoleFixtures.withConsole(backend, replayer: nil) { client in
            let (cookie, csrf) = try await ConsoleActionsTests.signIn(client)
            try await client.execute(uri: "/console/dead-letter?id=1", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("available on an activation worker&#39;s console"))
                #expect(!response.text.contains("id=\"replay\""), "no replay button")
            }
            var headers = ConsoleActionsTests.origin
            headers[.cookie] = cookie
            try await client.execute(
                uri: "/console/dead-letter/replay", method: .post, headers: headers, body: ConsoleActionsTests.body("id=1&csrf=\(csrf)")
            ) { response in
                #expect(response.status == .conflict)
                #expect(response.text.contains("activation worker"))
            }
        }
        #expect(backend.letters.withLock { $0[1]?.replays.isEmpty } == true)
    }
}
