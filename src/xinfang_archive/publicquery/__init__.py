"""结果查询: the public result query by query code.

``codes`` makes, stores and fingerprints the codes; ``ratelimit`` bounds the
attempts; ``lookup`` finds a case by code; ``result`` says what the public
may read of it.  The page ``@@result-query`` and the code's slip are views in
``browser`` (``result_query``, ``query_code``; the slip's PDF is
``documents.query_slip``); the REST endpoint ``@result-query`` lives in
``services/result_query``.
"""
