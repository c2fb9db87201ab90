#!/usr/bin/env python3
"""Parses an RFC 5322 message with Python's email package and prints what it decoded.

Used by the Java tests as an independent second parser: headers are decoded (RFC 2047, RFC 2231), bodies
and attachments decoded from their transfer encodings, and every defect the parser noticed is listed.
Output: one line per decoded value, "dotted.key<TAB>base64 of the UTF-8 value", so that the Java side
needs no JSON library. Lists give "key.count" and "key.N...". Usage: parse_message.py FILE.eml
"""
import email
import email.policy
import hashlib
import base64
import sys


def addresses(msg, name):
    header = msg[name]
    if header is None:
        return []
    return [{"name": a.display_name, "address": a.addr_spec} for a in header.addresses]


def main(path):
    with open(path, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    out = {
        "subject": str(msg["subject"]) if msg["subject"] is not None else None,
        "from": addresses(msg, "from"),
        "to": addresses(msg, "to"),
        "cc": addresses(msg, "cc"),
        "bcc": addresses(msg, "bcc"),
        "messageId": str(msg["message-id"]) if msg["message-id"] else None,
        "date": msg["date"].datetime.isoformat() if msg["date"] is not None else None,
        "contentType": msg.get_content_type(),
        "defects": [type(d).__name__ for d in msg.defects],
        "longestLine": max((len(line) for line in raw.split(b"\r\n")), default=0),
        "bareLf": raw.replace(b"\r\n", b"").count(b"\n"),
        "parts": [],
    }
    for part in msg.walk():
        if part.is_multipart():
            out["defects"] += [type(d).__name__ for d in part.defects]
            continue
        payload = part.get_payload(decode=True) or b""
        entry = {
            "contentType": part.get_content_type(),
            "disposition": part.get_content_disposition(),
            "filename": part.get_filename(),
            "contentId": part["content-id"],
            "size": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
            "defects": [type(d).__name__ for d in part.defects],
        }
        if part.get_content_maintype() == "text" and part.get_content_disposition() is None:
            entry["text"] = part.get_content()
        out["parts"].append(entry)
    for key, value in flatten("", out):
        # RFC 6532 headers reach Python as surrogate escapes of their UTF-8 octets: give back the octets.
        encoded = base64.b64encode(str(value).encode("utf-8", "surrogateescape")).decode("ascii")
        print(key + "\t" + encoded)


def flatten(prefix, value):
    """Yields (dotted.key, scalar) pairs; None values are left out."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from flatten(prefix + "." + k if prefix else k, v)
    elif isinstance(value, list):
        yield (prefix + ".count", len(value))
        for i, v in enumerate(value):
            yield from flatten(prefix + "." + str(i), v)
    elif value is not None:
        yield (prefix, value)


if __name__ == "__main__":
    main(sys.argv[1])
