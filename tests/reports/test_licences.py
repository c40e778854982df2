"""Officers' batch check: parsing what people paste, and the answer for each number."""

import csv
import io

import pytest
from django.utils import timezone

from training_site.people.roles import Role
from training_site.reports.licences import BatchTooLong, batch_check, batch_parse

from .conftest import client_for


def test_parse_normalises_skips_blanks_and_answers_duplicates_once():
    parsed = batch_parse("ph 104-27\n\n  PH10427 \r\nph10428,PH/10429;\n\n")
    assert [line.number for line in parsed.lines] == ["PH10427", "PH10428", "PH10429"]
    assert parsed.lines[0].typed == ["ph 104-27", "PH10427"]
    assert parsed.duplicate_lines == 1
    assert parsed.blank_lines == 1  # the line holding only spaces


def test_parse_marks_what_cannot_be_a_licence_number():
    parsed = batch_parse("P\n£££\nX" + "9" * 30)
    assert [line.valid for line in parsed.lines] == [False, False, False]
    assert batch_parse("AB").lines[0].valid


def test_parse_refuses_more_than_500_numbers_but_allows_500_with_repeats():
    assert len(batch_parse("\n".join(f"PH{n}" for n in range(500)) + "\nPH1\n").lines) == 500
    with pytest.raises(BatchTooLong):
        batch_parse("\n".join(f"PH{n}" for n in range(501)))


def test_batch_answers_valid_expired_none_unknown_and_not_a_number(world):
    lines = "licdeeone\nLICDEETWO\nLICDEEFIVE\nNOSUCH1\n!!\n"
    results = batch_check(authority=world.a, batch=batch_parse(lines), today=timezone.localdate())
    assert [(r.number, r.standing.status) for r in results] == [
        ("LICDEEONE", "valid"),
        ("LICDEETWO", "unknown_licence"),  # licensed by B, not A
        ("LICDEEFIVE", "none"),
        ("NOSUCH1", "unknown_licence"),
        ("!!", "not_a_number"),
    ]
    assert results[0].standing.name == "Dee One"
    expired = batch_check(
        authority=world.c, batch=batch_parse("LICDEEFOUR"), today=timezone.localdate()
    )
    assert expired[0].standing.status == "expired"
    assert expired[0].standing.text.startswith("Expired on ")


def test_revoked_certificate_shows_as_revoked(world):
    from certificates.services import certificate_revoke

    certificate = world.learners["d1"].certificates.get()
    certificate_revoke(certificate=certificate, actor=None, reason="other", note="test")
    (result,) = batch_check(
        authority=world.a, batch=batch_parse("LICDEEONE"), today=timezone.localdate()
    )
    assert result.standing.status == "revoked"


def test_batch_page_and_csv(world):
    client = client_for(world.staff(Role.LICENSING_OFFICER, borough=world.a))
    page = client.post(
        "/staff/licences/batch/", {"authority": world.a.pk, "numbers": "licdeeone\nLICDEEFIVE"}
    )
    assert page.status_code == 200
    assert "Valid until" in page.content.decode() and "No certificate" in page.content.decode()
    download = client.post(
        "/staff/licences/batch/",
        {"authority": world.a.pk, "numbers": "licdeeone\nLICDEEFIVE", "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Licence number", "As typed", "Status"]
    assert [row[0] for row in rows[1:]] == ["LICDEEONE", "LICDEEFIVE"]
    assert rows[2][2] == "No certificate"


@pytest.mark.parametrize(
    "numbers, message",
    [
        ("\n".join(f"PH{n}" for n in range(10_000)), "at most 500"),
        ("\n\n  \n", "Paste at least one licence number"),
        ("", "Paste at least one licence number"),
    ],
)
def test_bad_batches_get_a_clear_400(world, numbers, message):
    client = client_for(world.staff(Role.LICENSING_OFFICER, borough=world.a))
    response = client.post("/staff/licences/batch/", {"authority": world.a.pk, "numbers": numbers})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_forged_authority_is_refused(world):
    client = client_for(world.staff(Role.LICENSING_OFFICER, borough=world.a))
    response = client.post("/staff/licences/batch/", {"authority": "99999", "numbers": "PH1"})
    assert response.status_code == 400
    assert "Choose a licensing authority from the list." in response.content.decode()


def test_licence_look_ups_are_rate_limited_per_officer(world):
    client = client_for(world.staff(Role.LICENSING_OFFICER, borough=world.a))
    search = {"authority": world.a.pk, "number": "LICDEEONE"}
    assert {client.post("/staff/licences/", search).status_code for _ in range(120)} == {200}
    refused = client.post("/staff/licences/", search)
    assert refused.status_code == 429
    assert "Wait ten minutes" in refused.content.decode()
    # Another officer is not held up by the first one's searches.
    other = client_for(world.staff(Role.LICENSING_OFFICER, borough=world.a))
    assert other.post("/staff/licences/", search).status_code == 200


def test_look_up_of_an_unknown_licence_says_so(world):
    client = client_for(world.staff(Role.LICENSING_OFFICER, borough=world.a))
    response = client.post("/staff/licences/", {"authority": world.a.pk, "number": "zz 999"})
    assert response.status_code == 200
    assert "No driver has registered licence ZZ999 with Aldwick" in response.content.decode()


@pytest.mark.parametrize(
    "paste",
    [
        "Badge\tName\tExpires\nPH10427\tŁukasz Wiśniewski\t01/02/2027\n"
        "ph 10428\tAmy Lee\t2027-03-04\n",
        "Name,Badge,Email\nŁukasz Wiśniewski,PH10427,l@example.org\nAmy Lee,ph-10428,a@example.org",
        "Amy Lee;PH10427;Kirklees\r\nBob Roe;PH10428;Kirklees\r\n",
        "PH10427\tKIRKLEES\nPH10428\tKIRKLEES\n\nPH10427\tCALDERDALE",
        "PH10427\nPH10428",
    ],
)
def test_parse_picks_the_licence_column_of_a_pasted_table(paste):
    parsed = batch_parse(paste)
    assert [line.number for line in parsed.lines] == ["PH10427", "PH10428"]
    assert all(line.valid for line in parsed.lines)


def test_parse_still_reads_a_list_typed_across_a_line():
    parsed = batch_parse("PH1, PH2; PH3\nPH4,PH5")
    assert [line.number for line in parsed.lines] == ["PH1", "PH2", "PH3", "PH4", "PH5"]
