from rest_framework.routers import SimpleRouter

from .views import EmployerViewSet, MatchViewSet, ParticipantRankingViewSet, VacancyViewSet

router = SimpleRouter()
router.register("matching/employers", EmployerViewSet, basename="matching-employer")
router.register("matching/vacancies", VacancyViewSet, basename="matching-vacancy")
router.register("matching/matches", MatchViewSet, basename="matching-match")
router.register(
    "matching/participant-rankings", ParticipantRankingViewSet, basename="matching-participant-ranking"
)

urlpatterns = router.urls
