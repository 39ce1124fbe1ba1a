"""The site's content date: what pages without a date of their own are as new as."""

from __future__ import annotations

from datetime import date

from generator.corpus.model import Corpus
from generator.data.feed import entry_date


def content_date(corpus: Corpus) -> str:
    """The newest date any disclosure carries (feeds.entry_date), as YYYY-MM-DD; '' if none.

    Pages without a date of their own (indexes, unit and region pages) are as new as this.
    """
    newest: date | None = max((entry_date(d) for d in corpus.disclosures), default=None)
    return newest.isoformat() if newest else ""
