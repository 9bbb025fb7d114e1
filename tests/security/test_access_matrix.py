"""The access matrix: every role × every page and API endpoint, discovered from the URL conf and the OpenAPI
schema, so that a new endpoint cannot escape it.

For each URL pattern the path parameters are filled with objects of both units/providers (the role's own
and the other side's). The table ACCESS says which roles may use each URL name. The test asserts:
- anonymous visitors are sent to the login page (pages) or refused with 401/403 (API);
- a role allowed to use a URL gets 200 for at least one object of its own side (GET);
- a role not allowed never gets a success (2xx, or a redirect other than to the login page);
- nobody ever gets a 500;
- no response shows a person the role may not see (other unit/district/provider, no consent), and the
  address of the person with protected identity appears only for their own caseworker.
A URL name missing from ACCESS fails the test with a message: classify it.

One test per URL name (`test_access_matrix[<name>]`), so the matrix runs in parallel (pytest-xdist) and a
failure names its URL; the world is built once per module and each URL's test is rolled back."""

import datetime
import functools
import os
import uuid
from collections import defaultdict

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from jobbtorg.identity.constants import TokenScope
from jobbtorg.identity.tokens import integration_token_create

from ..factories import UserFactory
from .world import PROTECTED_ADDRESS, build_world

CW, COACH, SYV, MATCH, HEAD = "caseworker", "job_coach", "career_counsellor", "matcher", "unit_head"
PROV, ANALYST, ADMIN, PART = "provider_staff", "analyst", "administrator", "participant"
DHEAD = "district_head"
PARTNER = "partner_staff"
UNIT = {COACH, SYV, MATCH, HEAD}
STAFF = UNIT | {CW}
ROLES = [CW, COACH, SYV, MATCH, HEAD, DHEAD, PROV, ANALYST, ADMIN, PART, PARTNER]
EVERYONE = set(ROLES)
PUBLIC = "public"  # no login needed (the login page, the language switch, the health check, the token)
NONE: set = set()
CW_, COACH_, SYV_, MATCH_, HEAD_ = {CW}, {COACH}, {SYV}, {MATCH}, {HEAD}

