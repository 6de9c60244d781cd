"""Reports of the bureau's petition work: figures first, documents from them.

``reports.figures`` computes the figures of the monthly bulletin (月通报) from
rows of catalog metadata; ``documents.bulletin`` lays them out as a PDF and as
JSON-able data for a dashboard.  Neither needs Plone.
"""
