"""The matching engine: an explainable score of a person against a vacancy, and fast rankings.

A plain module (no database; of Django only the enums of `plans.constants`) so that the web pages, the API
and `bench/matching.py` use the very same code. Three ways in:

- `explain(person, vacancy, taxonomy)` — pure Python, one pair: every component with its points, or the
  hard requirements that filter the vacancy out ("why not"). This is also the brute-force reference.
- `rank_vacancies(person, table, k)` — one person against every vacancy of a `VacancyTable`, vectorised
  with numpy (a few milliseconds for 50,000 vacancies).
- `batch_top_k(people, table, k)` — top-k for many people (see its docstring for the pruning that keeps it
  exact).

The score (0–100) is the sum of these components (the maximum points in brackets):

- occupation [40]: the closest of the person's wanted SSYK groups to the vacancy's group: the same
  4-digit group 1.0, the same 3-digit group 0.6, the same 2-digit group 0.3, otherwise related through
  shared skills in the taxonomy: 0.25 × Jaccard similarity of the two groups' skill sets.
- skills [20]: the person's skills against the vacancy's, a required skill counting twice a merit:
  (2·required matched + merits matched) / (2·required + merits).
- Swedish [10]: meeting the required level 10; one level below 3 (possible with SFI alongside); two or
  more levels below → filtered (hard).
- hours [10]: work capacity in hours (capacity % × 40 h) against the vacancy's hours: hours within the
  capacity 10 × (1 − ½ · unused share of the capacity); more hours than the capacity decline linearly to 0
  at twice the capacity; more than twice the capacity → filtered (hard).
- driving licence [5]: required and held, or not required, 5; required and not held → filtered (hard).
- distance [10]: by postal code, no geocoding (see `distance_points`): the same 3-digit postal area 10,
  the same 2-digit area 6, the same first digit (postal region) 2, otherwise 0; unknown 5.
- own wishes [5]: the vacancy is of a kind the person wishes (job, internship, …) 5; no wish recorded or
  another kind 0.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from jobbtorg.plans.constants import PlacementKind, SwedishLevel

W_OCCUPATION = 40.0
W_SKILLS = 20.0
W_SWEDISH = 10.0
W_HOURS = 10.0
W_LICENCE = 5.0
W_DISTANCE = 10.0
W_WISHES = 5.0
MAX_SCORE = W_OCCUPATION + W_SKILLS + W_SWEDISH + W_HOURS + W_LICENCE + W_DISTANCE + W_WISHES

OCC_SAME_4 = 1.0
OCC_SAME_3 = 0.6
OCC_SAME_2 = 0.3
OCC_RELATED = 0.25  # × Jaccard similarity of the groups' skill sets

SWEDISH_ONE_BELOW = 3.0
FULL_TIME_HOURS = 40

# The levels of SwedishLevel in their (rising) order, and the placement kinds, from their one definition.
SWEDISH_RANK = {level: rank for rank, level in enumerate(SwedishLevel.values)}
KINDS = tuple(PlacementKind.values)
KIND_INDEX = {k: i for i, k in enumerate(KINDS)}


# --- inputs ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PersonFeatures:
    """What the engine knows of a person (from the mapping). Equal features give equal rankings."""

    wanted: tuple[str, ...] = ()  # 4-digit SSYK codes, in the person's order of preference
    skills: frozenset[int] = frozenset()  # skill ids
    swedish: int = 0  # SWEDISH_RANK
    capacity_hours: float = 40.0  # work capacity in hours per week
    licence: bool = False
    postal_code: int | None = None  # five digits as an int
    wished_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class VacancyFeatures:
    occupation: str  # 4-digit SSYK code
    required_skills: frozenset[int] = frozenset()
    merit_skills: frozenset[int] = frozenset()
    swedish: int = 0
    hours: int = 40
    licence_required: bool = False
    postal_code: int | None = None
    kind: str = "job"


def postal_int(value: str | None) -> int | None:
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    return int(digits) if len(digits) == 5 else None


def capacity_hours(work_capacity_percent: int | None) -> float:
    """Work capacity (25/50/75/100 % of full time) in hours per week; unknown counts as full time."""
    return FULL_TIME_HOURS * (work_capacity_percent or 100) / 100


# --- the taxonomy as the engine needs it -------------------------------------------------------------------
class Taxonomy:
    """The 4-digit SSYK groups and the occupation similarity between every pair of them."""

    def __init__(self, group_skills: dict[str, set[int]], labels: dict[str, str] | None = None):
        self.codes: list[str] = sorted(group_skills)
        self.index: dict[str, int] = {c: i for i, c in enumerate(self.codes)}
        self.labels = labels or {}
        self.group_skills = group_skills
        g = len(self.codes)
        codes = np.array([int(c) for c in self.codes])
        same4 = codes[:, None] == codes[None, :]
        same3 = (codes[:, None] // 10) == (codes[None, :] // 10)
        same2 = (codes[:, None] // 100) == (codes[None, :] // 100)
        # Jaccard similarity of the groups' skill sets, through an incidence matrix.
        all_skills = sorted({s for skills in group_skills.values() for s in skills})
        col = {s: j for j, s in enumerate(all_skills)}
        inc = np.zeros((g, len(all_skills)), dtype=np.float32)
        for i, c in enumerate(self.codes):
            for s in group_skills[c]:
                inc[i, col[s]] = 1.0
        inter = (inc @ inc.T).astype(np.float64)
        sizes = inc.sum(axis=1).astype(np.float64)
        union = sizes[:, None] + sizes[None, :] - inter
        with np.errstate(divide="ignore", invalid="ignore"):
            jaccard = np.where(union > 0, inter / union, 0.0)
        self.jaccard = jaccard
        self.similarity = np.where(
            same4,
            OCC_SAME_4,
            np.where(same3, OCC_SAME_3, np.where(same2, OCC_SAME_2, OCC_RELATED * jaccard)),
        )

    @classmethod
    def from_csv(cls, folder: Path) -> Taxonomy:
        group_skills: dict[str, set[int]] = {}
        labels: dict[str, str] = {}
        with open(folder / "ssyk2012.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["level"] == "4":
                    group_skills[row["code"]] = set()
                    labels[row["code"]] = row["label"]
        with open(folder / "skills.csv", encoding="utf-8", newline="") as fh:
            for skill_id, row in enumerate(csv.DictReader(fh), start=1):
                for code in (row["ssyk4_codes"] or "").split():
                    if code in group_skills:
                        group_skills[code].add(skill_id)
        return cls(group_skills, labels)

    def occupation_relation(self, wanted: tuple[str, ...], code: str) -> tuple[float, str, str | None]:
        """(factor, relation, the wanted code it comes from) for the closest wanted group."""
        best = (0.0, "none", None)
        j = self.index.get(code)
        for w in wanted:
            i = self.index.get(w)
            if i is None or j is None:
                continue
            factor = float(self.similarity[i, j])
            if factor > best[0]:
                if w == code:
                    relation = "same_4"
                elif w[:3] == code[:3]:
                    relation = "same_3"
                elif w[:2] == code[:2]:
                    relation = "same_2"
                else:
                    relation = "related_skills"
                best = (factor, relation, w)
        return best


# --- one pair, pure Python (the explanation and the reference) ---------------------------------------------
def distance_points(person_postal: int | None, vacancy_postal: int | None) -> tuple[float, str]:
    """Distance approximated on postal codes (no geocoding).

    Swedish postal codes have five digits; the first digit is a postal region (1 = Stockholm, 2 = the
    south, 4 = Göteborg, 9 = Norrland …), the first two digits a postal area (e.g. 16 = north-west
    Stockholm: Spånga, Bromma, Vällingby) and the first three digits a delivery area of a few
    neighbourhoods (163 = Spånga/Tensta). Same 3 digits ≈ the same neighbourhood (a short trip), same 2
    digits ≈ the same part of the city or town (commuting within about 30–45 minutes), same first digit ≈
    the same region (a long commute). A coarse but monotone stand-in for travel time.
    """
    if person_postal is None or vacancy_postal is None:
        return W_DISTANCE / 2, "unknown"
    if person_postal // 100 == vacancy_postal // 100:
        return W_DISTANCE, "same_area_3"
    if person_postal // 1000 == vacancy_postal // 1000:
        return 6.0, "same_area_2"
    if person_postal // 10000 == vacancy_postal // 10000:
        return 2.0, "same_region"
    return 0.0, "far"


def explain(person: PersonFeatures, vacancy: VacancyFeatures, taxonomy: Taxonomy) -> dict:
    """Score one pair. Returns {"score", "eligible", "components": [...], "filtered_by": [...]}.

    Each component: {"key", "points", "max", "detail": {...}} (language-neutral; the web layer words it).
    `filtered_by` lists the hard requirements not met ("why not"); then `eligible` is False and the
    score is None. The arithmetic matches the vectorised code exactly (same operations, same order).
    """
    components = []
    filtered = []

    factor, relation, via = taxonomy.occupation_relation(person.wanted, vacancy.occupation)
    occ = W_OCCUPATION * factor
    components.append(
        {
            "key": "occupation",
            "points": occ,
            "max": W_OCCUPATION,
            "detail": {"relation": relation, "wanted": via, "occupation": vacancy.occupation},
        }
    )

    den = 2 * len(vacancy.required_skills) + len(vacancy.merit_skills)
    req_hit = len(person.skills & vacancy.required_skills)
    merit_hit = len(person.skills & vacancy.merit_skills)
    skills = W_SKILLS * (2 * req_hit + merit_hit) / den if den else 0.0
    components.append(
        {
            "key": "skills",
            "points": skills,
            "max": W_SKILLS,
            "detail": {
                "required_matched": req_hit,
                "required": len(vacancy.required_skills),
                "merits_matched": merit_hit,
                "merits": len(vacancy.merit_skills),
            },
        }
    )

    gap = vacancy.swedish - person.swedish
    if gap <= 0:
        swedish = W_SWEDISH
    elif gap == 1:
        swedish = SWEDISH_ONE_BELOW
    else:
        swedish = 0.0
        filtered.append({"key": "swedish", "required": vacancy.swedish, "has": person.swedish})
    components.append(
        {
            "key": "swedish",
            "points": swedish,
            "max": W_SWEDISH,
            "detail": {"required": vacancy.swedish, "has": person.swedish},
        }
    )

    cap = person.capacity_hours
    h = vacancy.hours
    if h <= cap:
        hours = W_HOURS * (1.0 - 0.5 * (cap - h) / cap)
    elif h <= 2 * cap:
        hours = W_HOURS * (1.0 - (h - cap) / cap)
    else:
        hours = 0.0
        filtered.append({"key": "hours", "hours": h, "capacity_hours": cap})
    components.append(
        {"key": "hours", "points": hours, "max": W_HOURS, "detail": {"hours": h, "capacity_hours": cap}}
    )

    if vacancy.licence_required and not person.licence:
        licence = 0.0
        filtered.append({"key": "licence"})
    else:
        licence = W_LICENCE
    components.append(
        {
            "key": "licence",
            "points": licence,
            "max": W_LICENCE,
            "detail": {"required": vacancy.licence_required, "has": person.licence},
        }
    )

    distance, how = distance_points(person.postal_code, vacancy.postal_code)
    components.append({"key": "distance", "points": distance, "max": W_DISTANCE, "detail": {"relation": how}})

    wished = bool(person.wished_kinds) and vacancy.kind in person.wished_kinds
    wishes = W_WISHES if wished else 0.0
    components.append(
        {
            "key": "wishes",
            "points": wishes,
            "max": W_WISHES,
            "detail": {"kind": vacancy.kind, "wished": sorted(person.wished_kinds)},
        }
    )

    total = occ + skills + swedish + hours + licence + distance + wishes
    return {
        "score": None if filtered else total,
        "eligible": not filtered,
        "components": components,
        "filtered_by": filtered,
        "max": MAX_SCORE,
    }


# --- many vacancies: numpy ---------------------------------------------------------------------------------
@dataclass
class VacancyTable:
    """Open vacancies as columns, sorted by SSYK code so that every 2-, 3- and 4-digit group is one slice.

    `keys[i]` is the caller's key of row i (a Vacancy pk, or an index in the bench).
    """

    taxonomy: Taxonomy
    keys: list
    group: np.ndarray  # taxonomy group index, int32
    swedish: np.ndarray  # int8
    hours: np.ndarray  # float64
    licence: np.ndarray  # bool
    postal: np.ndarray  # int64, -1 unknown
    kind: np.ndarray  # int8 index into KINDS
    skill_den: np.ndarray  # float64: 2·required + merits
    inv_rows: dict = field(default_factory=dict)  # skill id -> (rows int64, weights float64)
    group_start: np.ndarray | None = None  # first row of group g (len G + 1)
    features: list | None = None  # VacancyFeatures per row (for explanations)

    @classmethod
    def build(cls, taxonomy: Taxonomy, items: list[tuple[object, VacancyFeatures]]) -> VacancyTable:
        items = [it for it in items if it[1].occupation in taxonomy.index]
        items.sort(key=lambda it: taxonomy.index[it[1].occupation])
        n = len(items)
        feats = [f for _k, f in items]
        group = np.fromiter((taxonomy.index[f.occupation] for f in feats), dtype=np.int32, count=n)
        postal = np.fromiter(
            (f.postal_code if f.postal_code is not None else -1 for f in feats), dtype=np.int64, count=n
        )
        inv: dict[int, list] = defaultdict(lambda: ([], []))
        den = np.zeros(n, dtype=np.float64)
        for row, f in enumerate(feats):
            den[row] = 2 * len(f.required_skills) + len(f.merit_skills)
            for s in f.required_skills:
                inv[s][0].append(row)
                inv[s][1].append(2.0)
            for s in f.merit_skills:
                inv[s][0].append(row)
                inv[s][1].append(1.0)
        inv_rows = {s: (np.array(r, dtype=np.int64), np.array(w)) for s, (r, w) in inv.items()}
        counts = np.bincount(group, minlength=len(taxonomy.codes))
        group_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return cls(
            taxonomy=taxonomy,
            keys=[k for k, _f in items],
            group=group,
            swedish=np.fromiter((f.swedish for f in feats), dtype=np.int8, count=n),
            hours=np.fromiter((f.hours for f in feats), dtype=np.float64, count=n),
            licence=np.fromiter((f.licence_required for f in feats), dtype=bool, count=n),
            postal=postal,
            kind=np.fromiter((KIND_INDEX[f.kind] for f in feats), dtype=np.int8, count=n),
            skill_den=den,
            inv_rows=inv_rows,
            group_start=group_start,
            features=feats,
        )

    def __len__(self) -> int:
        return len(self.keys)

    def occupation_row(self, wanted: tuple[str, ...]) -> np.ndarray:
        """The occupation factor of every group for a person's wanted groups (max over them)."""
        idx = [self.taxonomy.index[w] for w in wanted if w in self.taxonomy.index]
        if not idx:
            return np.zeros(len(self.taxonomy.codes))
        return self.taxonomy.similarity[idx].max(axis=0)

    def skill_numerators(self, skills: frozenset[int]) -> np.ndarray:
        num = np.zeros(len(self), dtype=np.float64)
        for s in skills:
            hit = self.inv_rows.get(s)
            if hit is not None:
                num[hit[0]] += hit[1]
        return num


