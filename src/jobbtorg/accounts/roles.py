"""Coarse permissions per role, shipped as data. Each role is a Django Group holding these permissions;
`sync_role_groups` (run after every migrate) makes the database match this table. Object scoping is not
here: it lives in each app's `querysets.py` (`visible_to(user)`)."""

from .constants import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CASEWORKER: [
        "participants.view_participant",
        "participants.add_participant",
        "participants.view_protected_contact",
        "referrals.view_referral",
        "referrals.add_referral",
        "referrals.close_referral",
        "plans.view_mapping",
        "plans.view_actionplan",
        "plans.decide_actionplan",
    ],
    Role.JOB_COACH: [
        "participants.view_participant",
        "referrals.view_referral",
        "referrals.accept_referral",
        "referrals.close_referral",
        "plans.view_mapping",
        "plans.change_mapping",
        "plans.view_actionplan",
        "plans.change_actionplan",
    ],
    Role.CAREER_COUNSELLOR: [
        "participants.view_participant",
        "referrals.view_referral",
        "plans.view_mapping",
        "plans.change_mapping",
        "plans.view_actionplan",
        "plans.change_actionplan",
    ],
    Role.MATCHER: [
        "participants.view_participant",
        "referrals.view_referral",
        "plans.view_mapping",
        "plans.view_actionplan",
    ],
    Role.UNIT_HEAD: [
        "participants.view_participant",
        "referrals.view_referral",
        "referrals.accept_referral",
        "referrals.close_referral",
        "plans.view_mapping",
        "plans.change_mapping",
        "plans.view_actionplan",
        "plans.change_actionplan",
        "audit.view_readlog",
    ],
    Role.PROVIDER_STAFF: [
        "participants.view_participant",
    ],
    Role.ANALYST: [
        "accounts.view_aggregates",
    ],
    Role.ADMINISTRATOR: [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_unit",
        "accounts.change_unit",
        "accounts.view_district",
        "accounts.change_district",
        "interventions.view_interventiontype",
        "interventions.add_interventiontype",
        "interventions.change_interventiontype",
    ],
}
