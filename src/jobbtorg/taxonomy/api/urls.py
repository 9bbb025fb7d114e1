from rest_framework.routers import SimpleRouter

from .views import OccupationGroupViewSet, OccupationSearchViewSet, SkillSearchViewSet

router = SimpleRouter()
router.register("taxonomy/occupations", OccupationSearchViewSet, basename="taxonomy-occupation")
router.register("taxonomy/skills", SkillSearchViewSet, basename="taxonomy-skill")
router.register("taxonomy/groups", OccupationGroupViewSet, basename="taxonomy-group")

urlpatterns = router.urls
