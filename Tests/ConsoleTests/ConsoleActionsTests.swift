import Escalation
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Console

@Suite("Console actions: token, session, CSRF and origin")
struct ConsoleActionsTests {
    static let origin: HTTPFields = [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Origin")!: "http://localhost"]

    static func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    /// Signs in and returns the session cookie and the CSRF token the pages carry.
    static func signIn(_ client: any TestClientProtocol) async throws -> (cookie: String, csrf: String) {
        let cookie = try await client.execute(
            uri: "/console/login", method: .post, headers: origin, body: body("token=\(ConsoleFixtures.token)&next=%2Fconsole%2Fescalations")
        ) { response in
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/console/escalations")
            let setCookie = try #require(response.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/console"))
            return String(setCookie.prefix { $0 != ";" })
        }
        let csrf = try await client.execute(uri: "/console/escalation?id=req-2", method: .get, headers: [.cookie: cookie]) { response in
            let page = response.text
            let marker = "name=\"csrf\" value=\""
            let start = try #require(page.range(of: marker)).upperBound
            return String(page[start...].prefix { $0 != "\"" })
        }
        #expect(csrf.count == 64)
        return (cookie, csrf)
    }

    @Test func withoutATokenActionsAreRefusedAndSayHowToSetOne() async throws {
        let backend = MemoryBackend(escalations: [ConsoleFixtures.escalation()])
        try await ConsoleFixtures.withConsole(backend, token: nil) { client in
            try await client.execute(uri: "/console/escalation/take", method: .post, headers: Self.origin, body: Self.body("id=req-2")) { response in
                #expect(response.status == .forbidden)
                #expect(response.text.contains("OTPPOOL_ADMIN_CONSOLE_TOKEN"))
            }
            try await client.execute(uri: "/console/escalation?id=req-2", method: .get) { response in
                #expect(response.status == .ok, "pages stay readable")
                #expect(!response.text.contains("action=\"/console/escalation/take\""))
            }
            try await client.execute(uri: "/console/login", method: .post, headers: Self.origin, body: Self.body("token=anything")) { response in
                #expect(response.status == .forbidden)
            }
        }
        #expect(backend.escalationsNow["req-2"]?.status == .open)
    }

    @Test func aWrongTokenDoesNotSignIn() async throws {
        try await ConsoleFixtures.withConsole(MemoryBackend()) { client in
            try await client.execute(uri: "/console/login", method: .post, headers: Self.origin, body: Self.body("token=wrong")) { response in
                #expect(response.status == .forbidden)
                #expect(response.headers[.setCookie] == nil)
            }
        }
    }

    @Test func takeAndResolveNeedSessionCSRFAndOrigin() async throws {
        let backend = MemoryBackend(escalations: [ConsoleFixtures.escalation()])
        try await ConsoleFixtures.withConsole(backend) { client in
            // Not signed in.
            try await client.execute(uri: "/console/escalation/take", method: .post, headers: Self.origin, body: Self.body("id=req-2")) { response in
                #expect(response.status == .forbidden)
                #expect(response.text.contains("Sign in first"))
            }
            let (cookie, csrf) = try await Self.signIn(client)
            var signedIn = Self.origin
            signedIn[.cookie] = cookie
            // Signed in, but the form's CSRF token is missing or another's.
            for form in ["id=req-2", "id=req-2&csrf=\(String(repeating: "0", count: 64))"] {
                try await client.execute(uri: "/console/escalation/take", method: .post, headers: signedIn, body: Self.body(form)) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.text.contains("anti-forgery token"))
                }
            }
            // Signed in with the right token, but sent from another site.
            var crossSite = signedIn
            crossSite[HTTPField.Name("Origin")!] = "http://evil.example"
            try await client.execute(uri: "/console/escalation/take", method: .post, headers: crossSite, body: Self.body("id=req-2&csrf=\(csrf)")) { response in
                #expect(response.status == .forbidden)
                #expect(response.text.contains("not sent from a page of this console"))
            }
            var noOrigin = signedIn
            noOrigin[HTTPField.Name("Origin")!] = nil
            try await client.execute(uri: "/console/escalation/take", method: .post, headers: noOrigin, body: Self.body("id=req-2&csrf=\(csrf)")) { response in
                #expect(response.status == .forbidden, "neither Origin nor Referer: refused")
            }
            #expect(backend.escalationsNow["req-2"]?.status == .open, "nothing refused changed anything")

            try await client.execute(uri: "/console/escalation/take", method: .post, headers: signedIn, body: Self.body("id=req-2&csrf=\(csrf)")) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/console/escalation?id=req-2&done=taken")
            }
            #expect(backend.escalationsNow["req-2"]?.status == .inProgress)

            try await client.execute(uri: "/console/escalation/resolve", method: .post, headers: signedIn, body: Self.body("id=req-2&csrf=\(csrf)&note=+")) { response in
                #expect(response.status == .badRequest, "a note is required")
            }
            try await client.execute(
                uri: "/console/escalation/resolve", method: .post, headers: signedIn,
                body: Self.body("id=req-2&csrf=\(csrf)&note=refunded+by+hand&by=ana")
            ) { response in
                #expect(response.status == .seeOther)
            }
            let resolved = try #require(backend.escalationsNow["req-2"])
            #expect(resolved.status == .resolved && resolved.resolution?.note == "refunded by hand" && resolved.resolution?.by == "ana")

            // Signing out ends the session: its CSRF token no longer acts.
            try await client.execute(uri: "/console/logout", method: .post, headers: signedIn, body: Self.body("csrf=\(csrf)")) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/console/escalation/take", method: .post, headers: signedIn, body: Self.body("id=req-2&csrf=\(csrf)")) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test func aRefererFromThisHostIsAcceptedWhenOriginIsMissing() async throws {
        try await ConsoleFixtures.withConsole(MemoryBackend()) { client in
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .referer: "http://localhost/console/login"]
            try await client.execute(uri: "/console/login", method: .post, headers: headers, body: Self.body("token=\(ConsoleFixtures.token)")) { response in
                #expect(response.status == .seeOther)
            }
        }
    }

    @Test func signInRedirectsOnlyWithinTheConsole() {
        #expect(OperatorConsole.safeNext("/console/escalations?queue=refunds") == "/console/escalations?queue=refunds")
        #expect(OperatorConsole.safeNext("//evil.example/console") == "/console")
        #expect(OperatorConsole.safeNext("https://evil.example") == "/console")
        #expect(OperatorConsole.safeNext(nil) == "/console")
    }
}
