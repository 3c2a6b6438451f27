from tests.matching.conftest import (  # noqa: F401
    agency_worker,
    fast_passwords,
    other_vacancy,
    text_messages_in_memory,
    vacancy,
    worker,
)