# Which roles may use each URL (the object scoping inside is checked separately, for every role).
ACCESS: dict[str, tuple[set, set] | str] = {
    # public: no login
    "accounts:login": PUBLIC,
    "set_language": PUBLIC,
    "accessibility": PUBLIC,  # the accessibility statement (issue 17)
    "health": PUBLIC,
    "health_ready": PUBLIC,
    "api-token": PUBLIC,
    # sign-in through OpenID Connect (404 where it is not configured; tests/identity walks it)
    "identity:eid_start": PUBLIC,
    "identity:eid_callback": PUBLIC,
    "identity:staff_start": PUBLIC,
    "identity:staff_callback": PUBLIC,
    "identity:keepalive": (NONE, EVERYONE),  # POST: the "stay signed in" button (401 when signed out)
    "schema": PUBLIC,  # the OpenAPI document: no personal data; published for integrators
    "api-docs": PUBLIC,
    "api-redoc": PUBLIC,
    # name: (roles that open it with GET → 200 for their own side's objects,
    #        roles whose POST/PUT is let in → 2xx, a redirect, or 400/409 for the empty input)
    # NONE for GET where the small world has no object to open (the scoping is still checked: no 5xx, no
    # other side's person, anonymous refused).
    "accounts:home": (NONE, EVERYONE),
    "accounts:start": ({ADMIN}, NONE),  # the administration and finance start page (issue 16)
    "accounts:logout": (NONE, NONE),  # POST signs out: a redirect to the login page (GET is not allowed)
    "accounts:otp_setup": (EVERYONE, EVERYONE),
    "accounts:otp_verify": (NONE, EVERYONE),
    "api-appointment-detail": (UNIT | {CW} | {PART} | {PROV}, NONE),
    "api-appointment-list": (EVERYONE, {COACH, HEAD, PROV, SYV}),
    "api-appointment-outcome": (NONE, {COACH, HEAD, PROV, SYV}),
    "api-appointment-interpreter": (NONE, UNIT | {PROV}),  # as the page: whoever may book meetings
    "api-assignment-change": (NONE, UNIT | {CW} | {PART} | {PROV}),
    "api-assignment-detail": (UNIT | {CW} | {PART} | {PROV}, NONE),
    "api-attendance": (NONE, {COACH, HEAD, PROV, SYV}),
    "api-attendance-bulk": (NONE, {COACH, HEAD, PROV, SYV}),
    "api-attendance-csv": (NONE, {COACH, HEAD, PROV, SYV}),
    "api-attendance-events": (NONE, {COACH, HEAD, PROV, SYV}),
    "api-attendance-unreported": ({COACH, HEAD, PROV, SYV}, NONE),
    "api-authorisation-application-decide": (NONE, NONE),
    "api-authorisation-application-detail": (NONE, NONE),
    "api-authorisation-application-list": ({ADMIN, HEAD, PROV}, {PROV}),
    "api-authorisation-detail": (NONE, NONE),
    "api-authorisation-reinstate": (NONE, NONE),
    "api-authorisation-revoke": (NONE, NONE),
    "api-authorisation-suspend": (NONE, NONE),
    "api-booking-cancel": (NONE, {COACH, HEAD, SYV}),
    "api-booking-detail": (UNIT | {CW} | {PART} | {PROV}, NONE),
    "api-booking-list": (EVERYONE, {COACH, HEAD, SYV}),
    "api-choice-choose": (NONE, NONE),
    "api-choice-detail": (NONE, NONE),
    "api-choice-list": (EVERYONE, NONE),
    "api-inbox": ({CW, HEAD}, NONE),
    "api-intervention-types": (EVERYONE, NONE),
    "api-mapping": (UNIT | {CW}, NONE),
    "api-notice-acknowledge": (NONE, {CW}),
    "api-notice-detail": ({CW}, NONE),
    "api-notice-list": ({CW}, NONE),
    "api-offering-detail": ({ADMIN, COACH, HEAD, PROV, SYV}, NONE),
    "api-offering-list": ({ADMIN, COACH, HEAD, PROV, SYV}, EVERYONE),
    "api-participant-assignments": (UNIT | {CW} | {PART} | {PROV}, NONE),
    "api-participant-consents": (NONE, {CW}),
    "api-participant-detail": (UNIT | {CW} | {PROV}, NONE),
    "api-participant-list": (UNIT | {CW} | {PROV}, NONE),
    "api-participant-lookup": (NONE, UNIT | {CW} | {PROV}),
    "api-plan-approve": (NONE, UNIT | {CW}),
    "api-plan-detail": (UNIT | {CW}, NONE),
    "api-plan-list": (UNIT | {CW}, NONE),
    "api-plan-propose": (NONE, UNIT | {CW}),
    "api-plan-return": (NONE, UNIT | {CW}),
    "api-plan-version": (NONE, NONE),
    # the person's own plan (issue 16): the world's person has no proposed plan (404 GET, 400 agreeing)
    "api-own-plan": (NONE, NONE),
    "api-own-plan-agree": (NONE, NONE),
    "api-own-plan-comments": (NONE, NONE),
    "api-plan-versions": (UNIT | {CW}, NONE),
    "api-provider-authorisations": ({ADMIN, COACH, HEAD, PROV, SYV}, NONE),
    "api-provider-detail": ({ADMIN, COACH, HEAD, PROV, SYV}, NONE),
    "api-provider-list": ({ADMIN, COACH, HEAD, PROV, SYV}, {ADMIN}),
    "api-read-log-list": ({HEAD}, NONE),
    "api-read-log-search": (NONE, {HEAD}),
    "api-referral-accept": (NONE, UNIT | {CW}),
    "api-referral-choices": (NONE, UNIT | {CW}),
    "api-referral-close": (NONE, UNIT | {CW}),
    "api-referral-coach": (UNIT | {CW}, {COACH, HEAD}),  # history with the referral; change: head or coach
    "api-substitution-list": (UNIT, {COACH, HEAD}),  # who stands in for whom at the unit (staff data)
    "api-caseloads": ({HEAD}, NONE),
    "api-caseloads-reassign": (NONE, {HEAD}),
    "caseloads:caseloads": ({HEAD}, NONE),
    "caseloads:reassign": (NONE, {HEAD}),
    "api-referral-detail": (UNIT | {CW}, NONE),
    "api-referral-list": (UNIT | {CW}, {CW}),
    "api-referral-intake": (NONE, {COACH, HEAD}),  # intake at the unit (ADR 0020): who accepts referrals
    "api-referral-plan": (NONE, UNIT | {CW}),
    "api-referral-resubmit": (NONE, UNIT | {CW}),
    "api-referral-return": (NONE, UNIT | {CW}),
    "api-requirements": (NONE, NONE),
    "api-worklist": (UNIT, NONE),
    "attendance:appointment_new": (UNIT | {PROV}, UNIT | {PROV}),
    "attendance:appointment_outcome": (UNIT | {PROV}, UNIT | {PROV}),
    "attendance:appointment_interpreter": (UNIT | {PROV}, UNIT | {PROV}),
    "attendance:appointments": (UNIT | {PROV}, UNIT | {PROV}),
    "attendance:event_record": (NONE, UNIT | {PROV}),
    "attendance:notice_acknowledge": (NONE, {CW}),
    "attendance:notices": ({CW}, {CW}),
    "attendance:provider_home": (UNIT | {PROV}, UNIT | {PROV}),
    "attendance:unreported": (UNIT | {PROV}, UNIT | {PROV}),
    "attendance:upload": (UNIT | {PROV}, UNIT | {PROV}),
    "attendance:upload_template": (UNIT | {PROV}, UNIT | {PROV}),
    "attendance:week": (UNIT | {PROV}, UNIT | {PROV}),
    "audit:reads": ({HEAD}, {HEAD}),
    "audit:unusual": ({HEAD}, {HEAD}),
    "interventions:book": ({COACH, HEAD, SYV}, {COACH, HEAD, SYV}),
    "interventions:booking_cancel": (NONE, {COACH, HEAD, SYV}),
    "interventions:bookings": (UNIT | {CW}, UNIT | {CW}),
    "interventions:catalogue": ({ADMIN, COACH, HEAD, PROV, SYV}, {ADMIN, COACH, HEAD, PROV, SYV}),
    "interventions:offering": ({ADMIN, COACH, HEAD, PROV, SYV}, {ADMIN, COACH, HEAD, PROV, SYV}),
    "interventions:offering_edit": ({ADMIN}, {ADMIN}),
    "interventions:offering_new": ({ADMIN, HEAD}, {ADMIN, HEAD}),
    "interventions:offerings": ({ADMIN, COACH, HEAD, PROV, SYV}, {ADMIN, COACH, HEAD, PROV, SYV}),
    "interventions:type_active": (NONE, {ADMIN}),
    "interventions:type_edit": ({ADMIN}, {ADMIN}),
    "interventions:type_new": ({ADMIN}, {ADMIN}),
    "matching-employer-detail": (NONE, NONE),
    "matching-employer-list": (UNIT, UNIT),
    "matching-employer-city-vacancies": (NONE, NONE),  # no employer in the small world (tests/integrations)
    "matching-match-answer": (NONE, NONE),
    "matching-match-contacted": (NONE, NONE),
    "matching-match-detail": (NONE, NONE),
    "matching-match-list": (UNIT, UNIT),
    "matching-match-outcome": (NONE, NONE),
    "matching-match-withdraw": (NONE, NONE),
    "matching-participant-ranking-detail": (NONE, NONE),
    "matching-vacancy-detail": (NONE, NONE),
    "matching-vacancy-list": (UNIT, UNIT),
    "matching-vacancy-ranking": (NONE, NONE),
    "matching:employer": (NONE, NONE),
    "matching:employer_edit": (NONE, NONE),
    "matching:employer_new": ({MATCH}, {MATCH}),
    "matching:employers": (UNIT, UNIT),
    "matching:event": (NONE, NONE),
    "matching:event_edit": (NONE, NONE),
    "matching:event_new": ({MATCH}, {MATCH}),
    "matching:events": (UNIT, UNIT),
    "matching:match": (NONE, NONE),
    "matching:match_answer": (NONE, NONE),
    "matching:match_contacted": (NONE, NONE),
    "matching:match_outcome": (NONE, NONE),
    "matching:match_withdraw": (NONE, NONE),
    "matching:matches": (UNIT, UNIT),
    "matching:person_vacancies": (UNIT, NONE),  # GET only: the vacancies ranked for a person (issue 16)
    "matching:vacancies": (UNIT, UNIT),
    "matching:vacancy": (NONE, NONE),
    "matching:vacancy_edit": (NONE, NONE),
    "matching:vacancy_new": (NONE, NONE),
    "matching:vacancy_propose": (NONE, NONE),
    "participants:consent": (NONE, {CW}),
    "participants:detail": (UNIT | {CW}, UNIT | {CW}),
    "participants:search": (UNIT | {CW}, UNIT | {CW}),
    "payments:approve": (NONE, NONE),
    "payments:dispute": (NONE, NONE),
    "payments:overview": ({ADMIN, HEAD}, {ADMIN, HEAD, PROV}),
    "payments:provider": ({ADMIN, HEAD, PROV}, {ADMIN, HEAD, PROV}),
    "payments:provider_csv": ({ADMIN, HEAD, PROV}, {ADMIN, HEAD, PROV}),
    "payments:provider_pdf": (NONE, NONE),
    "payments:provider_pdf_job": (NONE, NONE),  # POST: no payment run in the small world (404 for all)
    "background:jobs": (EVERYONE, NONE),  # one's own background jobs (none here)
    "metrics": (NONE, NONE),  # the operator's bearer token, not a login (tests/utils/test_observability.py)
    "background:job": (NONE, NONE),  # only the starter (tests/background): no job in the small world
    "background:status": (NONE, NONE),
    "background:download": (NONE, NONE),
    "reporting:research_job": (NONE, {ANALYST}),
    "payments:run": (NONE, {ADMIN}),  # POST computes the month (finance); a bad month is a message, not a 500
    "plans:activity_row": ({COACH, HEAD, SYV}, NONE),
    "plans:inbox": ({CW, HEAD}, NONE),
    "plans:mapping": (
        UNIT | {CW},
        {COACH, HEAD, SYV},
    ),  # intended; GET answered 500 when classified (see report)
    "plans:mapping_preview": (NONE, UNIT | {CW}),
    "plans:other_plan_row": ({COACH, HEAD, SYV}, NONE),
    "plans:plan": (UNIT | {CW}, {COACH, HEAD, SYV}),
    "plans:plan_decide": (NONE, {CW, HEAD}),  # the unit head decides the plans of intakes (ADR 0020)
    "plans:plan_propose": (NONE, {COACH, HEAD, SYV}),
    "plans:version": (NONE, NONE),
    # the small world's plans are drafts: nothing to print yet (404 for all); tests/plans/test_agreement.py
    # checks who prints and downloads a plan with a version
    "plans:plan_print": (NONE, NONE),
    "plans:plan_pdf": (NONE, NONE),
    "plans:week_load": (NONE, UNIT | {CW}),
    "plans:worklist": (UNIT, NONE),
    "portal:choose": (NONE, NONE),
    "portal:consent": ({PART}, {PART}),
    "portal:home": ({PART}, {PART}),
    "portal:plan": ({PART}, {PART}),  # POST without a proposed plan: 400 with a message
    "portal:plan_pdf": (NONE, NONE),  # the world's person has no version of a plan to download (404)
    "providers:application_decide": (NONE, NONE),
    "providers:applications": ({ADMIN, HEAD, PROV}, {ADMIN, HEAD, PROV}),
    "providers:apply": ({PROV}, {PROV}),
    "providers:assignments": (UNIT, UNIT),
    "providers:authorisation_reinstate": (NONE, NONE),
    "providers:authorisation_revoke": (NONE, NONE),
    "providers:authorisation_suspend": (NONE, NONE),
    "providers:choice": (NONE, NONE),
    "providers:choice_start": (UNIT, UNIT),
    "providers:detail": ({ADMIN, COACH, HEAD, PROV, SYV}, {ADMIN, COACH, HEAD, PROV, SYV}),
    "providers:list": ({ADMIN, COACH, HEAD, PROV, SYV}, {ADMIN, COACH, HEAD, PROV, SYV}),
    "providers:new": ({ADMIN}, {ADMIN}),
    "referrals:accept": (NONE, UNIT),
    "referrals:close": (NONE, UNIT | {CW}),
    "referrals:coach_change": (NONE, {COACH, HEAD}),  # the head, or the responsible coach handing over
    "referrals:create": ({CW}, {CW}),
    "referrals:intake": ({COACH, HEAD}, {COACH, HEAD}),  # intake at the unit (ADR 0020)
    "referrals:detail": (UNIT | {CW}, UNIT | {CW}),
    "referrals:list": (UNIT | {CW}, UNIT | {CW}),
    "referrals:resubmit": (NONE, {CW}),
    "referrals:return": (NONE, UNIT),
    # send-backs (återremittering, issue 19): the world has one escalated send-back per side
    "referrals:send_back": (NONE, UNIT),
    "referrals:send_back_list": (UNIT | {CW, DHEAD}, UNIT | {CW, DHEAD}),
    "referrals:send_back_detail": (UNIT | {CW, DHEAD}, UNIT | {CW, DHEAD}),
    "referrals:send_back_answer": (NONE, UNIT | {CW, DHEAD}),
    "referrals:send_back_decide": (NONE, UNIT | {CW, DHEAD}),
    "api-referral-send-back": (NONE, UNIT | {CW}),
    "api-send-back-list": (UNIT | {CW, DHEAD}, NONE),
    "api-send-back-detail": (UNIT | {CW, DHEAD}, NONE),
    "api-send-back-agree": (NONE, UNIT | {CW, DHEAD}),
    "api-send-back-dispute": (NONE, UNIT | {CW, DHEAD}),
    "api-send-back-decide": (NONE, UNIT | {CW, DHEAD}),
    "taxonomy-group-detail": (NONE, NONE),
    "taxonomy-occupation-list": (UNIT, NONE),
    "taxonomy-skill-list": (UNIT, NONE),
    "taxonomy:occupation_options": (UNIT, NONE),
    "taxonomy:skill_options": (UNIT, NONE),
    "api-assistance-import-detail": (NONE, NONE),
    "api-assistance-import-list": ({ADMIN, HEAD}, {ADMIN, HEAD}),
    "api-compensation-model-detail": (NONE, NONE),
    "api-compensation-model-list": ({ADMIN, HEAD, PROV}, NONE),
    "api-compensation-model-versions": (NONE, NONE),
    "api-creaming-check": ({ADMIN, ANALYST, HEAD}, NONE),
    "api-dispute-answer": (NONE, NONE),
    "api-dispute-detail": (NONE, NONE),
    "api-dispute-list": ({ADMIN, HEAD, PROV}, {PROV}),
    "api-exit-detail": (NONE, NONE),
    "api-exit-evidence": (NONE, NONE),
    "api-exit-work-followup": (NONE, NONE),
    "api-exit-job-support": (NONE, NONE),  # no exit in the small world (tests/followup/test_job_support.py)
    "api-exit-list": ({COACH, HEAD, SYV}, {COACH, HEAD, SYV}),
    "api-payment-line-detail": (NONE, NONE),
    "api-payment-line-export": (NONE, NONE),
    "api-payment-line-list": ({ADMIN, HEAD, PROV}, NONE),
    "api-payment-run-approve": (NONE, NONE),
    "api-payment-run-compute": (NONE, {ADMIN}),
    "api-payment-run-detail": (NONE, NONE),
    "api-payment-run-list": ({ADMIN, HEAD}, NONE),
    "followup:assistance": ({ADMIN, HEAD}, {ADMIN, HEAD}),
    "followup:exit": ({COACH, HEAD, SYV}, {COACH, HEAD, SYV}),
    "payments:creaming": ({ADMIN, ANALYST, HEAD}, {ADMIN, ANALYST, HEAD}),
    "payments:dispute_answer": (NONE, NONE),
    "payments:creaming_open": (NONE, {ADMIN}),  # POST: the contract manager puts the flags under review
    "payments:reviews": ({ADMIN, HEAD}, {ADMIN, HEAD}),
    "payments:review": (NONE, NONE),  # the small world has no review (tests/payments/test_creaming_pages.py)
    "api-creaming-review-list": ({ADMIN, HEAD}, NONE),
    "api-creaming-review-detail": (NONE, NONE),
    "api-creaming-review-decide": (NONE, NONE),
    "api-creaming-review-open": (NONE, {ADMIN}),
    "payments:disputes": ({ADMIN}, {ADMIN}),
    "reporting:assignment": (NONE, NONE),
    "reporting:dashboard": ({ANALYST, HEAD}, {ANALYST, HEAD}),
    "reporting:export": (NONE, NONE),
    "reporting:overview": ({ANALYST}, {ANALYST}),
    "reporting:research": ({ANALYST}, {ANALYST}),
    "reporting:kolada": ({ANALYST, HEAD}, {ANALYST}),
    "reporting:kolada_survey": (NONE, NONE),
    "reporting:assignment_create": ({ADMIN, HEAD}, {ADMIN, HEAD}),
    "reporting:assignment_edit": (NONE, NONE),
    # follow-up, payments and reporting (issues 6 and 8), classified from what the code enforces
    # the case journal and messages (issue 16)
    "api-journal-entry-detail": (UNIT | {CW}, NONE),
    "api-journal-entry-list": (UNIT | {CW} | {PROV}, {COACH, MATCH, PROV, SYV}),
    "api-journal-entry-sign": (NONE, NONE),  # only the author of an unsigned draft (the world's are signed)
    "api-message-list": ({COACH, HEAD, PART, PROV, SYV}, {COACH, HEAD, PART, PROV, SYV}),
    "journal:entry_correct": ({COACH, MATCH, SYV}, {COACH, MATCH, SYV}),
    "journal:entry_sign": (NONE, NONE),
    "journal:messages": ({COACH, HEAD, PROV, SYV}, {COACH, HEAD, PROV, SYV}),
    "journal:person": (UNIT | {CW} | {PROV}, {COACH, MATCH, PROV, SYV}),
    "portal:messages": ({PART}, {PART}),
    "portal:absence": ({PART}, {PART}),
    "api-reported-absence-list": ({COACH, HEAD, PART, PROV, SYV}, {PART}),
    # documents on a person's case (issue 19): the unit's staff and the district's caseworker; the provider
    # the documents it uploaded or was shared (the world has one of each kind per person)
    "documents:person": (UNIT | {CW} | {PROV}, UNIT | {CW} | {PROV}),
    "documents:download": (UNIT | {CW} | {PROV}, NONE),
    "documents:share": (NONE, {COACH, HEAD, SYV}),
    "api-document-list": (UNIT | {CW} | {PROV}, UNIT | {CW} | {PROV}),
    "api-document-detail": (UNIT | {CW} | {PROV}, NONE),
    "api-document-download": (UNIT | {CW} | {PROV}, NONE),
    "api-document-share": (NONE, {COACH, HEAD, SYV}),
    # the SMS gateway's delivery reports: no login, a secret in the path (tests/integrations/test_sms.py)
    "integrations:sms_delivery": (NONE, NONE),
    # the participant's language (issue 17): the person in the portal; staff who see the person
    "portal:language": ({PART}, {PART}),
    "participants:language": (NONE, UNIT | {CW}),
    "api-participant-language": (NONE, UNIT | {CW}),
    # partners in the shared plan (issue 18, ADR 19): the partner sees its consenting people's shared plan,
    # meetings and requests; the coach books, sends and records; the caseworker follows
    "partners:home": ({PARTNER}, NONE),
    "partners:person": ({PARTNER}, NONE),
    "partners:request_handle": (NONE, {PARTNER}),  # the empty POST: 400 with field messages
    "partners:link_confirm": (NONE, {PARTNER}),
    "partners:case": ({COACH, SYV, HEAD, CW}, NONE),
    "partners:meeting_new": (NONE, {COACH, SYV, HEAD}),
    "partners:request_new": (NONE, {COACH, SYV, HEAD}),
    "partners:meeting_outcome": ({COACH, SYV, HEAD}, {COACH, SYV, HEAD}),
    "api-partner-organisation-list": ({COACH, SYV, HEAD, CW, PARTNER}, NONE),
    "api-partner-people": ({PARTNER}, NONE),
    "api-partner-shared-plan": ({PARTNER}, NONE),
    "api-plan-link-confirm": (NONE, {PARTNER}),
    "api-partner-meeting-list": ({COACH, SYV, HEAD, CW, PARTNER}, {COACH, SYV, HEAD}),
    "api-partner-meeting-detail": ({COACH, SYV, HEAD, CW, PARTNER}, NONE),
    "api-partner-meeting-outcome": (NONE, {COACH, SYV, HEAD}),
    "api-partner-request-list": ({COACH, SYV, HEAD, CW, PARTNER}, {COACH, SYV, HEAD}),
    "api-partner-request-detail": ({COACH, SYV, HEAD, CW, PARTNER}, NONE),
    "api-partner-request-handle": (NONE, {PARTNER}),
}

