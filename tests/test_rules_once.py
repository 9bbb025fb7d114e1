"""Rules written once (issue 12): the source tree is read, and a rule written a second time fails here.

- A role is compared (`user.role == …`, `role in …`, `{% if … role == "…" %}`) only in `accounts` (which
  defines the roles and their predicates `user.is_caseworker`, …) and in `perms.py` modules.
- The view helpers exist once: putting a service's ValidationError on a form (`utils.forms`), the keyword
  arguments of a POST action (`utils.api.WRITE_ACTION`), and the login gate (Django's `login_required`, with
  `settings.LOGIN_URL`; a rule on top of it is `utils.views.rule_required`).
- Every function of a `perms.py` module has its rule in a docstring and its own test in
  tests/<app>/test_perms.py.
"""

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "jobbtorg"
TESTS = Path(__file__).resolve().parent

# Files allowed a counted number of role comparisons while their scoping moves into `visible_to()` (empty now;
# keep the mechanism for a later move). Listed by file with the number of comparisons left, so that the
# list cannot hide a new comparison and fails once a file is clean.
PENDING_SCOPING: dict[str, int] = {}
# The demo builds a user of every role from its seed list (`DemoLogin.role`); it decides no access.
NOT_ACCESS = ("demo/",)

ROLE_COMPARISON_PY = re.compile(r"\.role\s*(==|!=)|\brole\s*(==|!=)\s*[\"'A-Z]|\.role\s+(not\s+)?in\b")
ROLE_COMPARISON_HTML = re.compile(r"role\s*(==|!=)|role\s+(not\s+)?in\s")


