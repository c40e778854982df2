"""Names are at most FULL_NAME_MAX_LENGTH characters, so every certificate can draw them:
the form says so plainly, the model holds to it, and the migration that set the limit
stops rather than cut a longer name already stored."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from training_site.people.forms import ProfileForm
from training_site.people.models import LearnerProfile
from training_site.people.validators import FULL_NAME_MAX_LENGTH

from .factories import BoroughFactory, HotelAudienceFactory, LearnerProfileFactory, UserFactory

LONGEST = "Maximiliana Alexandrina Wilhelmina Featherstonehaugh-Montgomery van Wolstenholme"
TOO_LONG = LONGEST + "e"


def form_for(full_name: str) -> ProfileForm:
    return ProfileForm(
        {
            "full_name": full_name,
            "audience": HotelAudienceFactory().pk,
            "home_borough": BoroughFactory().pk,
        }
    )


@pytest.mark.django_db
def test_the_form_takes_a_name_of_80_characters():
    assert FULL_NAME_MAX_LENGTH == len(LONGEST) == 80
    form = form_for(LONGEST)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["full_name"] == LONGEST
    assert 'maxlength="80"' in str(form["full_name"])


@pytest.mark.django_db
def test_the_form_refuses_81_characters_and_says_why():
    form = form_for(TOO_LONG)
    assert not form.is_valid()
    assert form.errors["full_name"] == [
        "Your name must be 80 characters or fewer, to fit on your certificate (it has 81)."
    ]


@pytest.mark.django_db
def test_the_profile_page_refuses_81_characters_with_a_400_and_keeps_the_rest(client):
    client.force_login(UserFactory())
    audience, borough = HotelAudienceFactory(), BoroughFactory()
    data = {"full_name": TOO_LONG, "audience": audience.pk, "home_borough": borough.pk}
    response = client.post(reverse("people:onboarding"), data)
    assert response.status_code == 400
    assert "80 characters or fewer" in response.content.decode()
    assert not LearnerProfile.objects.exists()

    response = client.post(reverse("people:onboarding"), {**data, "full_name": LONGEST})
    assert response.status_code == 302
    assert LearnerProfile.objects.get().full_name == LONGEST


@pytest.mark.django_db
def test_the_model_refuses_81_characters():
    profile = LearnerProfileFactory(full_name=LONGEST)
    profile.full_clean()
    profile.full_name = TOO_LONG
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert "full_name" in refused.value.message_dict


BEFORE, LIMIT = ("people", "0005_account_events"), ("people", "0006_full_name_80")


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_to_cut_longer_names_already_stored():
    first, second = LearnerProfileFactory(), LearnerProfileFactory()
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        old = executor.loader.project_state([BEFORE]).apps.get_model("people", "LearnerProfile")
        old.objects.filter(pk__in=[first.pk, second.pk]).update(full_name="W" * 90)
        executor = MigrationExecutor(connection)
        with pytest.raises(RuntimeError, match=r"^2 learner profile\(s\) have a full name longer"):
            executor.migrate([LIMIT])
        assert set(old.objects.values_list("full_name", flat=True)) == {"W" * 90}

        old.objects.filter(pk=first.pk).update(full_name=LONGEST)
        old.objects.filter(pk=second.pk).update(full_name="Sam Jones")
        MigrationExecutor(connection).migrate([LIMIT])
        assert LearnerProfile.objects.get(pk=first.pk).full_name == LONGEST
    finally:
        old_rows = LearnerProfile.objects.filter(pk__in=[first.pk, second.pk])
        old_rows.update(full_name="Sam Jones")
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
