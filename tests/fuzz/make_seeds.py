#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, made from the project's real inputs.

usage: make_seeds.py SOURCE_DIR OUT_DIR

Writes OUT_DIR/<target>/<name> for every target of tests/fuzz (scripts/fuzz calls it before
each run; the hand-written seeds live in tests/fuzz/corpus/<target>/):
  alert_decoder  Prometheus and Alertmanager request bodies (tests/testdata/samples), examples/*.jsonl
  nagios         the captured Nagios calls (samples/nagios/*.json) in the target's line format
  config         config.toml.example followed by rules/*.toml; the design example
  matcher        every matcher of the example config and rules
  cron           every digest schedule of the example rules
  template       the built-in templates (templates/*.mustache) in the target's sections
  mustache       each built-in template with the partials it uses
  ack_token      links signed with the fuzz key
  http_request   raw requests for every endpoint, with the sample bodies
"""
import base64
import hashlib
import hmac
import json
import pathlib
import sys
import tomllib

SEPARATOR = "\n@@@@\n"  # tests/fuzz/fuzz_support.h kSectionSeparator
ACK_KEY = b"fuzz-ack-key-0123456789abcdef"  # ack_token_fuzzer.cc, http_request_fuzzer.cc
TOKEN = "fuzz-token"  # http_request_fuzzer.cc


def write(out: pathlib.Path, target: str, name: str, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def ack_token(group: str, episode: int, expiry: int) -> str:
    payload = f"v1\n{group}\n{episode}\n{expiry}".encode()
    mac = hmac.new(ACK_KEY, payload, hashlib.sha256).digest()
    return b64url(payload) + "." + b64url(mac)


def walk_toml(node, key=""):
    """(key, value) of every string, also inside lists and tables."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk_toml(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from walk_toml(v, key)
    elif isinstance(node, str):
        yield key, node


def request(method: str, path: str, body: str = "", content_type: str = "application/json",
            auth: bool = True, extra: str = "") -> str:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: fuzz\r\n"
    if auth:
        head += f"Authorization: Bearer {TOKEN}\r\n"
    if body or method == "POST":
        head += f"Content-Type: {content_type}\r\nContent-Length: {len(body.encode())}\r\n"
    return head + extra + "\r\n" + body


def main():
    src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    samples = src / "tests/testdata/samples"
    rule_files = sorted((src / "rules").glob("*.toml"))
    tomls = [src / "config.toml.example", *rule_files]

    # Alert JSON.
    bodies = sorted(samples.glob("prometheus/*.body.json")) + sorted(
        samples.glob("alertmanager/webhook-*.body.json"))
    for p in bodies + sorted((src / "examples").glob("*.jsonl")):
        write(out, "alert_decoder", p.name, p.read_bytes())

    # Nagios: env lines and positional arguments.
    for p in sorted(samples.glob("nagios/*.json")):
        call = json.loads(p.read_text())
        env = [f"{k}={v}" for k, v in sorted(call["env"].items()) if "\n" not in v]
        write(out, "nagios", p.stem + ".env", "\n".join(env + call["argv"]))
        write(out, "nagios", p.stem + ".args",
              "\n".join(['#config {extra_labels = ["HOSTGROUPNAMES", "_SERVICESEVERITY"], resolve = "timeout"}'] +
                        call["argv"]))
        write(out, "nagios", p.stem + ".named",
              "\n".join(['#config {host_alertname = "HostProblem"}'] + env[:40] + call["argv"]))

    # Config and rules.
    write(out, "config", "example", SEPARATOR.join(p.read_text() for p in tomls))
    write(out, "config", "example-main-only", (src / "config.toml.example").read_text())
    for p in rule_files:
        write(out, "config", "rule-" + p.stem,
              'rules = ["rules/*.toml"]\n[route]\nreceiver = "ops"\n[[receiver]]\nname = "ops"\n'
              'to = ["ops@example.com"]\n[server]\nack_key_file = "k"\n' + SEPARATOR +
              p.read_text())
    design = src / "tests/testdata/design_example/config.toml"
    if design.exists():
        write(out, "config", "design-example", design.read_text())

    # Matchers and cron schedules found in the example config and rules.
    matchers, schedules = set(), set()
    for p in tomls:
        for key, value in walk_toml(tomllib.loads(p.read_text())):
            if key.endswith("matchers"):
                matchers.add(value)
            if key == "schedule":
                schedules.add(value)
    for i, m in enumerate(sorted(matchers)):
        write(out, "matcher", f"example-{i}", m + "\nwarning")
    for i, s in enumerate(sorted(schedules)):
        write(out, "cron", f"example-{i}", s + "\nEurope/Berlin\n2026-10-25T00:30:00Z")

    # Templates: subject, text, html, X-Fuzz header, alert_text, alert_html.
    t = {p.stem: p.read_text() for p in (src / "templates").glob("*.mustache")}
    write(out, "template", "defaults", SEPARATOR.join(
        [t["subject"], t["text"], t["html"], "{{group_title}}", t["alert_text"], t["alert_html"]]))
    write(out, "template", "escalation", SEPARATOR.join(
        [t["escalation.subject"], t["escalation.text"], t["escalation.html"], "{{receiver}}"]))
    write(out, "template", "digest", SEPARATOR.join(
        [t["digest.subject"], t["digest.text"], t["digest.html"]]))
    write(out, "template", "partials", SEPARATOR.join(
        ["{{> p2}}", "{{#firing}}{{> alert_text}}{{/firing}}", "{{> alert_html}}", "{{> p3}}",
         t["alert_text"], t["alert_html"], "[{{summary}}]", "{{#labels}}{{> p2}}{{/labels}}"]))

    # The template language alone: each built-in as the template, then alert_text, alert_html.
    for name, text in sorted(t.items()):
        write(out, "mustache", name, SEPARATOR.join([text, t["alert_text"], t["alert_html"]]))
    write(out, "mustache", "set-delimiters", SEPARATOR.join(
        ["{{=<% %>=}}<%#firing%><%> p3%><%/firing%>", "x", "y",
         "{{=<% %>=}}<%> p4%>", "{{\n> p5}}{{summary}}{{! c }}{{{.}}}", "{{labels}}"]))

    # Ack tokens (expiry 2030, after the targets' fixed now; one expired).
    group = '{}/{severity="critical"}:{alertname="HighCPU", cluster="eu-1"}'
    tokens = {"valid": ack_token(group, 3, 1893456000),
              "expired": ack_token(group, 3, 1700000000),
              "odd-group": ack_token("a\nb\n7", 0, 1893456000),
              "episode-even": ack_token(group, 4, 1893456000),
              "episode-over": ack_token(group, 101, 1893456000)}
    for name, token in tokens.items():
        write(out, "ack_token", name, token)

    # Raw HTTP requests.
    def http(name, text):
        write(out, "http_request", name, text)

    for p in sorted(samples.glob("prometheus/*.body.json")):
        http("prometheus-" + p.stem, request("POST", "/api/v2/alerts", p.read_text()))
    for p in sorted(samples.glob("alertmanager/webhook-*.body.json")):
        http("webhook-" + p.stem, request("POST", "/webhook/alertmanager", p.read_text()))
    silence = json.dumps({"matchers": [{"name": "alertname", "value": "High.*", "isRegex": True},
                                       {"name": "team", "value": "db", "isRegex": False,
                                        "isEqual": False}],
                          "startsAt": "2026-05-01T11:00:00Z", "endsAt": "2026-05-01T14:00:00Z",
                          "createdBy": "ann", "comment": "maintenance"})
    http("silence-post", request("POST", "/api/v2/silences", silence))
    http("silence-lifecycle",
         request("POST", "/api/v2/silences", silence) + request("GET", "/api/v2/silence/silence-1") +
         request("GET", "/api/v2/silences?filter=team%3D%22db%22") +
         request("DELETE", "/api/v2/silence/silence-1"))
    http("alerts-get", request("GET", "/api/v2/alerts?active=true&silenced=false&filter=alertname%3D~%22High.%2A%22&receiver=team"))
    http("status", request("GET", "/api/v2/status"))
    http("metrics", request("GET", "/metrics"))
    http("health", request("GET", "/healthz", auth=False) + request("GET", "/readyz", auth=False))
    http("reload", request("POST", "/-/reload", content_type="text/plain"))
    http("no-auth", request("POST", "/api/v2/alerts", "[]", auth=False))
    http("basic-auth", request("GET", "/api/v2/alerts", auth=False,
                               extra="Authorization: Basic " +
                               base64.b64encode(b"prometheus:" + TOKEN.encode()).decode() + "\r\n"))
    http("wrong-method", request("PUT", "/api/v2/alerts", "[]"))
    http("unknown-path", request("GET", "/nope/%2e%2e/x?y=%zz"))
    http("too-large", request("POST", "/api/v2/alerts", "", extra="Content-Length: 99999999\r\n"))
    chunked = ('POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer fuzz-token\r\n'
               'Content-Type: application/json; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n'
               '10\r\n[{"labels":{"a":\r\n8\r\n"b"}}]  \r\n0\r\n\r\n')
    http("chunked", chunked)
    http("fail-submit", request("POST", "/api/v2/alerts", '[{"labels":{"fuzz_fail":"1"}}]'))
    for name, token in tokens.items():
        http("ack-get-" + name, request("GET", "/ack/" + token, auth=False))
    http("ack-post", request("POST", "/ack/" + tokens["valid"], "by=ann%40example.com&comment=on+it",
                             content_type="application/x-www-form-urlencoded", auth=False))
    http("ack-post-again", request("POST", "/ack/" + tokens["episode-even"],
                                   "by=ann%40example.com",
                                   content_type="application/x-www-form-urlencoded", auth=False))
    http("ack-api", request("POST", "/api/v1/ack",
                            json.dumps({"group": "0123456789abcdef", "episode": 2, "by": "bob",
                                        "comment": "looking\ninto it", "via": "cli"})))


if __name__ == "__main__":
    main()
