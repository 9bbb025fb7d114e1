"""Locust users for `bench/loadtest.py` — the busiest pages and endpoints, as each role uses them.

Each simulated user is a real staff member of the generated data set (sessions prepared by
loadtest.py in the file named by JOBBTORG_LOAD_PLAN) and works on their own people, so writes never collide
with another user's optimistic lock. Request names start with "read:" or "write:"; every response time is
recorded to JOBBTORG_LOAD_SAMPLES for exact percentiles per group.

Role mix: 60 % coaches (worklist, person page, plan, plan save), 20 % caseworkers (referrals, plan inbox,
person page, referral create), 20 % provider staff (their start page, attendance week, attendance report).
Think time 1–3 s between actions, as a person clicking through their day.
"""

import datetime as dt
import itertools
import json
import os
import random

from locust import HttpUser, between, constant, events, task

PLAN = json.load(open(os.environ["JOBBTORG_LOAD_PLAN"]))  # noqa: SIM115
SAMPLES: list[tuple[str, float, bool, str]] = []
# JOBBTORG_LOAD_THINK=0: no pause between actions (the capacity runs); otherwise 1–3 s like a person.
THINK = constant(0) if os.environ.get("JOBBTORG_LOAD_THINK") == "0" else between(1, 3)
_counters = {role: itertools.count() for role in ("coaches", "caseworkers", "providers")}


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **kwargs):
    SAMPLES.append(
        (name, response_time, exception is None, "" if exception is None else str(exception)[:300])
    )


@events.quitting.add_listener
def _dump(environment, **kwargs):
    path = os.environ.get("JOBBTORG_LOAD_SAMPLES")
    if path:
        with open(path, "w") as out:
            json.dump(SAMPLES, out)


class StaffUser(HttpUser):
    abstract = True
    wait_time = THINK
    role = ""

    def on_start(self):
        people = PLAN[self.role]
        self.me = people[next(_counters[self.role]) % len(people)]
        self.client.cookies.set(PLAN["session_cookie"], self.me["session"])
        self.client.cookies.set(PLAN["language_cookie"], "sv")
        self.client.cookies.set("csrftoken", self.me["csrf"])
        self.api = {"X-CSRFToken": self.me["csrf"], "Accept": "application/json"}
        self.rng = random.Random(self.me["user"])
        # Each run (realistic, capacity) takes its own half of the fresh identity numbers: never one twice.
        phase = int(os.environ.get("JOBBTORG_LOAD_PHASE", "0"))
        self.new_numbers = list(self.me.get("new_numbers", []))[phase::2]

    def page(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class CoachUser(StaffUser):
    weight = 6
    role = "coaches"

    @task(4)
    def worklist(self):
        self.page("/planer/arbetslista/", "read: coach worklist")

    @task(4)
    def person_page(self):
        person = self.rng.choice(self.me["people"])
        self.page(f"/personer/{person['participant']}/", "read: person page")

    @task(2)
    def plan_page(self):
        person = self.rng.choice(self.me["people"])
        self.page(f"/planer/{person['referral']}/handlingsplan/", "read: plan page")

    @task(1)
    def api_worklist(self):
        self.client.get("/api/worklist/", headers=self.api, name="read: API worklist")

    @task(2)
    def plan_save(self):
        """Fetch the plan (its lock_version), change the goals, save the draft."""
        person = self.rng.choice(self.me["people"])
        got = self.client.get(f"/api/plans/{person['plan']}/", headers=self.api, name="read: API plan")
        if got.status_code != 200:
            return
        plan = got.json()
        body = {
            "version": plan["lock_version"],
            "goals": f"Arbete inom vald yrkesinriktning. Uppdaterad {dt.datetime.now():%H:%M:%S}.",
            "activities": [
                {
                    k: a[k]
                    for k in ("intervention_type", "description", "start_date", "end_date", "hours_per_week")
                }
                for a in plan["activities"]
            ],
            "other_plans": [
                {k: o[k] for k in ("kind", "reference", "start_date", "end_date")}
                for o in plan.get("other_plans", [])
            ],
        }
        with self.client.put(
            f"/api/plans/{person['plan']}/",
            json=body,
            headers=self.api,
            name="write: plan save",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")


class CaseworkerUser(StaffUser):
    weight = 2
    role = "caseworkers"

    @task(3)
    def referrals(self):
        self.page("/remisser/", "read: referral list")

    @task(2)
    def inbox(self):
        self.page("/planer/inkorg/", "read: plan inbox")

    @task(1)
    def person_page(self):
        person = self.rng.choice(self.me["people"])
        self.page(f"/personer/{person['participant']}/", "read: person page")

    @task(1)
    def referral_create(self):
        if not self.new_numbers:
            return
        number = self.new_numbers.pop()
        body = {
            "personal_number": number,
            "first_name": "Belastning",
            "last_name": "Testsson",
            "target_group": "unemployed_on_assistance",
            "reason": "Arbetslös, behöver stöd mot arbete.",
            "assistance_status": "receiving",
            "consent_given": True,
        }
        with self.client.post(
            "/api/referrals/", json=body, headers=self.api, name="write: referral create", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")


class ProviderUser(StaffUser):
    weight = 2
    role = "providers"

    @task(3)
    def home(self):
        self.page("/narvaro/anordnare/", "read: provider start page")

    @task(2)
    def week(self):
        offering = self.rng.choice(self.me["offerings"])
        self.page(f"/narvaro/insats/{offering}/vecka/", "read: attendance week")

    @task(3)
    def report(self):
        booking = self.rng.choice(self.me["bookings"])
        body = {"booking": booking["id"], "date": self.rng.choice(booking["days"]), "status": "present"}
        with self.client.post(
            "/api/attendance/",
            json=body,
            headers=self.api,
            name="write: attendance report",
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 201):
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")


class TrivialUser(HttpUser):
    """The baseline: the same server answering its health check (one tiny query)."""

    wait_time = THINK

    @task
    def health(self):
        self.client.get("/health/", name="trivial: health")
