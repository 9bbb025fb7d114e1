from rest_framework.routers import SimpleRouter

from .views import ParticipantViewSet

router = SimpleRouter(use_regex_path=False)
router.register("participants", ParticipantViewSet, basename="api-participant")

urlpatterns = router.urls
