/// Signing in: the operator types the console token once per session.
enum LoginPage {
    static func page(viewer: Viewer, next: String, notice: Layout.Notice? = nil) -> HTML {
        guard viewer.actionsConfigured else {
            return Layout.page(title: "Sign in", section: nil, viewer: viewer, notice: notice,
                               "<p class=\"notice error\" id=\"actions-off\">\(ActionGuard.Refusal.actionsOff.message)</p>")
        }
        return Layout.page(title: "Sign in", section: nil, viewer: viewer, notice: notice, """
            <form method="post" action="/console/login" class="login">
            <input type="hidden" name="next" value="\(next)">
            <label>console token<input type="password" name="token" autocomplete="current-password" required autofocus></label>
            <button id="sign-in">Sign in</button>
            </form>
            <p class="muted">The token is the value of OTPPOOL_ADMIN_CONSOLE_TOKEN (or the file OTPPOOL_ADMIN_CONSOLE_TOKEN_FILE names) \
            of this process. Signing in lasts 12 hours or until the process restarts.</p>
            """)
    }
}
