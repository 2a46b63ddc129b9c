#!/usr/bin/python3
"""Independent SMTP client for smtp_harness_test: Python's smtplib, one message, one session.

Prints one JSON line: {"ok": bool, "code": int, "error": str, "refused": {addr: code}}.
"code" is the SMTP reply code of the failure (0: no reply, e.g. TLS or connection errors).
TCP goes to --host; TLS verification and SNI use --tls-host (default: --host).
"""
import argparse
import json
import smtplib
import ssl
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--mode", choices=["starttls", "tls", "plain"], default="starttls")
    p.add_argument("--tls-host")
    p.add_argument("--cafile")
    p.add_argument("--user")
    p.add_argument("--password", default="")
    p.add_argument("--mechanism", choices=["PLAIN", "LOGIN", "XOAUTH2"], default="PLAIN")
    p.add_argument("--from", dest="sender", default="alerts@example.com")
    p.add_argument("--to", action="append", default=[])
    p.add_argument("--message", required=True, help="file sent as is (bytes, CRLF)")
    p.add_argument("--timeout", type=float, default=10)
    a = p.parse_args()

    class Pinned:  # connect to --host whatever name the session verifies
        def _get_socket(self, host, port, timeout):
            return super()._get_socket(a.host, port, timeout)

    class PinnedSMTP(Pinned, smtplib.SMTP):
        pass

    class PinnedSMTPS(Pinned, smtplib.SMTP_SSL):
        pass

    context = ssl.create_default_context(cafile=a.cafile)
    name = a.tls_host or a.host
    result = {"ok": False, "code": 0, "error": "", "refused": {}}
    s = None
    try:
        with open(a.message, "rb") as f:
            body = f.read()
        if a.mode == "tls":
            s = PinnedSMTPS(name, a.port, local_hostname="client.example.test",
                            timeout=a.timeout, context=context)
        else:
            s = PinnedSMTP(name, a.port, local_hostname="client.example.test", timeout=a.timeout)
        s.ehlo()
        if a.mode == "starttls":
            s.starttls(context=context)
            s.ehlo()
        if a.user:
            s.user, s.password = a.user, a.password
            if a.mechanism == "XOAUTH2":
                blob = f"user={a.user}\x01auth=Bearer {a.password}\x01\x01"
                s.auth("XOAUTH2", lambda challenge=None: blob if challenge is None else "")
            elif a.mechanism == "LOGIN":
                s.auth("LOGIN", s.auth_login, initial_response_ok=False)
            else:
                s.auth("PLAIN", s.auth_plain)
        refused = s.sendmail(a.sender, a.to, body)
        result["refused"] = {k: v[0] for k, v in refused.items()}
        result["ok"] = True
        s.quit()
    except smtplib.SMTPRecipientsRefused as e:
        result["refused"] = {k: v[0] for k, v in e.recipients.items()}
        result["code"] = next(iter(result["refused"].values()), 0)
        result["error"] = "SMTPRecipientsRefused: " + " ".join(
            v[1].decode("utf-8", "replace") for v in e.recipients.values())
    except smtplib.SMTPResponseException as e:
        result["code"] = e.smtp_code
        err = e.smtp_error
        result["error"] = f"{type(e).__name__}: {e.smtp_code} " + (
            err.decode("utf-8", "replace") if isinstance(err, bytes) else str(err))
    except Exception as e:  # TLS, connection, protocol errors
        result["error"] = f"{type(e).__name__}: {e}"
    finally:
        if s is not None:
            try:
                s.close()
            except Exception:
                pass
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
