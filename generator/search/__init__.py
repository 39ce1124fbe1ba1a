"""Stage 4 — built pages → the Pagefind search bundle (pinyin, facets, in parts).

In: the built site folder and the Corpus. index.py makes one small document per disclosure
and unit page and runs Pagefind per part (parts.py); stable.py makes its output reproducible.
"""
