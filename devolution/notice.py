"""A notice's text as published, without the web page it was copied from.

The county's site wraps the notice in its own chrome: a heading that runs the document number
into the title, a "发布时间:… 浏览次数:…" line, and empty paragraphs of non-breaking spaces. The
plan page shows the notice itself, so that chrome is dropped when the text is stored.
"""

import re

# "发布时间:2016-09-11 浏览次数:181" (either colon, any spacing).
PAGE_STATS = re.compile(r"^\s*发布时间\s*[:：].*浏览次数\s*[:：]\s*\d+\s*$")
# Blank lines, including those holding only non-breaking or ideographic spaces.
BLANK = re.compile(r"^[\s\u00a0\u3000]*$")


def notice_body(text):
    """The notice's own text: the page heading and statistics above the statistics line are
    dropped, blank runs become one empty line, trailing spaces go."""
    lines = text.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines[:5]):
        if PAGE_STATS.match(line):
            lines = lines[index + 1 :]
            break
    body, previous_blank = [], True
    for line in lines:
        if BLANK.match(line):
            if not previous_blank:
                body.append("")
            previous_blank = True
            continue
        body.append(line.rstrip().replace("\u00a0", " ").rstrip())
        previous_blank = False
    return "\n".join(body).strip()
