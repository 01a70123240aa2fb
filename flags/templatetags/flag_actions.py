"""The action of a flag in a template (flags/actions.py)."""

from __future__ import annotations

from django import template

from flags.actions import Action, action_for
from flags.models import Flag

register = template.Library()


@register.simple_tag
def flag_action(flag: Flag) -> Action:
    return action_for(flag)
