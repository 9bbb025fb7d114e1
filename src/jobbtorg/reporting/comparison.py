"""Fair comparison: each unit's or provider's actual share of exits to work or studies (Kolada U40455) next to
the share expected from its participant mix, the difference and a 95 % interval.

The expected share comes from a logistic regression (statsmodels GLM, binomial family) fitted on every exit
of the period in the municipality: outcome = exit to work or studies; explanatory variables = age band,
education, Swedish level, time on assistance (banded), target group and distance tier (all categorical). A
group's expected share is the mean of its members' predicted probabilities (indirect standardisation). The
variance of observed − expected is the binomial part Σp(1−p)/n² plus the model's own uncertainty by the
delta method, gᵀΣg with g = mean of p(1−p)·x over the group and Σ the covariance of the coefficients.
Groups with fewer than COMPARISON_MIN_EXITS exits are reported as too few to judge.

numpy, pandas and statsmodels are imported inside the functions that use them: importing them takes seconds
(scipy comes with statsmodels), and every worker and test process imports this module with the URL conf
(tests/test_startup.py fails if one of them is imported at module level again)."""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connections

from jobbtorg.utils.db import reporting_alias

from .constants import COMPARISON_MIN_EXITS, AssistanceBand, Breakdown, Missing
from .models import Case
from .selectors import Scope
from .sql import Dialect, literal, table, work_or_studies

if TYPE_CHECKING:
    import pandas as pd

FEATURES = ["age_band", "education_level", "swedish_level", "assistance_band", "target_group", "tier"]
GROUP_COLUMNS = {Breakdown.UNIT: "unit", Breakdown.PROVIDER: "provider"}


@functools.cache
def exits_sql(d: Dialect) -> str:
    municipality = d.cast("%(municipality)s", "bigint")
    unknown = literal(Missing.UNKNOWN)
    bands = " ".join(
        f"WHEN months_on_assistance < {upper} THEN {literal(band)}"
        for band, upper in (
            (AssistanceBand.UNDER_6, 6),
            (AssistanceBand.UNDER_12, 12),
            (AssistanceBand.UNDER_36, 36),
        )
    )
    return f"""
SELECT {d.cast("unit_id", "text")} AS unit, {d.cast("provider_id", "text")} AS provider, age_band,
       COALESCE(NULLIF(education_level, ''), {unknown}) AS education_level,
       COALESCE(NULLIF(swedish_level, ''), {unknown}) AS swedish_level,
       CASE WHEN months_on_assistance IS NULL THEN {unknown} {bands}
            ELSE {literal(AssistanceBand.FROM_36)} END AS assistance_band,
       target_group, COALESCE(NULLIF(tier, ''), {literal(Missing.NOT_MAPPED)}) AS tier,
       {work_or_studies()}{d.int} AS outcome
FROM {table(Case)}
WHERE exit_date BETWEEN %(start)s AND %(end)s
  AND ({municipality} IS NULL OR municipality_id = {municipality})
"""


@dataclass
class GroupResult:
    key: str | None
    n: int
    observed: float | None = None
    expected: float | None = None
    difference: float | None = None
    low: float | None = None
    high: float | None = None
    too_few: bool = False


def exits_frame(scope: Scope, by: str | None = None) -> pd.DataFrame:
    """Every exit of the period in the scope's municipality (the unit is ignored: the model spans all units),
    with the unit and the provider, the FEATURES and the outcome; with `by`, its group column as `grp`."""
    import pandas as pd

    params = {**scope.params(), "unit": None}
    connection = connections[reporting_alias()]
    with connection.cursor() as cursor:
        cursor.execute(exits_sql(Dialect.of(connection.vendor)), params)
        names = [c[0] for c in cursor.description]
        frame = pd.DataFrame(cursor.fetchall(), columns=names)
    if by is not None:
        frame["grp"] = frame[GROUP_COLUMNS[by]]
    return frame


def compare(
    frame: pd.DataFrame, *, min_exits: int = COMPARISON_MIN_EXITS, by: str = "grp"
) -> list[GroupResult]:
    """The comparison for a frame with a group column (`by`), the FEATURES and outcome (0/1)."""
    return compare_many(frame, by=[by], min_exits=min_exits)[by]


