#!/usr/bin/env python3
"""Independent check of an .eml written by alertdigest: parses it with Python's email package
(policy=email.policy.default) and prints what a mail client would see as JSON.

usage: check_eml.py FILE [--flat]
  --flat  one "path<TAB>json value" line per leaf, easy to read from C++ tests
"""
import email
import email.policy
import json
import sys


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


def check(path):
    raw = open(path, "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    defects = []
    structure = part_tree(msg, defects)
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    attachments = [
        {"filename": a.get_filename() or "", "content_type": a.get_content_type(),
         "content": a.get_content() if a.get_content_maintype() == "text"
         else a.get_content().decode("utf-8", "replace")}
        for a in msg.iter_attachments()
    ]
    lines = raw.split(b"\r\n")
    return {
        "header_names": list(msg.keys()),
        "headers": {name: str(value) for name, value in msg.items()},
        "structure": structure,
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
        "attachments": attachments,
        "defects": defects,
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
