from rest_framework.routers import SimpleRouter

from .views import JournalEntryViewSet, MessageViewSet

router = SimpleRouter(use_regex_path=False)
router.register("journal-entries", JournalEntryViewSet, basename="api-journal-entry")
router.register("messages", MessageViewSet, basename="api-message")
urlpatterns = router.urls
