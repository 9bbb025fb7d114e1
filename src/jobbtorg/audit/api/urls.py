from rest_framework.routers import SimpleRouter

from .views import ReadLogViewSet

router = SimpleRouter(use_regex_path=False)
router.register("audit/reads", ReadLogViewSet, basename="api-read-log")

urlpatterns = router.urls
