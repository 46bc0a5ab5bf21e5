"""Runtime hook: behave under ``LANG=C`` (containers, ssh sessions, minimal desktops).

The spec turns on Python's UTF-8 mode, so file and console I/O are UTF-8 whatever the locale;
this hook does the same for Qt, which otherwise prints a warning and guesses a codec when the
C library's locale is not UTF-8. Only the character type changes: messages, numbers and dates
keep the user's settings.
"""

import contextlib
import locale
import os
import sys


def _install() -> None:
    if sys.platform == "win32":
        return
    try:
        locale.setlocale(locale.LC_CTYPE, "")
        codeset = locale.nl_langinfo(locale.CODESET)
    except (locale.Error, AttributeError):
        codeset = ""
    if codeset.replace("-", "").upper() != "UTF8":
        os.environ["LC_CTYPE"] = "C.UTF-8"
        if os.environ.get("LC_ALL"):  # LC_ALL overrides LC_CTYPE; it is the non-UTF-8 one
            os.environ["LC_ALL"] = "C.UTF-8"
        with contextlib.suppress(locale.Error):
            locale.setlocale(locale.LC_CTYPE, "C.UTF-8")


_install()
