"""Matching tests: the small market of tests/conftest.py, fast passwords, text
messages kept in memory."""

import pytest


@pytest.fixture(autouse=True)
def many_accounts_and_messages(fast_passwords, text_messages_in_memory):
    """These tests create many accounts and send text messages (see tests/conftest.py)."""