# Which kind of object a `pk` parameter names, by URL name prefix (other parameters are named after it).
PK_KIND = [
    ("partners:person", "participant"),
    ("api-partner-shared-plan", "participant"),
    ("partners:request_handle", "partner_request"),
    ("api-partner-request-", "partner_request"),
    ("partners:meeting_outcome", "partner_meeting"),
    ("api-partner-meeting-", "partner_meeting"),
    ("partners:link_confirm", "plan_link"),
    ("api-plan-link-", "plan_link"),
    ("participants:", "participant"),
    ("api-participant-", "participant"),
    ("referrals:send_back_", "send_back"),
    ("api-send-back-", "send_back"),
    ("referrals:", "referral"),
    ("api-referral-", "referral"),
    ("api-plan-", "plan"),
    ("interventions:booking_cancel", "booking"),
    ("api-booking-", "booking"),
    ("attendance:notice", "notice"),
    ("api-notice-", "notice"),
    ("attendance:appointment", "appointment"),
    ("api-appointment-", "appointment"),
    ("providers:choice", "choice"),
    ("portal:choose", "choice"),
    ("api-choice-", "choice"),
    ("api-assignment-", "assignment"),
    ("providers:detail", "provider"),
    ("api-provider-", "provider"),
    ("interventions:type_", "intervention_type"),
    ("interventions:offering", "offering"),
    ("api-offering-", "offering"),
    ("documents:", "document"),
    ("api-document-", "document"),
    ("journal:entry_", "entry"),
    ("api-journal-entry-", "entry"),
]
PARAM_KIND = {
    "referral_pk": "referral",
    "participant_pk": "participant",
    "offering_pk": "offering",
    "booking_pk": "booking",
}


