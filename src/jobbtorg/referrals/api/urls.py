from rest_framework.routers import SimpleRouter

from .views import ReferralViewSet

router = SimpleRouter(use_regex_path=False)
router.register("referrals", ReferralViewSet, basename="api-referral")

urlpatterns = router.urls
