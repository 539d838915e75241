#!/usr/bin/env python3
"""Re-runs issue 10's red-team probes against a real server process (standard library only).

Starts the built server (SQLite in a temp dir, demo data, Twilio + ElevenLabs secrets set, a fake Twilio REST API on
loopback), sends each probe as an attacker or careless user would, and prints one PASS/FAIL line per probe with what
it saw. Exit status: the number of failed probes (0 = all held).

    dotnet build src/Server -c Release && python3 tools/probes/redteam.py [--database-url postgresql://...]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import hmac
import http.client
import http.server
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DLL = os.path.join(ROOT, "src/Server/bin/Release/net10.0/EstateVoice.Server.dll")
PUBLIC_HOST = "voice.example.test"
EL_SECRET = "wsec_probe_0123456789abcdef"
TWILIO_TOKEN = "probe_auth_token_0123456789"
results: list[tuple[str, bool, str]] = []


def outward_address() -> str | None:
    """This machine's address on its first non-loopback route (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("198.51.100.1", 9))  # TEST-NET-2: any routed address will do
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeTwilio(http.server.BaseHTTPRequestHandler):
    """Answers Twilio's Calls.json create and remembers every form it was sent."""
    seen: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        FakeTwilio.seen.append({k: v[0] for k, v in form.items()})
        body = json.dumps({"sid": "CA" + os.urandom(16).hex(), "status": "queued"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server:
    def __init__(self, env: dict[str, str], port: int):
        self.port = port
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.proc = subprocess.Popen(["dotnet", DLL, "--contentRoot", os.path.join(ROOT, "src/Server")],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=env["PROBE_DIR"])

    def wait_ready(self, seconds: float = 60) -> bool:
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                if request(self.port, "GET", "/health")[0] == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.3)
        return False

    def output(self) -> str:
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def request(port, method, path, body=None, token=None, headers=None, host=PUBLIC_HOST, raw: bytes | None = None,
            content_type="application/json", timeout=30.0, address="127.0.0.1"):
    conn = http.client.HTTPConnection(address, port, timeout=timeout)
    h = {"Host": host}
    if token:
        h["Authorization"] = "Bearer " + token
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
    if data is not None:
        h["Content-Type"] = content_type
    h.update(headers or {})
    conn.request(method, path, body=data, headers=h)
    resp = conn.getresponse()
    payload = resp.read()
    conn.close()
    return resp.status, payload, dict(resp.getheaders())


def record(name: str, ok: bool, detail: str):
    results.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


def login(port, email, password="password", headers=None):
    status, body, _ = request(port, "POST", "/auth/login", {"email": email, "password": password}, headers=headers)
    return status, (json.loads(body)["access_token"] if status == 200 else None)


def signed(port, payload: dict):
    body = json.dumps(payload).encode()
    t = int(time.time())
    sig = hmac.new(EL_SECRET.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return request(port, "POST", "/webhooks/elevenlabs", raw=body, headers={"elevenlabs-signature": f"t={t},v0={sig}"})


def transcription(conversation_id: str, turns: int) -> dict:
    return {"type": "post_call_transcription", "event_timestamp": int(time.time()),
            "data": {"conversation_id": conversation_id, "status": "done",
                     "transcript": [{"role": "agent" if i % 2 else "user", "message": f"turn {i} about a three bedroom home",
                                     "time_in_call_secs": i} for i in range(turns)],
                     "metadata": {"call_duration_secs": 60},
                     "analysis": {"transcript_summary": "probe"}}}


def is_5xx(status: int) -> bool:
    return 500 <= status < 600


def probe_startup_without_public_url(base_env):
    env = dict(base_env)
    env.pop("PUBLIC_BASE_URL", None)
    env["PORT"] = str(free_port())
    server = Server(env, int(env["PORT"]))
    try:
        ready = server.wait_ready(40)
        out = server.output()
        record("2a startup refuses Twilio creds without PUBLIC_BASE_URL", not ready and "PUBLIC_BASE_URL" in out,
               "server did not start, message names PUBLIC_BASE_URL" if not ready and "PUBLIC_BASE_URL" in out
               else f"ready={ready}; output mentions PUBLIC_BASE_URL: {'PUBLIC_BASE_URL' in out}")
    finally:
        server.stop()


def run_probes(port, data_dir):
    ctx = {"port": port, "data_dir": data_dir}
    _, admin = login(port, "admin@example.com")
    _, agent = login(port, "agent@example.com")

    ctx.update(admin=admin, agent=agent)
    for probe in PROBES:
        try:
            probe(ctx)
        except Exception as error:  # a probe that cannot finish (timeout, refused) is a finding too
            record(probe.__doc__ or probe.__name__, False, f"{type(error).__name__}: {error}")


def probe_writes_after_failures(ctx):
    """1. Writes after overflowing filters and a duplicate ElevenLabs delivery."""
    port, data_dir, admin, agent = ctx["port"], ctx["data_dir"], ctx["admin"], ctx["agent"]
    lead_id = ctx.get("lead_id")
    statuses = [request(port, "GET", "/properties/?max_price=99999999999999999999", token=admin)[0] for _ in range(16)]
    event = transcription("conv_probe_dup", 4)
    dup = [signed(port, event)[0] for _ in range(2)]
    started = time.time()
    status, _, _ = request(port, "POST", "/properties/", {"address": "1 Probe St", "city": "Austin", "state": "TX", "zip": "78701",
                                                           "price": 450000, "bedrooms": 3, "bathrooms": 2, "square_feet": 1500,
                                                           "property_type": "house"}, token=admin, timeout=15)
    took = time.time() - started
    record("1 writes survive overflow filters + duplicate delivery", status == 201 and all(s == 400 for s in statuses),
           f"max_price filter -> {sorted(set(statuses))}, duplicate deliveries -> {dup}, later write -> {status} in {took*1000:.0f} ms")


def daytime_zone() -> str:
    """A zone where it is 10:00-18:59 now (every UTC hour is covered by one of these)."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo
    zones = ["Pacific/Honolulu", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Sao_Paulo",
             "Europe/London", "Asia/Dubai", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland"]
    for zone in zones:
        if 10 <= datetime.now(timezone.utc).astimezone(ZoneInfo(zone)).hour < 19:
            return zone
    return "America/Chicago"


def probe_outbound_forged_host(ctx):
    """2b. Outbound call with a forged Host header."""
    port, data_dir, admin, agent = ctx["port"], ctx["data_dir"], ctx["admin"], ctx["agent"]
    lead_id = ctx.get("lead_id")
    me = json.loads(request(port, "GET", "/auth/me", token=agent)[1])
    # The dial gate calls only inside the lead's local calling hours: the lead lives where it is daytime now.
    status, body, _ = request(port, "POST", "/leads/", {"name": "Probe Lead", "phone": "+15125550199", "consent_to_call": True,
                                                         "assigned_agent_id": me["id"], "time_zone": daytime_zone()}, token=admin)
    lead_id = json.loads(body)["id"] if status == 201 else None
    ctx["lead_id"] = lead_id
    FakeTwilio.seen.clear()
    forged = request(port, "POST", "/calls/outbound", {"lead_id": lead_id}, token=agent, host="attacker.example")[0]
    honest = request(port, "POST", "/calls/outbound", {"lead_id": lead_id}, token=agent)[0]
    urls = [v for form in FakeTwilio.seen for k, v in form.items() if k in ("Url", "StatusCallback")]
    held = urls and all(u.startswith(f"https://{PUBLIC_HOST}/") for u in urls) and not any("attacker" in u for u in urls)
    record("2b outbound callbacks never come from the Host header", bool(held),
           f"forged Host -> {forged}, honest -> {honest}, Twilio was given {urls}")


def probe_ssrf_audio_url(ctx):
    """4. SSRF through post_call_audio's audio_url."""
    port, data_dir, admin, agent = ctx["port"], ctx["data_dir"], ctx["admin"], ctx["agent"]
    lead_id = ctx.get("lead_id")
    targets = [f"http://127.0.0.1:{port}/health", "http://169.254.169.254/latest/meta-data/", "https://10.0.0.1/a.mp3",
               f"https://localhost:{port}/health"]
    replies = []
    for i, url in enumerate(targets):
        status, body, _ = signed(port, {"type": "post_call_audio", "event_timestamp": int(time.time()),
                                        "data": {"conversation_id": f"conv_ssrf_{i}", "audio_url": url}})
        replies.append((status, body.decode(errors="replace")[:160]))
    time.sleep(2)
    stored = [f for _, _, files in os.walk(os.path.join(data_dir, "recordings")) for f in files]
    echoed = any("Healthy" in b or "status 200" in b.lower() for _, b in replies)
    record("4 SSRF: internal audio_url refused, nothing stored or echoed", not stored and not echoed and not any(is_5xx(s) for s, _ in replies),
           f"replies {[s for s, _ in replies]}, files stored {len(stored)}, target echoed {echoed}")


def probe_nul_characters(ctx):
    """5. NUL characters."""
    port, data_dir, admin, agent = ctx["port"], ctx["data_dir"], ctx["admin"], ctx["agent"]
    lead_id = ctx.get("lead_id")
    nul = [request(port, "POST", "/auth/login", {"email": "a\u0000@example.com", "password": "x"})[0],
           request(port, "GET", "/properties/?city=Aus%00tin", token=admin)[0],
           request(port, "POST", "/leads/", {"name": "Nul\u0000Lead", "phone": "+15125550100"}, token=admin)[0]]
    record("5 NUL in login, query and body -> 400", all(s == 400 for s in nul), f"statuses {nul}")


def probe_huge_transcript(ctx):
    """6. A 10,000-turn transcript, with a CRM write racing it."""
    port, data_dir, admin, agent = ctx["port"], ctx["data_dir"], ctx["admin"], ctx["agent"]
    lead_id = ctx.get("lead_id")
    big = transcription("conv_probe_big", 10_000)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        t0 = time.time()
        webhook = pool.submit(signed, port, big)
        time.sleep(0.05)
        t1 = time.time()
        other = pool.submit(request, port, "PATCH", f"/leads/{lead_id}", {"notes": "racing write"}, admin)
        other_status = other.result()[0]
        other_ms = (time.time() - t1) * 1000
        webhook_status = webhook.result()[0]
        webhook_ms = (time.time() - t0) * 1000
    record("6 10,000-turn transcript < 1 s, other writers not held", webhook_status == 200 and webhook_ms < 1000 and other_ms < 1000,
           f"webhook {webhook_status} in {webhook_ms:.0f} ms, racing write {other_status} in {other_ms:.0f} ms")


def probe_token_revocation(ctx):
    """7. Revocation on password change and on deactivation."""
    port, data_dir, admin, agent = ctx["port"], ctx["data_dir"], ctx["admin"], ctx["agent"]
    lead_id = ctx.get("lead_id")
    _, old = login(port, "agent2@example.com")
    users = json.loads(request(port, "GET", "/admin/users/?q=agent2", token=admin)[1])["items"]
    agent2 = users[0]["id"]
    request(port, "PATCH", f"/admin/users/{agent2}", {"password": "a-new-password-1"}, token=admin)
    after_password = request(port, "GET", "/auth/me", token=old)[0]
    _, fresh = login(port, "agent2@example.com", "a-new-password-1")
    request(port, "POST", f"/admin/users/{agent2}/deactivate", token=admin)
    after_deactivate = request(port, "GET", "/auth/me", token=fresh)[0]
    record("7 old tokens die on password change and deactivation", after_password == 401 and after_deactivate == 401,
           f"after password change {after_password}, after deactivation {after_deactivate}")


def probe_far_dates_huge_prices(ctx):
    """8. Dates and prices at the edge of their columns."""
    port, data_dir, admin, agent = ctx["port"], ctx["data_dir"], ctx["admin"], ctx["agent"]
    lead_id = ctx.get("lead_id")
    edge = {path: request(port, "GET", path, token=admin)[0] for path in
            ["/reports/summary?to=9999-12-31", "/showings/?to=9999-12-31", "/calls/?to=9999-12-31",
             "/reports/summary?from=0001-01-01&to=9999-12-31", "/properties/?min_price=1e20"]}
    edge["PATCH price 1e20"] = request(port, "PATCH", "/properties/1", raw=b'{"price": 1e20}', token=admin)[0]
    record("8 far dates and huge prices never 500", not any(is_5xx(s) for s in edge.values()), json.dumps(edge))


def probe_twilio_form_flood(ctx):
    """8. An unsigned Twilio form with 5,000 fields."""
    port, data_dir, admin, agent = ctx["port"], ctx["data_dir"], ctx["admin"], ctx["agent"]
    lead_id = ctx.get("lead_id")
    form = "&".join(f"f{i}=x" for i in range(5000)).encode()
    status = request(port, "POST", "/twilio/webhook", raw=form, content_type="application/x-www-form-urlencoded")[0]
    record("8 Twilio form with 5,000 fields -> 4xx", 400 <= status < 500, f"status {status}")


def probe_security_headers(ctx):
    """8. Security headers."""
    port, data_dir, admin, agent = ctx["port"], ctx["data_dir"], ctx["admin"], ctx["agent"]
    lead_id = ctx.get("lead_id")
    _, _, headers = request(port, "GET", "/")
    lower = {k.lower(): v for k, v in headers.items()}
    wanted = ["content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy", "permissions-policy"]
    missing = [h for h in wanted if h not in lower]
    record("8 security headers on the web app", not missing, f"missing {missing}; CSP: {lower.get('content-security-policy')}")


def probe_jwt_key_file_mode(ctx):
    """8. Demo-mode JWT key file readable by its owner only."""
    port, data_dir, admin, agent = ctx["port"], ctx["data_dir"], ctx["admin"], ctx["agent"]
    lead_id = ctx.get("lead_id")
    key = os.path.join(data_dir, "jwt-secret.key")
    mode = oct(os.stat(key).st_mode & 0o777) if os.path.exists(key) else "absent"
    record("8 demo JWT key file mode 0600", mode == "0o600", f"mode {mode}")


def probe_mutual_admin_demotion(ctx):
    """8. Two admins demoting each other at once."""
    port, data_dir, admin, agent = ctx["port"], ctx["data_dir"], ctx["admin"], ctx["agent"]
    lead_id = ctx.get("lead_id")
    status, body, _ = request(port, "POST", "/admin/users/", {"email": "admin2@example.com", "name": "Second Admin", "role": "admin",
                                                               "password": "second-admin-pw"}, token=admin)
    admin2_id = json.loads(body)["id"]
    _, admin2 = login(port, "admin2@example.com", "second-admin-pw")
    admin1_id = json.loads(request(port, "GET", "/auth/me", token=admin)[1])["id"]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        a = pool.submit(request, port, "PATCH", f"/admin/users/{admin2_id}", {"role": "agent"}, admin)
        b = pool.submit(request, port, "PATCH", f"/admin/users/{admin1_id}", {"role": "agent"}, admin2)
        outcomes = [a.result()[0], b.result()[0]]
    _, probe_admin = login(port, "admin@example.com")
    _, probe_admin2 = login(port, "admin2@example.com", "second-admin-pw")
    admins = 0
    for token in (probe_admin, probe_admin2):
        if token:
            me = json.loads(request(port, "GET", "/auth/me", token=token)[1])
            admins += me.get("role") == "admin" and me.get("is_active", True)
    record("8 last admin survives mutual demotion", admins >= 1, f"demotions -> {outcomes}, admins left {admins}")


def probe_login_lockout_and_timing(ctx):
    """8. Lockout an attacker controls, and timing that reveals accounts."""
    port, data_dir, admin, agent = ctx["port"], ctx["data_dir"], ctx["admin"], ctx["agent"]
    lead_id = ctx.get("lead_id")
    bad = [request(port, "POST", "/auth/login", {"email": "manager@example.com", "password": f"wrong{i}"})[0] for i in range(6)]
    owner_status, wait = 0, 0.0
    for _ in range(12):  # the owner may have to wait out the growing delay, never a lock
        owner_status, _, headers = request(port, "POST", "/auth/login", {"email": "manager@example.com", "password": "password"})
        if owner_status == 200:
            break
        retry = float({k.lower(): v for k, v in headers.items()}.get("retry-after", "1"))
        wait += retry
        time.sleep(retry)
    record("8 bad logins do not lock the owner out", owner_status == 200,
           f"bad logins -> {bad}, owner then -> {owner_status} after waiting {wait:.0f} s")

    def timed(email, password):
        t = time.time()
        status = request(port, "POST", "/auth/login", {"email": email, "password": password})[0]
        return (time.time() - t) * 1000, status
    unknown = [timed(f"nobody{i}@example.com", "x") for i in range(5)]
    wrong = [timed("agent@example.com", f"x{i}") for i in range(5)]
    # Only answers that reached the password check compare (a 429 from a limit is fast for everyone alike).
    u = statistics.median(t for t, status in unknown if status == 401)
    w = statistics.median(t for t, status in wrong if status == 401)
    record("8 unknown user and wrong password take the same time", 0.5 < u / w < 2,
           f"median unknown {u:.0f} ms, wrong password {w:.0f} ms")


def probe_forwarded_for_rotation(base_env):
    """3. X-Forwarded-For from an untrusted client must not reset the per-IP login limit.

    Loopback is a trusted proxy by default (a reverse proxy on the same machine), so this client comes in through the
    machine's own non-loopback address, on a server of its own with a login limit of 10 a minute."""
    address = outward_address()
    if address is None:
        record("3 rotating X-Forwarded-For still hits the per-IP limit", False, "no non-loopback address to probe from")
        return
    port = free_port()
    server = Server(dict(base_env, HOST="0.0.0.0", PORT=str(port), LOGIN_RATE_LIMIT_PER_MINUTE="10"), port)
    try:
        if not server.wait_ready():
            record("3 rotating X-Forwarded-For still hits the per-IP limit", False, "server did not start")
            return
        statuses = [request(port, "POST", "/auth/login", {"email": f"rotate{i}@example.com", "password": "x"}, address=address,
                            headers={"X-Forwarded-For": f"203.0.113.{i}"})[0] for i in range(15)]
        record("3 rotating X-Forwarded-For still hits the per-IP limit", statuses.count(429) == 5,
               f"from {address}: {statuses.count(401)}x401 then {statuses.count(429)}x429")
    finally:
        server.stop()


PROBES = [probe_writes_after_failures, probe_outbound_forged_host, probe_ssrf_audio_url, probe_nul_characters, probe_huge_transcript, probe_token_revocation, probe_far_dates_huge_prices, probe_twilio_form_flood, probe_security_headers, probe_jwt_key_file_mode, probe_mutual_admin_demotion, probe_login_lockout_and_timing]

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="run against this database instead of a temp SQLite file")
    args = parser.parse_args()
    if not os.path.exists(DLL):
        sys.exit(f"build first: dotnet build src/Server -c Release ({DLL} missing)")

    work = tempfile.mkdtemp(prefix="redteam-")
    twilio_port = free_port()
    twilio = http.server.ThreadingHTTPServer(("127.0.0.1", twilio_port), FakeTwilio)
    threading.Thread(target=twilio.serve_forever, daemon=True).start()
    port = free_port()
    env = dict(os.environ, PROBE_DIR=work, HOST="127.0.0.1", PORT=str(port), DATA_DIR=os.path.join(work, "data"),
               DATABASE_URL=args.database_url or f"sqlite:///{work}/estate.db", SEED_DEMO_DATA="true",
               TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN=TWILIO_TOKEN, TWILIO_PHONE_NUMBER="+15125550100",
               TWILIO_API_URL=f"http://127.0.0.1:{twilio_port}", PUBLIC_BASE_URL=f"https://{PUBLIC_HOST}",
               ELEVENLABS_WEBHOOK_SECRET=EL_SECRET, ELEVENLABS_API_KEY="probe-key", ASPNETCORE_ENVIRONMENT="Production",
               LOGIN_RATE_LIMIT_PER_MINUTE="1000", OUTBOUND_HOLIDAYS="none")  # the per-IP limit has a server of its own (probe 3)
    probe_startup_without_public_url(env)
    server = Server(env, port)
    try:
        if not server.wait_ready():
            print(server.output()[-3000:])
            sys.exit("server did not start")
        run_probes(port, env["DATA_DIR"])
    finally:
        server.stop()
    probe_forwarded_for_rotation(env)
    twilio.shutdown()
    # Refused audio URLs are logged as failed events on purpose (an Admin sees them); an unhandled exception is a finding.
    errors = [line for line in server.output().splitlines() if "Unhandled exception" in line or " crit:" in line]
    record("server log has no unhandled exceptions", not errors, f"{len(errors)} lines" + (f", first: {errors[0][:200]}" if errors else ""))
    failed = sum(1 for _, ok, _ in results if not ok)
    print(f"\nprobes: {len(results)} run, {len(results) - failed} held, {failed} failed")
    sys.exit(failed)


if __name__ == "__main__":
    main()
