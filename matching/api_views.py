"""Partner API: matches for an agency's workers."""

from rest_framework import generics

from exchange.api.authentication import IsAgencyKey
from exchange.api.partner import PartnerAPIMixin
from matching.serializers import (
    MatchSerializer,
)
from matching.services import matches_for_worker
from migrants.api_views import own_worker


class WorkerMatchesAPI(PartnerAPIMixin, generics.ListAPIView):
    """The worker's best vacancies from the latest matching run, best first."""

    permission_classes = [IsAgencyKey]
    serializer_class = MatchSerializer
    filter_backends: list = []

    def get_queryset(self):
        profile = own_worker(self.request, self.kwargs["pk"])
        return (
            matches_for_worker(profile.pk)
            .select_related("vacancy")
            .prefetch_related("vacancy__skills")
        )