def _relative(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def _may_compare_roles(relative: str) -> bool:
    return (
        relative.startswith("accounts/") or relative.endswith("/perms.py") or relative.startswith(NOT_ACCESS)
    )


def _python_files():
    return sorted(p for p in SRC.rglob("*.py") if "/migrations/" not in p.as_posix())


def role_comparisons() -> dict[str, list[str]]:
    """File → the lines that compare a role, outside the places allowed to."""
    found: dict[str, list[str]] = {}
    for path in [*_python_files(), *sorted(SRC.rglob("*.html"))]:
        relative = _relative(path)
        if _may_compare_roles(relative):
            continue
        pattern = ROLE_COMPARISON_PY if path.suffix == ".py" else ROLE_COMPARISON_HTML
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.setdefault(relative, []).append(f"{relative}:{number}: {line.strip()}")
    return found


def test_roles_are_compared_only_in_accounts_and_perms_modules():
    found = role_comparisons()
    new = [line for relative, lines in found.items() if relative not in PENDING_SCOPING for line in lines]
    assert not new, (
        "A role is compared outside accounts and perms.py. Ask a perms.py function (views, services, the "
        "API; templates: {% can %}) or a role predicate of accounts.User (user.is_caseworker, …):\n  "
        + "\n  ".join(new)
    )
    grown = {f: len(found.get(f, [])) for f, n in PENDING_SCOPING.items() if len(found.get(f, [])) > n}
    assert not grown, f"More role comparisons than before in files awaiting their visible_to(): {grown}"
    done = sorted(f for f in PENDING_SCOPING if f not in found)
    assert not done, f"No role comparison left in {done}: delete them from PENDING_SCOPING"


def test_the_role_comparison_check_finds_comparisons():
    assert ROLE_COMPARISON_PY.search("if user.role == Role.CASEWORKER and user.district_id:")
    assert ROLE_COMPARISON_PY.search('    if by.role != "caseworker":')
    assert ROLE_COMPARISON_PY.search("return user.role in (Role.ANALYST, Role.ADMINISTRATOR)")
    assert ROLE_COMPARISON_PY.search("if request.user.role not in allowed:")
    assert ROLE_COMPARISON_HTML.search('{% if user.role == "caseworker" %}')
    assert ROLE_COMPARISON_HTML.search('{% elif current_role == "job_coach" %}')
    assert not ROLE_COMPARISON_PY.search("contact_role=contact.role,")
    assert not ROLE_COMPARISON_PY.search(
        "if user.is_caseworker and user.district_id == referral.district_id:"
    )


TEMPLATE_RULE = re.compile(r"\bperms\.[a-z_]+\.[a-z_]+|\b(unit|district|provider)_id\s*==|==\s*user\.")


def templates_deriving_rules() -> list[str]:
    """Template lines that re-derive a rule from Django's `perms` or from the user's attachment."""
    found = []
    for path in sorted(SRC.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TEMPLATE_RULE.search(line):
                found.append(f"{_relative(path)}:{number}: {line.strip()}")
    return found


def test_templates_ask_the_perms_functions():
    found = templates_deriving_rules()
    assert not found, 'Ask the rule with {% load perms %}{% can "<app>.<function>" obj as var %}:\n  ' + (
        "\n  ".join(found)
    )
    assert TEMPLATE_RULE.search("{% if perms.followup.record_exit and user.unit_id == referral.unit_id %}")
    assert TEMPLATE_RULE.search("{% if booking.referral.unit_id == user.unit_id %}")
    assert not TEMPLATE_RULE.search('{% can "followup.can_record_exit" referral as may_record_exit %}')


# The copied helpers ---------------------------------------------------------------------------------------

# Helpers that place ValidationError messages on something else than one form's fields, declared with why.
FORM_ERROR_HELPERS = {
    "utils/forms.py::add_service_errors": "the helper (row forms too: rows={'activities': [...]})",
}


def _functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def form_error_helpers() -> list[str]:
    """Functions that read a ValidationError's messages and put them on a form with add_error()."""
    found = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in _functions(tree):
            names = {n.attr for n in ast.walk(function) if isinstance(n, ast.Attribute)}
            if {"add_error"} <= names and names & {"message_dict", "error_dict"}:
                found.append(f"{_relative(path)}::{function.name}")
    return found


def caught_errors_put_on_forms(tree=None) -> list[str]:
    """`except ValidationError as exc: form.add_error(None, exc)`: the caught error handed to Django's
    add_error, which fails (a 500) on a key that is no field of the form — the helper's job."""
    found = []
    trees = (
        [("<source>", tree)]
        if tree is not None
        else [(_relative(p), ast.parse(p.read_text())) for p in _python_files()]
    )
    for relative, parsed in trees:
        for handler in ast.walk(parsed):
            if not isinstance(handler, ast.ExceptHandler) or not handler.name:
                continue
            for node in ast.walk(handler):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "add_error"
                    and any(isinstance(a, ast.Name) and a.id == handler.name for a in node.args)
                ):
                    found.append(f"{relative}:{node.lineno}")
    return found


def test_the_form_error_helper_is_written_once():
    copies = [name for name in form_error_helpers() if name not in FORM_ERROR_HELPERS]
    assert not copies, f"Use jobbtorg.utils.forms.add_service_errors instead of: {copies}"
    assert "utils/forms.py::add_service_errors" in form_error_helpers()
    handed = caught_errors_put_on_forms()
    assert not handed, f"Use jobbtorg.utils.forms.add_service_errors(form, exc) instead of: {handed}"
    assert caught_errors_put_on_forms(
        ast.parse("try:\n    f()\nexcept ValidationError as exc:\n    form.add_error(None, exc)\n")
    ) == ["<source>:4"]
    assert not caught_errors_put_on_forms(
        ast.parse("try:\n    f()\nexcept PermissionDenied as e:\n    form.add_error(None, str(e) or 'No')\n")
    )


WRITE_ACTION = {"detail": True, "methods": ["post"], "filter_backends": [], "pagination_class": None}


def _literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return object()


def _is_write_action(items: dict) -> bool:
    return all(key in items and _literal(items[key]) == value for key, value in WRITE_ACTION.items())


def write_action_copies() -> list[str]:
    """Dict literals or @action(...) calls spelling out utils.api.WRITE_ACTION, and aliases of it."""
    found = []
    for path in _python_files():
        relative = _relative(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            items: dict = {}
            if isinstance(node, ast.Dict):
                items = {
                    k.value: v
                    for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant)
                }
            elif isinstance(node, ast.Call):
                items = {k.arg: k.value for k in node.keywords if k.arg}
            if items and _is_write_action(items) and relative != "utils/api.py":
                found.append(f"{relative}:{node.lineno}")
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Name)
                and node.value.id == "WRITE_ACTION"
            ):
                found.append(f"{relative}:{node.lineno} (an alias)")
    return found


def test_write_action_is_defined_once():
    from jobbtorg.utils.api import WRITE_ACTION as defined

    assert defined == WRITE_ACTION
    copies = write_action_copies()
    assert not copies, f"Use jobbtorg.utils.api.WRITE_ACTION: {copies}"


