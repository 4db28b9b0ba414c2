"""Interface languages: gettext catalogs (Babel), locale choice and locale-aware number formatting.

The ``.po`` catalogs under ``web/locales/<locale>/LC_MESSAGES/`` (``messages.po``
for the core pages, one ``<feature>.po`` per later feature, each with its
``locales/<feature>.pot`` template) are the committed source of the translations.  They are compiled to the
binary ``.mo`` form **in memory** when the dashboard starts
(:func:`translations`), so there is no build step and no binary file in the
repository.  Only the interface text is translated; user data (vehicle names,
scheme titles, legal references) is shown as stored.

The language is chosen, in this order, by the ``lang`` query parameter, the
``rc_lang`` cookie, the ``Accept-Language`` header, then English.
"""

from __future__ import annotations

import decimal
import gettext
import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_scientific

LOCALES: dict[str, str] = {
    "en": "English",
    "zh_Hans": "简体中文",
    "id": "Bahasa Indonesia",
    "es": "Español",
    "pt": "Português",
}
"""Supported interface locales (gettext code → the language's own name)."""

DEFAULT_LOCALE = "en"
_LOCALE_DIR = Path(__file__).parent / "locales"
_BCP47 = {"en": "en", "zh_Hans": "zh-Hans", "id": "id", "es": "es", "pt": "pt"}
_current: ContextVar[str] = ContextVar("roadcarbon_web_locale", default=DEFAULT_LOCALE)


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalog of ``locale`` (English: the identity).

    Parameters
    ----------
    locale
        One of :data:`LOCALES`.

    Returns
    -------
    gettext.NullTranslations
        A ``GNUTranslations`` compiled in memory from the committed ``.po`` file.
    """
    po_paths = sorted((_LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po"))
    if locale == DEFAULT_LOCALE or not po_paths:
        return gettext.NullTranslations()
    catalog = None
    for po_path in po_paths:  # messages.po, then one catalog per feature (planner.po, fleet.po, ...)
        with po_path.open("rb") as handle:
            part = read_po(handle, locale=Locale.parse(locale))
        if catalog is None:
            catalog = part
        else:
            for message in part:
                if message.id:
                    catalog[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def normalise(tag: str | None) -> str | None:
    """Map a language tag (``zh-CN``, ``pt-BR``, ``id``, ``zh_Hans``) to a supported locale, or ``None``."""
    if not tag:
        return None
    low = tag.strip().replace("-", "_").lower()
    for code in LOCALES:
        if low == code.lower():
            return code
    primary = low.split("_")[0]
    if primary == "zh":
        return "zh_Hans"
    if primary == "in":  # the old ISO 639 code for Indonesian, still sent by some systems
        return "id"
    return primary if primary in LOCALES else None


def choose(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The locale for a request: ``?lang=``, then cookie, then ``Accept-Language``, then English."""
    for candidate in (query, cookie):
        found = normalise(candidate)
        if found:
            return found
    if accept_language:
        weighted: list[tuple[float, str]] = []
        for part in accept_language.split(","):
            tag, _, params = part.strip().partition(";")
            quality = 1.0
            if params.strip().startswith("q="):
                try:
                    quality = float(params.strip()[2:])
                except ValueError:
                    quality = 0.0
            weighted.append((quality, tag))
        for _, tag in sorted(weighted, key=lambda item: -item[0]):
            found = normalise(tag)
            if found:
                return found
    return DEFAULT_LOCALE


def set_current(locale: str) -> None:
    """Make ``locale`` the language of the current request (a context variable)."""
    _current.set(locale)


def current() -> str:
    """The locale of the current request."""
    return _current.get()


def bcp47(locale: str | None = None) -> str:
    """The HTML ``lang`` attribute value for ``locale`` (default: the current one)."""
    return _BCP47[locale or current()]


def gettext_(message: str) -> str:
    """Translate ``message`` into the current request's language."""
    return translations(current()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    """Plural-aware translation into the current request's language."""
    return translations(current()).ngettext(singular, plural, n)


def number(value: float | int | None, digits: int = 1, locale: str | None = None) -> str:
    """Format a number for the current locale (grouping and decimal signs), ``—`` for missing values.

    >>> number(12345.678, 1, locale="en")
    '12,345.7'
    >>> number(12345.678, 1, locale="id")
    '12.345,7'
    >>> number(1.5e300, 1, locale="en")
    '1.5E300'
    """
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    where = Locale.parse(locale or current())
    try:
        return format_decimal(value, format=pattern, locale=where)
    except decimal.InvalidOperation:  # more digits than decimal's 28 (a typed 1e300): scientific
        return format_scientific(value, format="0.###E0", locale=where)
