#!/usr/bin/python3
"""Sends every DIR/*.eml through Python's smtplib, STARTTLS + AUTH: the usual way people do
this. --mode per-message opens a connection per message (the common script); one-session
reuses one (the fastest simple client). Prints messages/s.

usage: smtplib_send.py HOST PORT CA_FILE USER PASSWORD DIR --mode per-message|one-session
"""
import argparse
import glob
import smtplib
import ssl
import time


def main():
    ap = argparse.ArgumentParser()
    for a in ("host", "port", "cafile", "user", "password", "dir"):
        ap.add_argument(a)
    ap.add_argument("--mode", choices=["per-message", "one-session"], required=True)
    args = ap.parse_args()
    ctx = ssl.create_default_context(cafile=args.cafile)
    files = sorted(glob.glob(f"{args.dir}/*.eml"))
    messages = [open(f, "rb").read() for f in files]
    rcpts = ["team@example.com", "oncall@example.com"]

    def session():
        s = smtplib.SMTP(args.host, int(args.port), timeout=30)
        s.starttls(context=ctx)
        s.login(args.user, args.password)
        return s

    start = time.monotonic()
    if args.mode == "one-session":
        s = session()
        for m in messages:
            s.sendmail(args.user, rcpts, m)
        s.quit()
    else:
        for m in messages:
            s = session()
            s.sendmail(args.user, rcpts, m)
            s.quit()
    secs = time.monotonic() - start
    label = "smtplib, connection per message" if args.mode == "per-message" else "smtplib, one session"
    print(f"{label}: {len(messages)} delivered in {secs:.2f} s = {len(messages) / secs:.0f} msg/s")


if __name__ == "__main__":
    main()
