/// Who is looking, as far as the page needs to know: whether actions are possible and the CSRF token its forms
/// carry when the viewer is signed in.
struct Viewer: Sendable {
    /// Whether this process has a console token (else actions are off for everyone).
    var actionsConfigured: Bool
    /// The session's CSRF token, when signed in.
    var csrf: String?

    var signedIn: Bool { csrf != nil }

    /// The hidden field every action form carries.
    var csrfField: HTML {
        guard let csrf else { return "" }
        return "<input type=\"hidden\" name=\"csrf\" value=\"\(csrf)\">"
    }
}
