"""The Han characters the search cuts into pairs (search/index.py) and writes back (search/merged.py).

〇, CJK Unified Ideographs with Extension A, and the compatibility ideographs. The search page
cuts the query with the same class (gk-search-query.js, HAN); tests/test_search_query_js.py
checks that the two agree. Not slugs.py's class (URLs, kept as published) nor the importer's
(CJK_CLASS: punctuation too).
"""

HAN_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