def login_wrappers() -> list[str]:
    """A second login gate: `login_required(..., login_url=…)`, a module-level `login_required = …`,
    Django's decorator imported under another name, or a wrapper of its own returning `login_required(view)`
    (the one such wrapper is utils.views.rule_required)."""
    found = []
    for path in _python_files():
        relative = _relative(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and any(k.arg == "login_url" for k in node.keywords):
                found.append(f"{relative}:{node.lineno} (login_url=)")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "login_required"
                and relative != "utils/views.py"
            ):
                found.append(f"{relative}:{node.lineno} (login_required(view): use rule_required)")
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "login_required" for t in node.targets
            ):
                found.append(f"{relative}:{node.lineno} (login_required = …)")
            if isinstance(node, ast.ImportFrom) and any(
                a.name == "login_required" and a.asname for a in node.names
            ):
                found.append(f"{relative}:{node.lineno} (imported as {node.names[0].asname})")
    return found


def test_the_login_gate_is_written_once():
    copies = login_wrappers()
    assert not copies, (
        "Use django.contrib.auth.decorators.login_required as it is (settings.LOGIN_URL names the login "
        f"page) or jobbtorg.utils.views.rule_required: {copies}"
    )


# Every perms.py function: a docstring and a table-driven test ---------------------------------------------


def perms_functions() -> list[tuple[str, str, bool]]:
    """(app, function, has a docstring) for every public function defined in a perms.py module."""
    found = []
    for path in sorted(SRC.glob("*/perms.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                found.append((path.parent.name, node.name, bool(ast.get_docstring(node))))
    return found


@pytest.mark.parametrize(
    "app, function, documented", perms_functions(), ids=[f"{a}.{f}" for a, f, _ in perms_functions()]
)
def test_every_perms_function_has_its_rule_and_its_test(app, function, documented):
    assert documented, f"{app}/perms.py::{function}: write the rule in its docstring"
    test_file = TESTS / app / "test_perms.py"
    assert test_file.exists(), f"tests/{app}/test_perms.py is missing"
    assert re.search(rf"\bperms\.{function}\(", test_file.read_text(encoding="utf-8")), (
        f"tests/{app}/test_perms.py has no test of perms.{function}"
    )


# Enums defined once -----------------------------------------------------------------------------------------


def text_choices() -> dict[str, frozenset[str]]:
    """Every TextChoices of the apps' constants modules: "app.constants.Name" → its values."""
    import importlib

    from django.db import models

    found = {}
    for path in sorted(SRC.glob("*/constants.py")):
        module = importlib.import_module(f"jobbtorg.{path.parent.name}.constants")
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, models.TextChoices)
                and value.__module__ == module.__name__
                and len(value.values) >= 3
            ):
                found[f"{path.parent.name}.constants.{name}"] = frozenset(value.values)
    return found


def _string_sets(tree):
    """(line, values) of literal collections of strings: tuples, lists, sets, the keys of a dict of
    numbers, and the first items of (value, label) pairs."""
    for node in ast.walk(tree):
        items = None
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = node.elts
            if items and all(isinstance(i, ast.Tuple) and i.elts for i in items):
                items = [i.elts[0] for i in items]
        elif isinstance(node, ast.Dict) and all(
            isinstance(v, ast.Constant) and type(v.value) is int for v in node.values
        ):
            items = node.keys  # a rank or order per value; a dict of data per value (rates by tier) is none
        if items and all(isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items):
            yield node.lineno, frozenset(i.value for i in items)


def enum_copies(enums: dict[str, frozenset[str]]) -> list[str]:
    """Literal collections spelling out every value of a TextChoices outside its constants module."""
    found = []
    for path in _python_files():
        relative = _relative(path)
        if relative.endswith("/constants.py") or relative.startswith(NOT_ACCESS):
            continue
        for line, values in _string_sets(ast.parse(path.read_text(encoding="utf-8"))):
            for name, enum_values in enums.items():
                if values == enum_values:
                    found.append(f"{relative}:{line} copies {name}")
    return found


def test_enums_are_defined_once():
    enums = text_choices()
    assert "plans.constants.PlacementKind" in enums and "plans.constants.SwedishLevel" in enums
    copies = enum_copies(enums)
    assert not copies, f"Import the TextChoices (its .values, .choices) instead of a copy: {copies}"
    # the check is real: the copies it replaced are found
    tree = ast.parse(
        'RANK = {"none": 0, "sfi_a": 1, "sfi_b": 2, "sfi_c": 3, "sfi_d": 4, "other": 5, "native": 6}\n'
        'KINDS = ("job", "internship", "work_training", "apprenticeship", "subsidised_job")\n'
        'choices = (("job", "Job"), ("internship", "I"), ("work_training", "W"), ("apprenticeship", "A"),'
        ' ("subsidised_job", "S"))\n'
    )
    sets = [values for _line, values in _string_sets(tree)]
    assert enums["plans.constants.SwedishLevel"] in sets
    assert sets.count(enums["plans.constants.PlacementKind"]) == 2
