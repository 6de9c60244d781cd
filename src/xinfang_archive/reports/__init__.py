"""Reports of the bureau's petition work: figures first, documents from them.

``reports.figures`` computes the figures of the monthly bulletin (月通报) from
rows of catalog metadata; ``reports.titles``, ``reports.text`` and
``reports.breakdown`` word them in Chinese, ``reports.dashboard`` gives them as
JSON-able data for a dashboard, and ``documents.bulletin`` lays them out as a
PDF.  None of these needs Plone.

In the site: ``reports.facts`` fills the ``case_facts`` catalog column,
``reports.rows`` reads the rows from the catalog, ``reports.issue`` names the
period, the bureau and the titles; the views ``browser.bulletin`` and
``browser.bulletin_dashboard`` serve the PDF (``@@monthly-bulletin``),
统计看板 (``@@bulletin-dashboard``) and the JSON (``@@bulletin-data``).
"""