def _scores(
    person: PersonFeatures, table: VacancyTable, rows: np.ndarray | slice, occ_row, num
) -> np.ndarray:
    """Vectorised `explain` for one person over `rows` of the table; filtered vacancies get -inf."""
    occ = W_OCCUPATION * occ_row[table.group[rows]]
    den = table.skill_den[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        skills = np.where(den > 0, W_SKILLS * num[rows] / den, 0.0)
    gap = table.swedish[rows].astype(np.int64) - person.swedish
    swedish = np.where(gap <= 0, W_SWEDISH, np.where(gap == 1, SWEDISH_ONE_BELOW, 0.0))
    cap = person.capacity_hours
    h = table.hours[rows]
    hours = np.where(
        h <= cap,
        W_HOURS * (1.0 - 0.5 * (cap - h) / cap),
        np.where(h <= 2 * cap, W_HOURS * (1.0 - (h - cap) / cap), 0.0),
    )
    lic = table.licence[rows]
    licence = np.where(lic & (not person.licence), 0.0, W_LICENCE)
    distance = _distance_vector(person.postal_code, table.postal[rows])
    if person.wished_kinds:
        wished = np.zeros(len(KINDS), dtype=bool)
        wished[[KIND_INDEX[k] for k in person.wished_kinds if k in KIND_INDEX]] = True
        wishes = np.where(wished[table.kind[rows]], W_WISHES, 0.0)
    else:
        wishes = np.zeros_like(occ)
    total = occ + skills + swedish + hours + licence + distance + wishes
    ok = (gap <= 1) & (h <= 2 * cap) & ~(lic & (not person.licence))
    return np.where(ok, total, -np.inf)


def _distance_vector(person_postal: int | None, postal: np.ndarray) -> np.ndarray:
    if person_postal is None:
        return np.full(postal.shape, W_DISTANCE / 2)
    return np.where(
        postal < 0,
        W_DISTANCE / 2,
        np.where(
            postal // 100 == person_postal // 100,
            W_DISTANCE,
            np.where(
                postal // 1000 == person_postal // 1000,
                6.0,
                np.where(postal // 10000 == person_postal // 10000, 2.0, 0.0),
            ),
        ),
    )


def top_k_rows(scores: np.ndarray, k: int, offset_rows: np.ndarray | None = None) -> np.ndarray:
    """Indices of the k best finite scores, best first; ties by row (stable and equal to a full sort)."""
    finite = np.flatnonzero(np.isfinite(scores))
    if finite.size == 0:
        return finite
    if finite.size > k:
        part = scores[finite]
        kth = np.partition(part, finite.size - k)[finite.size - k]
        finite = finite[part >= kth]
    rows = finite if offset_rows is None else offset_rows[finite]
    order = np.lexsort((rows, -scores[finite]))
    return finite[order][:k]


def score_all(person: PersonFeatures, table: VacancyTable) -> np.ndarray:
    """The score of every row of the table for one person (-inf = filtered by a hard requirement)."""
    occ_row = table.occupation_row(person.wanted)
    num = table.skill_numerators(person.skills)
    return _scores(person, table, slice(None), occ_row, num)


def rank_vacancies(person: PersonFeatures, table: VacancyTable, k: int = 20) -> list[tuple[object, float]]:
    """The k best vacancies for one person: [(key, score)], best first."""
    scores = score_all(person, table)
    rows = top_k_rows(scores, k)
    return [(table.keys[r], float(scores[r])) for r in rows]


# --- many people: blocks and bounds ------------------------------------------------------------------------
def _rest_bound(person: PersonFeatures) -> float:
    """The most the non-occupation, non-skill components can give this person."""
    return W_SWEDISH + W_HOURS + W_LICENCE + W_DISTANCE + (W_WISHES if person.wished_kinds else 0.0)


def _block_scores(
    members: list[PersonFeatures], table: VacancyTable, rows: np.ndarray, occ_row
) -> np.ndarray:
    """`_scores` for many people at once over the same rows: a (people × rows) matrix, same arithmetic."""
    m, b = len(members), rows.size
    occ = np.broadcast_to(W_OCCUPATION * occ_row[table.group[rows]], (m, b))
    # Skill numerators: people × their skills @ skills × rows (small integers, exact in float64).
    skills_union = sorted({s for p in members for s in p.skills if s in table.inv_rows})
    num = np.zeros((m, b), dtype=np.float64)
    if skills_union and b:
        pos = np.full(len(table), -1, dtype=np.int64)
        pos[rows] = np.arange(b)
        col = {s: j for j, s in enumerate(skills_union)}
        weights = np.zeros((len(skills_union), b), dtype=np.float64)
        for s, j in col.items():
            r, w = table.inv_rows[s]
            p_ = pos[r]
            keep = p_ >= 0
            weights[j, p_[keep]] = w[keep]
        has = np.zeros((m, len(skills_union)), dtype=np.float64)
        for i, p in enumerate(members):
            for s in p.skills:
                j = col.get(s)
                if j is not None:
                    has[i, j] = 1.0
        num = has @ weights
    den = table.skill_den[rows][None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        skills = np.where(den > 0, W_SKILLS * num / den, 0.0)
    # The other components depend on few person values: compute one row per distinct value, then gather.
    req = table.swedish[rows].astype(np.int64)
    ranks = np.arange(len(SWEDISH_RANK))[:, None]
    gap = req[None, :] - ranks
    swe_rows = np.where(gap <= 0, W_SWEDISH, np.where(gap == 1, SWEDISH_ONE_BELOW, 0.0))
    swe_ok = gap <= 1
    swe_idx = np.array([p.swedish for p in members], dtype=np.int64)
    h = table.hours[rows]
    caps, cap_idx = np.unique(
        np.array([p.capacity_hours for p in members], dtype=np.float64), return_inverse=True
    )
    cap = caps[:, None]
    hour_rows = np.where(
        h <= cap,
        W_HOURS * (1.0 - 0.5 * (cap - h) / cap),
        np.where(h <= 2 * cap, W_HOURS * (1.0 - (h - cap) / cap), 0.0),
    )
    hour_ok = h <= 2 * cap
    lic = table.licence[rows]
    lic_idx = np.array([p.licence for p in members], dtype=np.int64)
    lic_block = np.stack([lic, np.zeros_like(lic)])  # row 0: no licence, row 1: has one
    licence_rows = np.where(lic_block, 0.0, W_LICENCE)
    postals = [p.postal_code for p in members]
    upost = sorted({x for x in postals if x is not None})
    post_index = {x: i + 1 for i, x in enumerate(upost)}
    dist_rows = np.stack(
        [_distance_vector(None, table.postal[rows])]
        + [_distance_vector(x, table.postal[rows]) for x in upost]
    )
    dist_idx = np.array([post_index.get(x, 0) for x in postals], dtype=np.int64)
    wished = np.zeros((m, len(KINDS)), dtype=bool)
    for i, p in enumerate(members):
        for kind in p.wished_kinds:
            if kind in KIND_INDEX:
                wished[i, KIND_INDEX[kind]] = True
    wishes = np.where(wished[:, table.kind[rows]], W_WISHES, 0.0)
    total = (
        occ + skills + swe_rows[swe_idx] + hour_rows[cap_idx] + licence_rows[lic_idx] + dist_rows[dist_idx]
    )
    total += wishes
    ok = swe_ok[swe_idx] & hour_ok[cap_idx] & ~lic_block[lic_idx]
    return np.where(ok, total, -np.inf)


def _rows_of(table: VacancyTable, groups: np.ndarray) -> np.ndarray:
    if not groups.size:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate([np.arange(table.group_start[g], table.group_start[g + 1]) for g in groups])


def batch_top_k(
    people: list[PersonFeatures],
    table: VacancyTable,
    k: int = 10,
    stats: dict | None = None,
    chunk: int = 256,
    block_digits: int = 3,
) -> list[np.ndarray]:
    """Top-k vacancy rows for every person (int arrays, best first), exactly as `score_all` + `top_k_rows`
    would give them, but much faster:

    1. People with identical features are scored once.
    2. People are grouped by their wanted groups; each group of people is scored as one matrix against its
       candidate block: every vacancy in the 2-digit SSYK groups of their wishes (contiguous slices of the
       table, which is sorted by code). Skill overlaps are one matrix product.
    3. Exactness: a vacancy outside the block scores at most 40 × its group's occupation factor (there only
       "related by skills", ≤ 0.25) + 20 if the person shares a skill with any vacancy of that group, else
       0 + the most the other components can give. Every outside group whose bound reaches the person's
       k-th best score is scored as well, so the result equals a full scan.
    """
    stats = stats if stats is not None else {}
    unique: dict[PersonFeatures, int] = {}
    owner = np.empty(len(people), dtype=np.int64)
    for i, p in enumerate(people):
        owner[i] = unique.setdefault(p, len(unique))
    uniq = list(unique)
    stats.update(
        people=len(people), distinct_feature_keys=len(uniq), extra_groups_scored=0, people_extended=0
    )
    taxonomy = table.taxonomy
    g_count = len(taxonomy.codes)
    codes = np.array([int(c) for c in taxonomy.codes])
    group_skill: dict[int, np.ndarray] = {}
    for s, (r, _w) in table.inv_rows.items():
        mask = np.zeros(g_count, dtype=bool)
        mask[table.group[r]] = True
        group_skill[s] = mask
    nonempty = np.diff(table.group_start) > 0

    by_wanted: dict[tuple, list[int]] = defaultdict(list)
    for u, p in enumerate(uniq):
        by_wanted[p.wanted].append(u)
    results: list = [None] * len(uniq)
    for wanted, all_members in by_wanted.items():
        occ_row = table.occupation_row(wanted)
        div = 10 ** (4 - block_digits)
        prefixes = [int(w) // div for w in wanted if w in taxonomy.index]
        in_block = np.isin(codes // div, prefixes) if prefixes else np.ones(g_count, dtype=bool)
        rows = _rows_of(table, np.flatnonzero(in_block & nonempty))
        out_occ = W_OCCUPATION * np.where(in_block, 0.0, occ_row)
        for c0 in range(0, len(all_members), chunk):
            members = all_members[c0 : c0 + chunk]
            people_c = [uniq[u] for u in members]
            if rows.size:
                scores = _block_scores(people_c, table, rows, occ_row)
            else:
                scores = np.full((len(members), 0), -np.inf)
            if rows.size > k:
                kth_all = np.partition(scores, rows.size - k, axis=1)[:, rows.size - k]
            else:
                kth_all = np.full(len(members), -np.inf)
            for i, u in enumerate(members):
                p = people_c[i]
                row_scores = scores[i]
                kth = kth_all[i]
                cand = np.flatnonzero((row_scores >= kth) & np.isfinite(row_scores))
                order = np.lexsort((rows[cand], -row_scores[cand]))[:k]
                best_rows = rows[cand[order]]
                best_scores = row_scores[cand[order]]
                floor = best_scores[-1] if best_rows.size == k else -np.inf
                shares = np.zeros(g_count, dtype=bool)
                for s in p.skills:
                    m_ = group_skill.get(s)
                    if m_ is not None:
                        shares |= m_
                bound = out_occ + np.where(shares, W_SKILLS, 0.0) + _rest_bound(p)
                extra = np.flatnonzero(~in_block & nonempty & (bound >= floor))
                if extra.size:
                    stats["people_extended"] += 1
                    stats["extra_groups_scored"] += int(extra.size)
                    more = _rows_of(table, extra)
                    num = table.skill_numerators(p.skills)
                    all_rows = np.concatenate([best_rows, more])
                    all_scores = np.concatenate([best_scores, _scores(p, table, more, occ_row, num)])
                    pick = top_k_rows(all_scores, k, all_rows)
                    best_rows = all_rows[pick]
                results[u] = best_rows
    return [results[owner[i]] for i in range(len(people))]


def sort_key(score: float | None) -> float:
    return -math.inf if score is None else score
