"""REST services (plone.restapi), one folder per endpoint, each with its
ZCML; they answer from the domain packages as the pages do, masked alike."""
