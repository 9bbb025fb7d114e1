from rest_framework.routers import SimpleRouter

from .views import AssistanceImportViewSet, ExitViewSet

router = SimpleRouter(use_regex_path=False)
router.register("exits", ExitViewSet, basename="api-exit")
router.register("assistance-imports", AssistanceImportViewSet, basename="api-assistance-import")

urlpatterns = router.urls
