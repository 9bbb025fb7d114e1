"""The Swedish occupation taxonomy: SSYK 2012 groups (levels 1–4), occupation names and skills.

Reference data shipped with the project (`data/`, see its README for provenance) and loaded by a data
migration, so every database has it. It is read-only in the product.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OccupationGroup(models.Model):
    """An SSYK 2012 group; the code has as many digits as its level (1 = major group … 4 = unit group)."""

    code = models.CharField(_("SSYK code"), max_length=4, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, to_field="code", related_name="children"
    )
    label = models.CharField(_("label"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    concept_id = models.CharField(_("concept id"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("occupation group")
        verbose_name_plural = _("occupation groups")
        ordering = ["code"]
        indexes = [models.Index(fields=["level"])]

    def __str__(self):
        return f"{self.code} {self.label}"


class OccupationName(models.Model):
    """A named occupation (e.g. "Undersköterska, hemtjänst") in a 4-digit group; used for search."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    group = models.ForeignKey(
        OccupationGroup, on_delete=models.PROTECT, related_name="names", verbose_name=_("occupation group")
    )
    concept_id = models.CharField(_("concept id"), max_length=20, blank=True)
    field = models.CharField(_("occupation field"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("occupation name")
        verbose_name_plural = _("occupation names")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Skill(models.Model):
    id = models.BigAutoField(primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    concept_id = models.CharField(_("concept id"), max_length=20, unique=True)
    groups = models.ManyToManyField(
        OccupationGroup, related_name="skills", blank=True, verbose_name=_("occupation groups")
    )

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self):
        return self.name
