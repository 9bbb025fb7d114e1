from rest_framework.routers import SimpleRouter

from .views import ReferralViewSet, SendBackViewSet, SubstitutionViewSet

router = SimpleRouter(use_regex_path=False)
router.register("referrals", ReferralViewSet, basename="api-referral")
router.register("send-backs", SendBackViewSet, basename="api-send-back")
router.register("substitutions", SubstitutionViewSet, basename="api-substitution")

urlpatterns = router.urls
