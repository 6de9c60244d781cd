"""信访件 PetitionCase: the folderish petition case and its schema."""

from AccessControl import ClassSecurityInfo
from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.content.frozen import frozen_guard
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.content.marshaling import personal_dump
from xinfang_archive.content.petitioner import IPetitioner
from xinfang_archive.content.reception_links import form_problem
from xinfang_archive.content.validators import at_most
from xinfang_archive.content.validators import not_in_future
from xinfang_archive.content.validators import TEXT_CHARS
from xinfang_archive.content.validators import TITLE_CHARS
from xinfang_archive.privacy.accusation import reseal_inside
from xinfang_archive.workflow.rules import transition_problems
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from z3c.form.interfaces import IAddForm
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


MAX_REPRESENTATIVES = 5
COLLECTIVE_MIN_PEOPLE = 5

# Dates the workflow records; nobody types them in a form.
CLOCK_FIELDS = (
    "accepted_on",
    "assigned_on",
    "extended_on",
    "replied_on",
    "review_requested_on",
    "review_replied_on",
    "rereview_requested_on",
    "closed_on",
)


class IPetitionCaseSchema(model.Schema):
    """Fields of a petition case (信访件)."""

    registration_number = schema.TextLine(
        title=_("Registration number"),
        description=_("Assigned automatically on registration."),
        required=False,
    )
    directives.omitted("registration_number")
    directives.write_permission(registration_number="cmf.ManagePortal")

    title = schema.TextLine(
        title=_("Subject"), required=True, constraint=at_most(TITLE_CHARS)
    )

    channel = schema.Choice(
        title=_("Channel"), vocabulary="xinfang_archive.channels", required=True
    )
    received_date = schema.Date(
        title=_("Received date"), required=True, constraint=not_in_future
    )
    first_receiver = schema.TextLine(title=_("First receiver"), required=False)

    petitioners = schema.List(
        title=_("Petitioners"),
        value_type=DictRow(title=_("Petitioner"), schema=IPetitioner),
        required=True,
        min_length=1,
    )
    directives.widget("petitioners", DataGridFieldWidgetFactory, auto_append=False)
    # Raw personal data only for those allowed; everyone else gets masked rows
    # from the case view and the REST serializer.
    directives.read_permission(petitioners="xinfang_archive.ViewPersonalData")
    directives.write_permission(petitioners="xinfang_archive.ViewPersonalData")

    people_count = schema.Int(
        title=_("Number of people"), required=True, default=1, min=1, max=100000
    )

    category = schema.Choice(
        title=_("Category"), vocabulary="xinfang_archive.categories", required=True
    )
    grade = schema.Choice(
        title=_("Grade"),
        vocabulary="xinfang_archive.grades",
        required=True,
        default="ordinary",
    )
    flags = schema.Set(
        title=_("Flags"),
        value_type=schema.Choice(vocabulary="xinfang_archive.case_flags"),
        required=False,
        default=set(),
    )
    directives.widget("flags", CheckBoxFieldWidget)

    responsible_unit = schema.Choice(
        title=_("Responsible unit"), vocabulary="xinfang_archive.units", required=False
    )
    leader_in_charge = schema.TextLine(title=_("Leader in charge"), required=False)
    case_handler = schema.Choice(
        title=_("Case handler"),
        description=_("The member of the case handlers group who handles the case."),
        vocabulary="xinfang_archive.case_handlers",
        required=False,
    )

    summary = schema.Text(
        title=_("Summary of the matter"), required=True, constraint=at_most(TEXT_CHARS)
    )
    request = schema.Text(
        title=_("Request of the petitioner"),
        required=False,
        constraint=at_most(TEXT_CHARS),
    )

    related_cases = RelationList(
        title=_("Related earlier cases"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        required=False,
        default=[],
    )
    directives.widget(
        "related_cases",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["PetitionCase"], "basePath": "/"},
    )

    reception = RelationChoice(
        title=_("Leader's reception day"),
        description=_(
            "For a case received at a leader's reception day (channel 领导接待日): the reception."
        ),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
    )
    directives.widget(
        "reception",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={
            "selectableTypes": ["LeaderReception"],
            "basePath": "/receptions",
        },
    )

    model.fieldset(
        "handling",
        label=_("Handling"),
        fields=[
            "outcome",
            "extension_days",
            "extension_reason",
            "extension_approved_by",
        ],
    )
    outcome = schema.Choice(
        title=_("Outcome"), vocabulary="xinfang_archive.outcomes", required=False
    )
    directives.omitted("outcome")
    directives.write_permission(outcome="cmf.ManagePortal")
    # Set through the extension transition and followed up after closing:
    # not part of registering a case.
    directives.omitted(
        IAddForm,
        "extension_days",
        "extension_reason",
        "extension_approved_by",
        "follow_up_date",
        "follow_up_note",
        "satisfaction",
    )
    extension_days = schema.Int(title=_("Extension (days)"), required=False, min=1)
    extension_reason = schema.Text(title=_("Reason for the extension"), required=False)
    extension_approved_by = schema.TextLine(
        title=_("Extension approved by (unit head)"), required=False
    )

    model.fieldset(
        "follow_up",
        label=_("Follow-up visit"),
        fields=["follow_up_date", "follow_up_note", "satisfaction"],
    )
    follow_up_date = schema.Date(
        title=_("Follow-up visit date"), required=False, constraint=not_in_future
    )
    follow_up_note = schema.Text(title=_("Follow-up visit notes"), required=False)
    satisfaction = schema.Choice(
        title=_("Satisfaction"),
        vocabulary="xinfang_archive.satisfaction",
        required=False,
    )

    model.fieldset("clock", label=_("Statutory dates"), fields=list(CLOCK_FIELDS))
    accepted_on = schema.Date(title=_("Accepted on"), required=False)
    assigned_on = schema.Date(title=_("Assigned on"), required=False)
    extended_on = schema.Date(title=_("Extended on"), required=False)
    replied_on = schema.Date(title=_("Replied on"), required=False)
    review_requested_on = schema.Date(title=_("Review requested on"), required=False)
    review_replied_on = schema.Date(title=_("Review replied on"), required=False)
    rereview_requested_on = schema.Date(
        title=_("Re-review requested on"), required=False
    )
    closed_on = schema.Date(title=_("Closed on"), required=False)
    directives.omitted(*CLOCK_FIELDS)
    directives.write_permission(**dict.fromkeys(CLOCK_FIELDS, "cmf.ManagePortal"))

    @invariant
    def representatives_limit(data):
        rows = getattr(data, "petitioners", None) or []
        count = sum(1 for row in rows if row and row.get("representative"))
        if count > MAX_REPRESENTATIVES:
            raise Invalid(
                _(
                    "error_too_many_representatives",
                    default="A group visit may choose at most ${max} representatives; ${count} were given.",
                    mapping={"max": MAX_REPRESENTATIVES, "count": count},
                )
            )

    @invariant
    def people_count_covers_petitioners(data):
        rows = getattr(data, "petitioners", None) or []
        people = getattr(data, "people_count", None) or 0
        if rows and people < len(rows):
            raise Invalid(
                _(
                    "error_people_count",
                    default="The number of people (${people}) is smaller than the number of petitioners listed (${rows}).",
                    mapping={"people": people, "rows": len(rows)},
                )
            )

    @invariant
    def reception_goes_with_its_channel(data):

        problem = form_problem(data)
        if problem:
            raise Invalid(problem)

    @invariant
    def collective_needs_five(data):
        flags = getattr(data, "flags", None) or set()
        people = getattr(data, "people_count", None) or 0
        if "collective" in flags and people < COLLECTIVE_MIN_PEOPLE:
            raise Invalid(
                _(
                    "error_collective_people",
                    default="A collective petition (集体访) involves at least ${min} people.",
                    mapping={"min": COLLECTIVE_MIN_PEOPLE},
                )
            )


@implementer(IPetitionCase)
@frozen_guard
@personal_dump
class PetitionCase(Container):
    """A petition case; its documents, replies and supervisions live inside."""

    security = ClassSecurityInfo()

    @security.public
    def transition_allowed(self, transition_id):
        """Used by the workflow guards: True when the case rules allow it."""

        return not transition_problems(self, transition_id)

    def reindexObject(self, idxs=None, **kwargs):
        """The workflow tool's ``updateRoleMappings`` (after a workflow's
        permissions change) moves the case's permissions without an event and
        asks for this security reindex: the seal of the accusation material
        inside follows, as after a transition."""
        super().reindexObject(idxs=idxs or [], **kwargs)
        if idxs and "allowedRolesAndUsers" in idxs:
            reseal_inside(self)
