"""Private file storage for identity documents: outside every web root, no URLs.

Files are served only by `migrants.views.document_file`, which checks who asks.
The location is read from settings on each use, so tests can point it at a
temporary folder.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return str(settings.MIGRANTS_PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None  # url() raises: there is no public address for these files

    @property
    def file_permissions_mode(self):
        return 0o600

    @property
    def directory_permissions_mode(self):
        return 0o700


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """A callable for FileField(storage=...), so migrations do not freeze a path."""
    return private_storage
