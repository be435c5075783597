/// The console's stylesheet and script, served from the console itself (no CDN, no build step: it works offline
/// and under a `'self'`-only Content-Security-Policy).
enum ConsoleAssets {
    /// Small-screen first: cards wrap, wide tables scroll sideways inside their card.
    static let css = """
        :root { --fg: #1d2330; --muted: #6b7280; --line: #e3e6ec; --bg: #f6f7f9; --card: #fff; --accent: #2857c5;
          --ok: #17803d; --bad: #b42318; --warn: #a15c07; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--fg); background: var(--bg); font-size: 15px; line-height: 1.45; }
        header { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center; padding: .6rem 1rem; background: #111827; }
        header a, header span, header button { color: #e5e7eb; text-decoration: none; }
        header .brand { font-weight: 700; color: #fff; }
        header nav { display: flex; flex-wrap: wrap; gap: .2rem .9rem; flex: 1; }
        header nav a[aria-current] { color: #fff; border-bottom: 2px solid #93b4ff; }
        header .who { margin-left: auto; font-size: .9em; display: flex; gap: .4rem; align-items: center; }
        main { padding: .8rem 1rem 2rem; max-width: 1200px; margin: 0 auto; }
        h1 { font-size: 1.35rem; margin: .4rem 0 .8rem; word-break: break-all; }
        h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
        section { margin: 1rem 0; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: .8rem; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .7rem .8rem; margin: .8rem 0; }
        .cards .card { margin: 0; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; background: var(--card); }
        th, td { text-align: left; padding: .28rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        thead th { font-size: .8em; text-transform: uppercase; color: var(--muted); font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        code { font-size: .88em; word-break: break-all; }
        pre { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; white-space: pre-wrap; word-break: break-all; font-size: .85em; }
        .muted { color: var(--muted); }
        .error, .bad { color: var(--bad); }
        .warn { color: var(--warn); }
        .notice { padding: .6rem .8rem; border-radius: 6px; border: 1px solid var(--line); background: var(--card); }
        .notice.ok { border-color: var(--ok); color: var(--ok); }
        .notice.error { border-color: var(--bad); color: var(--bad); }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 .8rem; }
        .facts dt { color: var(--muted); }
        .facts dd { margin: 0; word-break: break-word; }
        .summary { background: var(--card); border-left: 3px solid var(--accent); padding: .5rem .8rem; }
        .state-completed, .status-resolved .status, dd.status-resolved { color: var(--ok); }
        .state-failed, .state-expired, .state-rejected, .status-open .status, dd.status-open { color: var(--bad); }
        .status-in_progress .status, dd.status-in_progress { color: var(--warn); }
        tr.changed td:nth-child(3) { font-weight: 600; color: var(--accent); }
        form.filters { display: flex; flex-wrap: wrap; gap: .5rem .8rem; align-items: end; margin: .6rem 0 1rem; }
        label { display: flex; flex-direction: column; font-size: .85em; color: var(--muted); gap: .15rem; }
        input, select, textarea, button { font: inherit; padding: .35rem .5rem; border: 1px solid #c8cdd6; border-radius: 5px; background: #fff; color: var(--fg); }
        button, .button { background: var(--accent); color: #fff; border: 0; cursor: pointer; text-decoration: none; padding: .4rem .8rem; border-radius: 5px; display: inline-block; }
        button.link { background: none; padding: 0; color: #e5e7eb; text-decoration: underline; }
        .actions { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; }
        .actions form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
        form.resolve textarea { min-width: min(28rem, 80vw); }
        form.login { display: flex; flex-direction: column; gap: .6rem; max-width: 24rem; }
        @media (max-width: 600px) { body { font-size: 14px; } main { padding: .6rem; } th, td { padding: .25rem .35rem; } }
        """

    /// Refreshes every `[data-refresh]` element from its URL every `data-every` seconds (the overview); stops
    /// while the tab is hidden. Without script the page simply does not refresh.
    static let js = """
        "use strict";
        document.querySelectorAll("[data-refresh]").forEach(function (element) {
          var every = Math.max(2, Number(element.dataset.every || 5)) * 1000;
          function refresh() {
            if (document.hidden) { return; }
            fetch(element.dataset.refresh, { credentials: "same-origin", cache: "no-store" })
              .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.text(); })
              .then(function (html) { element.innerHTML = html; element.dataset.refreshed = String(Date.now()); })
              .catch(function () { element.classList.add("stale"); });
          }
          setInterval(refresh, every);
        });
        """
}