def _patterns(resolver=None, namespace="", prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), prefix + str(entry.pattern), entry


def discovered_url_names() -> dict[str, dict]:
    """Every named URL pattern (the Django admin apart: it has its own permission system, checked below)."""
    names = {}
    for name, route, entry in _patterns():
        if route.startswith("admin/"):
            continue
        assert name is not None, f"URL pattern {route!r} has no name: name it and classify it in ACCESS"
        if name.startswith("admin:"):
            continue
        names[name] = {"route": route, "params": dict(entry.pattern.converters)}
    return names


@functools.cache
def schema_operations() -> dict[str, set[str]]:
    """URL name -> HTTP methods, from the OpenAPI schema (drf-spectacular's generator)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = defaultdict(set)
    for path, operations in schema["paths"].items():
        sample = path
        for piece in path.split("{")[1:]:
            placeholder = piece.split("}")[0]
            value = "1" if placeholder in ("number",) else str(uuid.uuid4())
            sample = sample.replace("{" + placeholder + "}", value)
        try:
            match = resolve(sample)
        except Resolver404:
            try:
                match = resolve(sample.replace(sample.rsplit("/", 2)[-2], "1"))
            except Resolver404:
                match = None
        if match is None:
            for candidate in _int_variants(path):
                try:
                    match = resolve(candidate)
                    break
                except Resolver404:
                    continue
        assert match is not None, f"schema path {path} does not resolve to a URL pattern"
        found[match.view_name] |= {
            m.upper() for m in operations if m in ("get", "post", "put", "patch", "delete")
        }
    return found


def _int_variants(path):
    pieces = path.split("{")
    placeholders = [piece.split("}")[0] for piece in pieces[1:]]
    for mask in range(2 ** len(placeholders)):
        sample = path
        for index, placeholder in enumerate(placeholders):
            value = "1" if mask >> index & 1 else str(uuid.uuid4())
            sample = sample.replace("{" + placeholder + "}", value)
        yield sample


def _kind(name: str, param: str) -> str | None:
    if param in PARAM_KIND:
        return PARAM_KIND[param]
    if param == "pk":
        for prefix, kind in PK_KIND:
            if name.startswith(prefix):
                return kind
    return None


def _candidate_kwargs(world, name: str, params: dict) -> list[tuple[str, dict]]:
    """(side, kwargs) pairs: the own side ("a") and the other side ("b") objects for each parameter."""
    if not params:
        return [("a", {})]
    result = []
    for side in ("a", "b"):
        kwargs = {}
        for param, converter in params.items():
            if param == "number":
                kwargs[param] = 1
                continue
            kind = _kind(name, param)
            if kind is not None:
                values = world.ids(kind, side)
            else:  # an unknown parameter: every object id of the converter's type
                is_int = type(converter).__name__ == "IntConverter"
                kinds = (
                    ["offering", "provider", "intervention_type"]
                    if is_int
                    else ["participant", "referral", "plan", "booking", "notice", "appointment", "choice"]
                )
                values = [v for k in kinds for v in world.ids(k, side)]
            if not values:
                break
            kwargs[param] = values
        else:
            for combo in _combinations(kwargs):
                result.append((side, combo))
    return result


def _combinations(kwargs: dict) -> list[dict]:
    combos = [{}]
    for key, value in kwargs.items():
        options = value if isinstance(value, list) else [value]
        combos = [{**combo, key: option} for combo in combos for option in options]
    return combos


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and (
        response.url.startswith(reverse("accounts:login")) or "/login/" in response.url
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world per module (per xdist worker): each URL's test runs in a savepoint of its own inside this
    transaction, so whatever one URL's requests write is rolled back before the next URL's test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _check_body(world, role, url, response, failures):
    if response.status_code >= 300 or not hasattr(response, "content"):
        return
    body = response.content.decode(errors="replace")
    for token in world.tokens - world.visible[role]:
        if token in body:
            failures.append(f"{role} {url}: shows {token}, whom the role may not see")
    if PROTECTED_ADDRESS in body and role != CW:
        failures.append(f"{role} {url}: shows the protected identity's address")


DISCOVER = bool(os.environ.get("ACCESS_DISCOVER"))
URL_NAMES = discovered_url_names()  # collected once: one test per URL name below


def test_every_url_is_classified(capsys):
    """A URL name missing from ACCESS (or an entry for a URL that no longer exists) fails here, by name."""
    names = URL_NAMES
    api = schema_operations()
    unknown = [] if DISCOVER else sorted(set(names) - set(ACCESS))
    assert not unknown, (
        "These URL names are not classified in tests/security/test_access_matrix.py ACCESS — add each with "
        "the roles that may use it (and make sure the view scopes objects with visible_to):\n  "
        + "\n  ".join(f"{name}  ({names[name]['route']})" for name in unknown)
    )
    stale = sorted(set(ACCESS) - set(names))
    assert not stale, f"ACCESS names URLs that no longer exist: {stale}"
    missing_in_urlconf = sorted(set(api) - set(names))
    assert not missing_in_urlconf, f"schema operations without a named URL: {missing_in_urlconf}"
    print(
        f"\naccess matrix: {len(names)} URL patterns ({len(api)} in the OpenAPI schema) "
        f"× {len(ROLES) + 1} roles (anonymous included), one test per URL name"
    )


@pytest.mark.parametrize("name", sorted(URL_NAMES))
def test_access_matrix(name, world, db):
    """Every role (and anonymous) × every method × the own and the other side's objects, for one URL name."""
    info = URL_NAMES[name]
    access = ACCESS.get(name)
    if access is None:
        if not DISCOVER:
            pytest.fail(
                f"{name} ({info['route']}) is not classified in tests/security/test_access_matrix.py ACCESS: "
                "add it with the roles that may use it"
            )
        access = (EVERYONE, EVERYONE)
    api = schema_operations()

    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, user in world.users.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)

    failures: list[str] = []
    requests = 0
    got_get = set()  # roles that got a 200 on GET
    got_write = set()  # roles whose POST/PUT/PATCH/DELETE was let in (2xx, 3xx, 400, 409)
    for phase in ("GET", "WRITE"):
        methods = api.get(name) or {"GET", "POST"}
        methods = methods & {"GET"} if phase == "GET" else methods - {"GET"}
        for side, kwargs in _candidate_kwargs(world, name, info["params"]):
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            personal = side == "b" and any(_kind(name, p) in PERSONAL for p in info["params"])
            for role, client in clients.items():
                for method in sorted(methods):
                    response = getattr(client, method.lower())(url, {})
                    requests += 1
                    if name == "accounts:logout" and role != "anonymous":
                        client.force_login(world.users[role])  # stay signed in for the next URLs
                    status = response.status_code
                    if status >= 500:
                        failures.append(f"{role} {method} {url}: {status}")
                        continue
                    _check_body(world, role, url, response, failures)
                    if access == PUBLIC:
                        continue
                    success = 200 <= status < 300 or (status == 302 and not _is_login_redirect(response))
                    if role == "anonymous":
                        if not (_is_login_redirect(response) or status in (401, 403, 405)):
                            failures.append(f"anonymous {method} {url}: {status} (expected login/401/403)")
                        continue
                    if personal and success and role != ADMIN:
                        failures.append(
                            f"{role} {method} {url}: {status} for another unit's/provider's record"
                        )
                    if method == "GET" and status == 200:
                        got_get.add(role)
                    elif method != "GET" and (success or status in (400, 409)):
                        got_write.add(role)  # done, or refused only for the (empty) input
    if access != PUBLIC:
        expected_get, expected_write = access
        for role in sorted(set(ROLES)):
            if role in expected_get and role not in got_get:
                failures.append(f"{role} GET {name}: expected 200 for its own side's objects, never got it")
            if role not in expected_get and role in got_get:
                failures.append(f"{role} GET {name}: 200, but the table says the role may not open it")
            if role not in expected_write and role in got_write:
                failures.append(f"{role} POST {name}: let in, but the table says the role may not write")
            if role in expected_write and role not in got_write:
                failures.append(f"{role} POST {name}: refused, but the table says the role may write")
    if DISCOVER:
        print(f'DISCOVER    "{name}": ({_roles(got_get)}, {_roles(got_write)}),')
    assert not failures, "\n".join(failures[:80]) + f"\n({len(failures)} failures in {requests} requests)"


