"""`manage.py synthesise` builds believable history: spread over 24 months, never in the
future, with certificates only for completed courses."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrolment, LessonCompletion


@pytest.mark.django_db
def test_synthesise_spreads_learners_and_history(site_content):
    out = StringIO()
    call_command("synthesise", "--learners", "400", "--seed", "5", "--json", stdout=out)
    counts = json.loads(out.getvalue())
    assert counts["learners"] == 400
    assert counts["progress_rows"] == (
        counts["enrolments"] + counts["lesson_completions"] + counts["attempts"]
    )
    now = timezone.now()
    enrolments = Enrolment.objects.filter(learner__email__endswith="@example.invalid")
    assert enrolments.count() == counts["enrolments"]
    assert not enrolments.filter(started_at__gt=now).exists()
    assert enrolments.filter(started_at__lt=now - timedelta(days=365)).exists()
    assert not enrolments.filter(completed_at__lt=F("started_at")).exists()
    assert not LessonCompletion.objects.filter(completed_at__gt=now).exists()
    certified = Certificate.objects.filter(learner__email__endswith="@example.invalid")
    assert certified.count() == counts["certificates"] > 0
    assert certified.values("learner__profile__home_borough").distinct().count() > 5
    completed = set(
        enrolments.filter(completed_at__isnull=False).values_list("learner_id", "course_id")
    )
    assert set(certified.values_list("learner_id", "course_page_id")) <= completed

    with pytest.raises(CommandError, match="seed 5 are already here"):
        call_command("synthesise", "--learners", "10", "--seed", "5")
    call_command("synthesise", "--learners", "10", "--seed", "6", stdout=StringIO())


@pytest.mark.django_db
def test_synthesise_without_content_says_what_to_do():
    with pytest.raises(CommandError, match="quickstart"):
        call_command("synthesise", "--learners", "10")
