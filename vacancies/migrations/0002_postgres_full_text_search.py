"""PostgreSQL full-text search for vacancies: a trigger keeps `search_vector` and a
GIN index serves it. Both exist only on PostgreSQL; on SQLite the column stays
empty and search uses the lower-cased `search_text` instead (ADR 0004).

The `russian` configuration stems Russian words with the Snowball Russian stemmer
and Latin-script words with the English one, so one configuration serves both.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION vacancies_vacancy_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('russian', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('russian', coalesce(NEW.search_text, '')), 'B');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER vacancies_vacancy_search_vector_update
    BEFORE INSERT OR UPDATE OF title, search_text ON vacancies_vacancy
    FOR EACH ROW EXECUTE FUNCTION vacancies_vacancy_search_vector();

CREATE INDEX vacancy_search_vector_gin ON vacancies_vacancy USING gin (search_vector)
    WHERE status = 'published';

UPDATE vacancies_vacancy SET search_text = search_text;
"""

DROP = """
DROP INDEX IF EXISTS vacancy_search_vector_gin;
DROP TRIGGER IF EXISTS vacancies_vacancy_search_vector_update ON vacancies_vacancy;
DROP FUNCTION IF EXISTS vacancies_vacancy_search_vector();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("vacancies", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