PERSONAL = {
    "participant",
    "referral",
    "plan",
    "booking",
    "notice",
    "appointment",
    "choice",
    "assignment",
    "entry",
    "document",
    "partner_meeting",
    "partner_request",
    "plan_link",
}


def _roles(roles: set) -> str:
    if not roles:
        return "NONE"
    if roles == EVERYONE:
        return "EVERYONE"
    short = {
        CW: "CW",
        COACH: "COACH",
        SYV: "SYV",
        MATCH: "MATCH",
        HEAD: "HEAD",
        PROV: "PROV",
        ANALYST: "ANALYST",
        ADMIN: "ADMIN",
        PART: "PART",
        PARTNER: "PARTNER",
    }
    if UNIT <= roles:
        rest = sorted(short[r] for r in roles - UNIT)
        return "UNIT" + "".join(f" | {{{r}}}" for r in rest)
    return "{" + ", ".join(sorted(short[r] for r in roles)) + "}"


# Integration tokens (issue 13): which API URL accepts a token of which scope. Every other URL refuses every
# token with 403, whatever the integration account's role would allow through a session.
TOKEN_SCOPES = {
    "api-attendance": "attendance_report",
    "api-attendance-bulk": "attendance_report",
    "api-attendance-csv": "attendance_report",
    "api-attendance-events": "attendance_report",
    "api-attendance-unreported": "attendance_report",
    "api-assistance-import-list": "assistance_import",
    "api-assistance-import-detail": "assistance_import",
}
# The integration account behind each scope: a role and attachment that the endpoints of the scope allow.
TOKEN_ACCOUNTS = {"attendance_report": "provider_staff", "assistance_import": "administrator"}


