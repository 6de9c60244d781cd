"""The add form of an accountability record (责任追究).

It may be pre-filled from the query string: the screening status page links
to it with the cause (漏报零报告), the unit and the period or report missed
(``browser/screening.py``).  Plone ignores GET values in forms unless the
form allows it; nothing is saved until the user submits the form.
"""

from plone.dexterity.browser.add import DefaultAddForm
from plone.dexterity.browser.add import DefaultAddView


class AccountabilityAddForm(DefaultAddForm):
    allow_prefill_from_GET_request = True


class AccountabilityAddView(DefaultAddView):
    form = AccountabilityAddForm
