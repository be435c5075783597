import Foundation

/// The chrome around every page: head (viewport for phones, the console's own CSS and script only), the
/// navigation, who is signed in, and an optional notice.
enum Layout {
    enum Section: String, CaseIterable, Sendable {
        case overview = "Overview"
        case activations = "Activations"
        case escalations = "Escalations"
        case deadLetters = "Dead letters"

        var path: String {
            switch self {
            case .overview: "/console"
            case .activations: "/console/activations"
            case .escalations: "/console/escalations"
            case .deadLetters: "/console/dead-letters"
            }
        }
    }

    /// A whole page.
    static func page(title: String, section: Section?, viewer: Viewer, notice: Notice? = nil, _ body: HTML) -> HTML {
        let navigation = HTML.join(Section.allCases.map { item in
            item == section
                ? "<a href=\"\(item.path)\" aria-current=\"page\">\(item.rawValue)</a>"
                : "<a href=\"\(item.path)\">\(item.rawValue)</a>"
        })
        let who: HTML =
            if !viewer.actionsConfigured {
                "<span class=\"who muted\" title=\"set OTPPOOL_ADMIN_CONSOLE_TOKEN to enable actions\">read-only</span>"
            } else if viewer.signedIn {
                "<form class=\"who\" method=\"post\" action=\"/console/logout\">\(viewer.csrfField)<span>signed in</span> <button class=\"link\">sign out</button></form>"
            } else {
                "<a class=\"who\" href=\"/console/login\">sign in</a>"
            }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · otp-pool console</title>
            <link rel="stylesheet" href="/console/assets/console.css">
            <script src="/console/assets/console.js" defer></script>
            </head>
            <body>
            <header><a class="brand" href="/console">otp-pool</a><nav>\(navigation)</nav>\(who)</header>
            <main>
            \(notice.map(\.html) ?? "")
            <h1>\(title)</h1>
            \(body)
            </main>
            </body>
            </html>
            """
    }

    /// A message at the top of a page: what an action did, or why it was refused.
    struct Notice: Sendable {
        enum Kind: String, Sendable { case ok, error }
        var kind: Kind
        var text: String

        var html: HTML { "<p class=\"notice \(kind.rawValue)\" role=\"status\">\(text)</p>" }
    }
}
