"""Our translations of the words third-party screens show in English (locale/, LOCALE_PATHS):
a gettext .po read and compiled to .mo in Python, so no machine needs GNU gettext's msgfmt
(Django's compilemessages calls it). The compiled .mo files are committed;
`manage.py compile_translations` rewrites them after a .po changes, and a test fails while a
committed .mo differs from its .po."""

import ast
import struct
from pathlib import Path

from django.conf import settings


def read_po(text):
    """The catalog of a .po file's text: {msgid: msgstr}, a plural entry as
    {"singular\\0plural": "form0\\0form1…"}, one with a context as {"context\\x04msgid": …},
    the header under "". Fuzzy and untranslated
    entries are left out, as msgfmt leaves them."""
    catalog = {}
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields, flags, current = {}, "", None
        for line in block.split("\n"):
            line = line.strip()
            if line.startswith("#,"):
                flags += line
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += ast.literal_eval(line)
                continue
            keyword, _, value = line.partition(" ")
            current = keyword
            fields[current] = ast.literal_eval(value)
        if "msgid" not in fields or "fuzzy" in flags:
            continue
        msgid = fields["msgid"]
        if "msgctxt" in fields:
            msgid = fields["msgctxt"] + "\x04" + msgid
        if "msgid_plural" in fields:
            msgid += "\0" + fields["msgid_plural"]
            forms = sorted(key for key in fields if key.startswith("msgstr["))
            msgstr = "\0".join(fields[key] for key in forms)
        else:
            msgstr = fields.get("msgstr", "")
        if msgstr.strip("\0"):
            catalog[msgid] = msgstr
    return catalog


def mo_bytes(catalog):
    """The GNU .mo file of a catalog (no hash table: Python's gettext does not read one)."""
    keys = sorted(catalog, key=lambda key: key.encode("utf-8"))
    ids = [key.encode("utf-8") for key in keys]
    strs = [catalog[key].encode("utf-8") for key in keys]
    count = len(keys)
    header_size = 7 * 4
    ids_table = header_size
    strs_table = ids_table + count * 8
    data_start = strs_table + count * 8
    offsets, data = [], b""
    for value in ids + strs:
        offsets.append((len(value), data_start + len(data)))
        data += value + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, ids_table, strs_table, 0, 0)
    tables = b"".join(struct.pack("<2I", *pair) for pair in offsets)
    return head + tables + data


def po_files():
    for directory in settings.LOCALE_PATHS:
        yield from sorted(Path(directory).glob("*/LC_MESSAGES/*.po"))


def compiled(po_path):
    return mo_bytes(read_po(po_path.read_text("utf-8")))
