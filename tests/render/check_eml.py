#!/usr/bin/env python3
"""Independent check of an .eml written by alertdigest: parses it with Python's email package
(policy=email.policy.default) and prints what a mail client would see as JSON.

usage: check_eml.py FILE [--flat]
  --flat  one "path<TAB>json value" line per leaf, easy to read from C++ tests

Besides headers, structure and the decoded parts: html_bytes (UTF-8 size of the decoded HTML),
html_links (every <a href>, character references resolved), encoded_sizes (each part's body as
sent, by content type), and per attachment its content (up to MAX_CONTENT characters), a csv
summary read by Python's csv module (rows, row widths, counts of the first column, the first
rows) or a json summary (the length of each top-level list).
"""
import collections
import csv
import email
import email.policy
import html.parser
import io
import json
import sys

# Attachment contents longer than this are summarised only (content_length, csv, json).
MAX_CONTENT = 1_000_000


def part_tree(part, defects):
    defects.extend(type(d).__name__ for d in part.defects)
    for name, value in part.items():
        defects.extend(f"{name}: {type(d).__name__}" for d in getattr(value, "defects", []))
    node = {
        "content_type": part.get_content_type(),
        "charset": part.get_content_charset() or "",
        "transfer_encoding": part.get("Content-Transfer-Encoding", ""),
        "filename": part.get_filename() or "",
    }
    if part.is_multipart():
        node["parts"] = [part_tree(p, defects) for p in part.iter_parts()]
    return node


class LinkParser(html.parser.HTMLParser):
    """href of every <a>, with character references resolved (what a click opens)."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.extend(v for k, v in attrs if k == "href")


def links_of(html_text):
    p = LinkParser()
    p.feed(html_text)
    p.close()
    return p.links


def attachment(a):
    content = (a.get_content() if a.get_content_maintype() == "text"
               else a.get_content().decode("utf-8", "replace"))
    node = {"filename": a.get_filename() or "", "content_type": a.get_content_type(),
            "content_length": len(content)}
    if len(content) <= MAX_CONTENT:
        node["content"] = content
    if a.get_content_type() == "text/csv":
        # newline="" keeps CR/LF inside quoted cells, as the csv module requires.
        rows = list(csv.reader(io.StringIO(content, newline="")))
        node["csv"] = {
            "rows": len(rows),
            "widths": sorted({len(r) for r in rows}),
            "first_column_counts": dict(collections.Counter(r[0] for r in rows[1:] if r)),
            "head": rows[:6],
        }
    if a.get_content_type() == "application/json":
        parsed = json.loads(content)
        node["json"] = ({k: len(v) for k, v in parsed.items() if isinstance(v, list)}
                        if isinstance(parsed, dict) else {"length": len(parsed)})
    return node


def check(path):
    raw = open(path, "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    defects = []
    structure = part_tree(msg, defects)
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    attachments = [attachment(a) for a in msg.iter_attachments()]
    html_text = html.get_content() if html is not None else None
    lines = raw.split(b"\r\n")
    # Boundary lines, headers and each part's encoded body as sent, by content type.
    encoded_sizes = {}
    for part in msg.walk():
        if not part.is_multipart():
            raw_part = part.get_payload(decode=False)
            encoded_sizes.setdefault(part.get_content_type(), len(raw_part.encode("ascii", "replace")))
    return {
        "header_names": list(msg.keys()),
        "headers": {name: str(value) for name, value in msg.items()},
        "structure": structure,
        "text": text.get_content() if text is not None else None,
        "html": html_text,
        "html_bytes": len(html_text.encode("utf-8")) if html_text is not None else None,
        "html_links": links_of(html_text) if html_text is not None else [],
        "attachments": attachments,
        "defects": defects,
        "encoded_sizes": encoded_sizes,
        "max_line_length": max(len(line) for line in lines),
        "bare_line_ends": raw.count(b"\n") != raw.count(b"\r\n") or raw.count(b"\r") != raw.count(b"\r\n"),
        "seven_bit": all(b < 128 for b in raw),
    }


def flatten(value, path, out):
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(v, f"{path}.{k}" if path else k, out)
    elif isinstance(value, list):
        out.append(f"{path}.length\t{len(value)}")
        for i, v in enumerate(value):
            flatten(v, f"{path}[{i}]", out)
    else:
        out.append(f"{path}\t{json.dumps(value, ensure_ascii=False)}")


def main():
    result = check(sys.argv[1])
    if "--flat" in sys.argv[2:]:
        out = []
        flatten(result, "", out)
        print("\n".join(out))
    else:
        print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