def test_token_scopes(world, db):
    assert set(TOKEN_ACCOUNTS) == set(TokenScope.values)
    names = {n: i for n, i in URL_NAMES.items() if i["route"].startswith("api/")}
    api = schema_operations()
    clients = {}
    for scope, role in TOKEN_ACCOUNTS.items():
        human = world.users[role]
        account = UserFactory(
            role=human.role,
            provider=human.provider,
            municipality=human.municipality,
            username=f"system-{scope}",
            is_integration=True,
        )
        _, key = integration_token_create(
            user=account, name=scope, scopes=[scope], expires_at=timezone.now() + datetime.timedelta(days=1)
        )
        clients[scope] = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {key}")
    failures, accepted = [], defaultdict(set)
    for name, info in sorted(names.items()):
        if ACCESS.get(name) == PUBLIC:
            continue
        methods = api.get(name) or {"GET", "POST"}
        for _side, kwargs in _candidate_kwargs(world, name, info["params"])[:2]:
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            for scope, client in clients.items():
                for method in sorted(methods):
                    status = getattr(client, method.lower())(url, {}).status_code
                    if status >= 500:
                        failures.append(f"token {scope} {method} {url}: {status}")
                    elif status not in (401, 403):
                        accepted[name].add(scope)
    for name in sorted(names):
        if ACCESS.get(name) == PUBLIC:
            continue
        expected = {TOKEN_SCOPES[name]} if name in TOKEN_SCOPES else set()
        if accepted[name] != expected:
            failures.append(
                f"{name}: accepted tokens of {sorted(accepted[name])}, the table says {sorted(expected)}"
            )
    opened = {name: sorted(scopes) for name, scopes in accepted.items() if scopes}
    print(f"\ntoken scopes: {len(names)} API URL names × {len(clients)} scopes; accepted: {opened}")
    assert not failures, "\n".join(failures)
