"""Migration helpers for moving a model to another app with its table kept
(docs/decisions/0014-apps-and-layers.md)."""

from django.db import migrations


def move_content_types(old_label: str, new_label: str, models: tuple[str, ...]):
    """A RunPython operation that renames the moved models' content types, and so keeps
    their permissions and the admin's log entries, instead of leaving stale ones behind
    and creating new ones. Reversible."""

    def rename(from_label, to_label):
        def run(apps, schema_editor):
            content_type = apps.get_model("contenttypes", "ContentType")
            content_type.objects.using(schema_editor.connection.alias).filter(
                app_label=from_label, model__in=models
            ).update(app_label=to_label)

        return run

    return migrations.RunPython(rename(old_label, new_label), rename(new_label, old_label))
