#!/usr/bin/env python3
"""Drives headless Chromium through the operator console and asserts what its pages show.

Python 3 standard library only: Chromium's DevTools protocol over --remote-debugging-pipe (JSON messages
separated by NUL bytes on file descriptors 3 and 4), so no WebSocket client and no package is needed.
scripts/console-test.sh starts the pool and calls this with what it created:

  console-browser.py --console URL --readonly-console URL --token T --completed ID --escalated ID \
                     --disputed ID --dead-letter ID --dead-letter-request ID --screenshots DIR

Exits 1 with the failed check and the page's text on the first failure.
"""
import argparse
import base64
import http.server
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time


class Failure(Exception):
    pass


class Browser:
    """One headless Chromium, one tab, commands answered in order."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="console-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        command = [binary, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                   "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                   "--disable-background-networking", "--disable-dev-shm-usage", "--mute-audio",
                   f"--user-data-dir={self.profile}", "about:blank"]
        # The pipe must be file descriptors 3 (commands in) and 4 (answers out) in Chromium.
        shell = f'exec "$@" 3<&{to_chrome_r} 4>&{from_chrome_w}'
        self.process = subprocess.Popen(["bash", "-c", shell, "chromium"] + command, pass_fds=(to_chrome_r, from_chrome_w),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.session = None
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method, params=None, timeout=20):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                answer = json.loads(raw)
                if answer.get("id") == self.next_id:
                    if "error" in answer:
                        raise Failure(f"{method}: {answer['error']}")
                    return answer.get("result", {})
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.from_chrome], [], [], remaining)[0]:
                raise Failure(f"Chromium did not answer {method} within {timeout}s")
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise Failure("Chromium exited")
            self.buffer += chunk

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise Failure(f"script failed: {expression}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def goto(self, url, ready="document.readyState === 'complete'"):
        self.call("Page.navigate", {"url": url})
        self.wait(f"location.href.startsWith({json.dumps(url.split('#')[0])}) && ({ready})", f"{url} loads")

    def wait(self, expression, what, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.evaluate(expression):
                    return
            except Failure:
                pass  # the page is navigating
            time.sleep(0.1)
        raise Failure(f"timed out waiting for: {what}")

    def text(self, selector="body"):
        return self.evaluate(f"(document.querySelector({json.dumps(selector)}) || {{}}).innerText || ''")

    def viewport(self, width, height, mobile=False):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def screenshot(self, path):
        height = self.evaluate("Math.ceil(document.documentElement.scrollHeight)")
        width = self.evaluate("Math.ceil(document.documentElement.clientWidth)")
        data = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 2400), "scale": 1}})["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def attacker_site(target):
    """Another origin serving a page whose form posts to the console at once (a cross-site request forgery)."""
    page = (f'<!doctype html><form id="f" method="post" action="{target}/console/escalation/take">'
            '<input name="id" value="{id}"><input name="csrf" value="guessed"></form>'
            '<script>document.getElementById("f").submit()</script>')

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = page.replace("{id}", self.path.split("id=")[-1]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def check(condition, what, browser):
    if not condition:
        raise Failure(f"{what}\n--- page {browser.evaluate('location.href')} ---\n{browser.text()[:3000]}")
    print(f"console-browser: ok: {what}", file=sys.stderr)


def run(args, browser):
    console, shots = args.console.rstrip("/"), args.screenshots
    os.makedirs(shots, exist_ok=True)

    # Overview on a phone: every card, live refresh, the outcome of the run.
    browser.viewport(412, 915, mobile=True)
    browser.goto(f"{console}/console", "document.getElementById('outcomes') !== null")
    for card in ["outcomes", "states", "escalation-queues", "dead-letters", "suppliers", "lag"]:
        check(browser.evaluate(f"document.getElementById('{card}') !== null"), f"overview shows the {card} card", browser)
    check("completed" in browser.text("#outcomes"), "outcomes list completed", browser)
    check(browser.evaluate("Number(document.querySelector('#states a[href$=\"state=completed\"]').closest('tr').cells[1].innerText) >= 1"),
          "states count the completed activations", browser)
    check("sim" in browser.text("#suppliers"), "supplier health lists the simulator's suppliers", browser)
    check("requests" in browser.text("#lag") and "followups" in browser.text("#lag"),
          "lag covers the requests and follow-up tiers", browser)
    browser.wait("document.getElementById('live').dataset.refreshed !== undefined", "the overview refreshes itself", timeout=12)
    check(browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the overview fits a phone's width", browser)
    browser.screenshot(os.path.join(shots, "overview-phone.png"))

    # Activation: search by request ID, open it, read the timeline.
    browser.viewport(1280, 900)
    browser.goto(f"{console}/console/activations?request_id={args.completed}", "document.getElementById('results') !== null")
    browser.evaluate(f"document.querySelector('#results a').click()")
    browser.wait("document.getElementById('timeline') !== null", "the activation page opens")
    check(browser.text("#state").startswith("completed"), "the activation is completed", browser)
    check("charged_rest_released" in browser.text("#money"), "money: the price debited, the rest released", browser)
    timeline = browser.text("#timeline")
    check("code_received" in timeline and "hold_debited" in timeline, "the timeline has the code and the debit", browser)
    code = browser.evaluate("[...document.querySelectorAll('#attempts td')].map(td => td.innerText).find(t => / at \\+/.test(t)) || ''")
    check("*" in code, f"the code is masked ({code})", browser)
    check("sim-key" not in browser.text(), "the supplier key is nowhere on the page", browser)
    check(args.completed in browser.text("#events"), "the events published are listed", browser)
    browser.screenshot(os.path.join(shots, "activation.png"))

    # Search by state finds it too.
    browser.goto(f"{console}/console/activations?state=rejected", "document.getElementById('results') !== null")
    check(args.escalated in browser.text("#results"), "a search by state finds the rejected request", browser)

    # A console without a token: readable, actions refused with the way to set one.
    readonly = args.readonly_console.rstrip("/")
    browser.goto(f"{readonly}/console/escalation?id={args.escalated}", "document.getElementById('actions') !== null")
    check("OTPPOOL_ADMIN_CONSOLE_TOKEN" in browser.text("#actions"), "without a token the page says how to set one", browser)
    check(browser.evaluate("document.getElementById('take') === null"), "without a token there is no take button", browser)

    # Escalations: the queue, then sign in, take, resolve.
    browser.goto(f"{console}/console/escalations", "document.getElementById('results') !== null")
    check(args.escalated in browser.text("#results"), "the rejected request is in the escalation list", browser)
    check(args.disputed in browser.text("#results"), "the disputed request is in the escalation list", browser)
    check("client-workflow" in browser.text("#queues") and "refunds" in browser.text("#queues"), "the queues are counted", browser)
    browser.screenshot(os.path.join(shots, "escalations.png"))

    browser.goto(f"{console}/console/escalation?id={args.escalated}", "document.getElementById('actions') !== null")
    check(browser.evaluate("document.getElementById('take') === null"), "not signed in: no take button", browser)
    browser.evaluate("document.querySelector('#actions a[href^=\"/console/login\"]').click()")
    browser.wait("document.getElementById('sign-in') !== null", "the sign-in page opens")
    browser.evaluate("document.querySelector('input[name=token]').value = 'not-the-token-at-all'; document.getElementById('sign-in').click()")
    browser.wait("document.body.innerText.includes('not this process')", "a wrong token is refused")
    browser.evaluate(f"document.querySelector('input[name=token]').value = {json.dumps(args.token)}; document.getElementById('sign-in').click()")
    browser.wait("document.getElementById('take') !== null", "signed in, the take button shows")
    check(browser.text("#status") == "open", "the escalation is open before take", browser)

    # A forged form from another site is refused and changes nothing.
    attacker = attacker_site(console)
    try:
        # The attacker's page submits at once and the browser lands on the console's answer.
        browser.call("Page.navigate", {"url": f"http://127.0.0.1:{attacker.server_address[1]}/forge?id={args.escalated}"})
        browser.wait("location.href.includes('/console/') && document.getElementById('refusal') !== null", "the forged take is answered")
        check("not sent from a page of this console" in browser.text("#refusal"), "a cross-site form is refused", browser)
    finally:
        attacker.shutdown()
    browser.goto(f"{console}/console/escalation?id={args.escalated}", "document.getElementById('status') !== null")
    check(browser.text("#status") == "open", "the forged take changed nothing", browser)

    browser.evaluate("document.getElementById('take').click()")
    browser.wait("document.body.innerText.includes('Taken:')", "take answers")
    check(browser.text("#status") == "in_progress", "after take the escalation is in progress", browser)
    browser.evaluate("document.querySelector('textarea[name=note]').value = 'refunded by hand (console test)';"
                     "document.querySelector('input[name=by]').value = 'console-test';"
                     "document.getElementById('resolve').click()")
    browser.wait("document.body.innerText.includes('Resolved ')", "resolve answers")
    check(browser.text("#status") == "resolved", "after resolve the escalation is resolved", browser)
    check("refunded by hand (console test)" in browser.text("#resolution") and "console-test" in browser.text("#resolution"),
          "the resolution note and who resolved it show", browser)
    markdown = browser.evaluate("fetch(document.getElementById('export').href).then(r => r.text())")
    check(markdown.startswith(f"# Escalation {args.escalated}") and "resolved" in markdown, "the Markdown export is the record", browser)
    browser.screenshot(os.path.join(shots, "escalation.png"))

    browser.goto(f"{console}/console/escalations?status=resolved", "document.getElementById('results') !== null")
    check(args.escalated in browser.text("#results"), "the resolved list has it", browser)

    dead_letters(args, browser, console, readonly, shots)


def dead_letters(args, browser, console, readonly, shots):
    """The request the worker refused: listed, inspected, replayed (signed in, with a note), then a filtered replay."""
    letter, request = args.dead_letter, args.dead_letter_request

    # The escalation worker's console lists and shows it, and says where replay is.
    browser.goto(f"{readonly}/console/dead-letter?id={letter}", "document.getElementById('payload') !== null")
    check("activation worker" in browser.text("#replay-unavailable"), "without a producer the page says where replay is", browser)
    check(browser.evaluate("document.getElementById('replay') === null"), "without a producer there is no replay button", browser)

    browser.goto(f"{console}/console/dead-letters?request={request}", "document.getElementById('results') !== null")
    check("invalid_currency" in browser.text("#dlq-counts"), "the dead letters are counted by reason", browser)
    check(letter in browser.text("#results"), "the refused request is listed", browser)
    browser.evaluate(f"document.querySelector('#results a[href$=\"id={letter}\"]').click()")
    browser.wait("document.getElementById('payload') !== null", "the dead letter opens")
    check("invalid_currency" in browser.text("#reason"), "the reason shows", browser)
    check(request in browser.text("#payload") and '"usd"' in browser.text("#payload"), "the payload shows as sent", browser)
    check("never replayed" in browser.text("#replays"), "it was never replayed", browser)
    check("never buys a second number" in browser.text("#replay-safety"), "the page says replay is safe to repeat", browser)

    browser.evaluate("document.querySelector('#actions textarea[name=note]').value = 'currency fixed (console test)';"
                     "document.querySelector('#actions input[name=by]').value = 'console-test';"
                     "document.getElementById('replay').click()")
    browser.wait("document.body.innerText.includes('Replayed dead letter')", "replay answers")
    replays = browser.text("#replays")
    check("console-test" in replays and "currency fixed (console test)" in replays, "the replay shows who and the note", browser)
    check(browser.evaluate("/\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d/.test(document.getElementById('replays').innerText)"),
          "the replay shows when", browser)
    browser.screenshot(os.path.join(shots, "dead-letter.png"))

    # A filtered replay asks to confirm how many first; replayed: yes takes the one just replayed.
    browser.goto(f"{console}/console/dead-letters?request={request}&replayed=yes", "document.getElementById('replay-filtered') !== null")
    browser.evaluate("document.getElementById('replay-filtered').click()")
    browser.wait("document.getElementById('replay-count') !== null", "the confirm step opens")
    check("1 dead letter" in browser.text("#replay-count"), "the confirm step says how many", browser)
    browser.evaluate("document.querySelector('input[name=by]').value = 'console-test';"
                     "document.querySelector('textarea[name=note]').value = 'again, filtered (console test)';"
                     "document.getElementById('confirm-replay').click()")
    browser.wait("document.body.innerText.includes('Replayed 1 dead letter')", "the filtered replay answers")
    browser.goto(f"{console}/console/dead-letters", "document.getElementById('results') !== null")
    check(browser.evaluate(f"document.querySelector('#results a[href$=\"id={letter}\"]').closest('tr').cells[6].innerText.startsWith('2 ')"),
          "the list counts both replays", browser)
    browser.screenshot(os.path.join(shots, "dead-letters.png"))


def main():
    parser = argparse.ArgumentParser()
    for name in ["console", "readonly-console", "token", "completed", "escalated", "disputed", "dead-letter", "dead-letter-request",
                 "screenshots"]:
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium")
    args = parser.parse_args()
    browser = Browser(args.chromium)
    try:
        run(args, browser)
    except Failure as failure:
        print(f"console-browser: FAILED: {failure}", file=sys.stderr)
        try:
            browser.screenshot(os.path.join(args.screenshots, "failure.png"))
            print(f"console-browser: the page at failure: {args.screenshots}/failure.png", file=sys.stderr)
        except Failure:
            pass
        return 1
    finally:
        browser.close()
    print("console-browser: every check passed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
