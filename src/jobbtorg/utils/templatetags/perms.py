"""`{% can "plans.can_approve_plan" plan as may_approve %}`: templates ask the same `perms.py` function as the
service and the view, instead of re-deriving the rule from the user's role, permissions or unit.

The first argument names `<app>.<function>` in `jobbtorg.<app>.perms`; the signed-in user is passed first,
then the other arguments. Only functions of `perms.py` modules can be named."""

from importlib import import_module

from django import template

register = template.Library()


def perms_function(name: str):
    """`"plans.can_approve_plan"` → jobbtorg.plans.perms.can_approve_plan (else a TemplateSyntaxError)."""
    app, _, function = name.partition(".")
    if not (app.isidentifier() and function.isidentifier() and not function.startswith("_")):
        raise template.TemplateSyntaxError(f"{name!r} is not '<app>.<perms function>'")
    try:
        module = import_module(f"jobbtorg.{app}.perms")
    except ModuleNotFoundError as exc:
        raise template.TemplateSyntaxError(f"jobbtorg.{app} has no perms.py") from exc
    rule = getattr(module, function, None)
    if not callable(rule):
        raise template.TemplateSyntaxError(f"jobbtorg.{app}.perms has no function {function!r}")
    return rule


@register.simple_tag(takes_context=True)
def can(context, name: str, *args) -> bool:
    """True when the perms function `name` allows the signed-in user (with `args`, e.g. the object)."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return False
    return bool(perms_function(name)(user, *args))