def compare_many(
    frame: pd.DataFrame, *, by: list[str], min_exits: int = COMPARISON_MIN_EXITS
) -> dict[str, list[GroupResult]]:
    """One model fit, then the comparison for each group column in `by`.

    The features are all categorical, so the exits are first collapsed into covariate patterns (successes and
    trials per pattern): the binomial fit on the patterns has the same estimates and covariance as the fit on
    the single exits, and is much cheaper. A group's sums run over its counts per pattern."""
    if frame.empty:
        return {column: [] for column in by}
    import numpy as np
    import pandas as pd
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning, SingularMatrixWarning
    from statsmodels.tools.tools import add_constant

    features = frame[FEATURES].astype(str)
    codes, patterns = pd.factorize(pd.MultiIndex.from_frame(features))
    y = frame["outcome"].to_numpy(dtype=float)
    trials = np.bincount(codes, minlength=len(patterns)).astype(float)
    successes = np.bincount(codes, weights=y, minlength=len(patterns))
    design = pd.get_dummies(patterns.to_frame(index=False), drop_first=True, dtype=float)
    x = add_constant(design, has_constant="add").to_numpy(dtype=float)
    model = GLM(np.column_stack([successes, trials - successes]), x, family=families.Binomial())
    try:
        with warnings.catch_warnings():  # small or lopsided data: separation is handled below, not an error
            warnings.simplefilter("ignore", (PerfectSeparationWarning, SingularMatrixWarning))
            fit = model.fit()
        cov = np.asarray(fit.cov_params())
        p = np.asarray(fit.predict(x))
        if not np.all(np.isfinite(cov)):
            raise ValueError("singular design")
    except (
        np.linalg.LinAlgError,
        ValueError,
    ):  # one outcome only, or a singular design: no model uncertainty
        fit = GLM(y, x[codes], family=families.Binomial()).fit_regularized(alpha=1e-6, L1_wt=0.0)
        p = 1 / (1 + np.exp(-(x @ np.asarray(fit.params))))
        cov = np.zeros((x.shape[1], x.shape[1]))
    out: dict[str, list[GroupResult]] = {}
    for column in by:
        group_codes, keys = pd.factorize(frame[column], use_na_sentinel=False)
        cells = group_codes * len(patterns) + codes
        counts = np.bincount(cells, minlength=len(keys) * len(patterns)).reshape(len(keys), len(patterns))
        n = counts.sum(axis=1)
        observed = np.bincount(group_codes, weights=y, minlength=len(keys)) / n
        expected = (counts @ p) / n
        w = counts * (p * (1 - p))
        g = (w @ x) / n[:, None]
        variance = w.sum(axis=1) / n**2 + np.einsum("ij,jk,ik->i", g, cov, g)
        half = 1.959964 * np.sqrt(variance)
        results = []
        for i, key in enumerate(keys):
            key = None if pd.isna(key) else key
            if n[i] < min_exits:
                results.append(GroupResult(key=key, n=int(n[i]), too_few=True))
                continue
            difference = float(observed[i] - expected[i])
            results.append(
                GroupResult(
                    key=key,
                    n=int(n[i]),
                    observed=float(observed[i]),
                    expected=float(expected[i]),
                    difference=difference,
                    low=difference - float(half[i]),
                    high=difference + float(half[i]),
                )
            )
        out[column] = sorted(results, key=lambda r: str(r.key))
    return out


def fair_comparisons(scope: Scope, bys=(Breakdown.UNIT, Breakdown.PROVIDER)) -> dict[str, list[GroupResult]]:
    """The comparison of units and of providers from one query and one model fit."""
    columns = {by: GROUP_COLUMNS[by] for by in bys}
    results = compare_many(exits_frame(scope), by=list(columns.values()))
    return {by: results[column] for by, column in columns.items()}


def fair_comparison(scope: Scope, by: str = Breakdown.UNIT) -> list[GroupResult]:
    return fair_comparisons(scope, (by,))[by]
