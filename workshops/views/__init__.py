"""The consultant's screen (`facilitator`) and the participants' phones (`participants`)."""

from .facilitator import (
    close,
    close_voting,
    consensus,
    facilitate,
    hide,
    names,
    next_process,
    open_voting,
    panel,
    reveal,
    select,
    start,
)
from .participants import join, participant, participant_state, vote

__all__ = [
    "close",
    "close_voting",
    "consensus",
    "facilitate",
    "hide",
    "join",
    "names",
    "next_process",
    "open_voting",
    "panel",
    "participant",
    "participant_state",
    "reveal",
    "select",
    "start",
    "vote",
]
