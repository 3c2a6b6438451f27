"""How the stored lists are scored: the weights, and how many each list keeps."""

from django.conf import settings

from matching.engine import Weights

K_PER_VACANCY = 50
K_PER_WORKER = 20


def weights() -> Weights:
    return Weights(**settings.MATCHING_WEIGHTS)
