"""A workflow's Mermaid diagram against its GenericSetup definition."""

from pathlib import Path
from plone import api

import xinfang_archive


def diagram_edges_missing(workflow_id):
    """The ``state --> target: transition`` edges of the definition that the
    diagram beside it (``diagram.mmd``) does not draw."""
    folder = Path(xinfang_archive.__file__).parent / "profiles" / "default"
    diagram = (folder / "workflows" / workflow_id / "diagram.mmd").read_text()
    workflow = api.portal.get_tool("portal_workflow")[workflow_id]
    return [
        edge
        for state in workflow.states.objectValues()
        for transition_id in state.transitions
        if (
            edge := f"{state.getId()} --> "
            f"{workflow.transitions[transition_id].new_state_id}: {transition_id}"
        )
        not in diagram
    ]
