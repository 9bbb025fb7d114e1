"""The catalogue of intervention types (insatser) that action plans are made of."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .constants import InterventionCategory


class InterventionType(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (Swedish)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=30, choices=InterventionCategory.choices)
    is_sfi_related = models.BooleanField(_("SFI-related"), default=False)
    is_work_training = models.BooleanField(_("work training"), default=False)
    is_internship = models.BooleanField(_("internship"), default=False)
    is_matching = models.BooleanField(_("matching"), default=False)
    active = models.BooleanField(_("active"), default=True, help_text=_("Retired types cannot be planned."))
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("intervention type")
        verbose_name_plural = _("intervention types")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "sv").startswith("en") and self.name_en:
            return self.name_en
        return self.name
