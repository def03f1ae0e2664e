"""The count of a title search (issue 11): the trigram index is given the phrase's words, and
the phrase is tested on the titles the index returns — the phrase's own trigrams include the
most common ones of all titles (at its words' edges), which the count read for nothing."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db
LIST = reverse("projects:project_list")


def test_a_phrase_is_counted_as_the_list_shows_it(client, sct, make_project):
    """The words apart, or one of them alone, are no match: the count is the rows'."""
    for title in ("Hội chợ thổ cẩm", "Dệt thổ cẩm Mường", "Thổ sản và cẩm thạch", "Cẩm thổ"):
        make_project(title=title)
    make_project(title="Hỗ trợ máy sao chè")
    client.force_login(sct)
    page = client.get(LIST, {"q": "Thổ Cẩm"}).context["page"]
    assert sorted(row["title"] for row in page) == ["Dệt thổ cẩm Mường", "Hội chợ thổ cẩm"]
    assert page.paginator.count == 2
    one_word = client.get(LIST, {"q": "cam"}).context["page"]
    assert len(one_word) == one_word.paginator.count == 4


def test_the_count_gives_the_index_the_words_and_tests_the_phrase_on_its_rows(
    client, sct, make_project
):
    """Regression (issue 11): the count's conditions on the title column itself — those its
    trigram index serves — are the words; the phrase is a condition on an expression of the
    title. The page's rows keep the phrase on the column (their walk of the list's order)."""
    make_project(title="Hội chợ thổ cẩm")
    client.force_login(sct)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST, {"q": "tho cam"}).status_code == 200
    (count,) = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    on_column = re.findall(
        r'"projects_project"\."title_folded"(?:::text)? LIKE \'?%([^%]*)%', count
    )
    assert sorted(on_column) == ["cam", "tho"], count
    assert re.search(r"COALESCE\(\"projects_project\"\.\"title_folded\".*LIKE '?%tho cam%", count)
    rows = [q["sql"] for q in ctx.captured_queries if "COUNT(" not in q["sql"].upper()]
    assert any(re.search(r'U0\."title_folded"(?:::text)? LIKE \'?%tho cam%', sql) for sql in rows)


def test_the_title_index_holds_the_unit_and_the_location_and_the_title_has_statistics():
    """PostgreSQL (projects migration 0014): a province's title search is looked up by its
    unit in the title's trigram index (the policy writes the key as a bigint, which the index's
    btree_gin keys need; ``accounts.policy.unit_key``). SQLite has no GIN index."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "projects_project")
    name = "projects_scoped_title_search"
    if connection.vendor == "postgresql":
        assert indexes[name]["columns"] == ["unit_id", "location_id", "title_folded"]
        assert indexes[name]["type"] == "gin"
        assert "projects_project_title_trgm" not in indexes
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attstattarget FROM pg_attribute WHERE attrelid = "
                "'projects_project'::regclass AND attname = 'title_folded'"
            )
            # The estimate of a phrase's matches that decides between the order's walk and
            # the trigram lookup for a page's ids (projects migrations 0015, 0016).
            assert cursor.fetchone()[0] == 250
    else:
        assert name not in indexes
