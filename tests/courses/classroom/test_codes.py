from collections import Counter

from courses.classroom.codes import (
    JOIN_CODE_LENGTH,
    join_code_display,
    join_code_generate,
    join_code_normalise,
)

CROCKFORD = set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def test_codes_are_six_characters_without_look_alikes():
    codes = [join_code_generate() for _ in range(2000)]
    assert all(len(code) == JOIN_CODE_LENGTH for code in codes)
    assert set("".join(codes)) <= CROCKFORD
    assert not set("".join(codes)) & set("ILOU")
    # Drawn from a secure source: no code repeats in 2,000, and every symbol turns up.
    assert len(set(codes)) == len(codes)
    assert set(Counter("".join(codes))) == CROCKFORD


def test_what_pupils_type_is_read_as_they_meant():
    assert join_code_normalise(" 7k3 m9q ") == "7K3M9Q"
    assert join_code_normalise("7k3-m9q") == "7K3M9Q"
    assert join_code_normalise("ABO1IL") == "AB0111"


def test_anything_else_is_not_a_code():
    for raw in [
        "",
        "12345",
        "1234567",
        "ABCDEU",
        "<script>",
        "\x00\x00\x00\x00\x00\x00",
        "x" * 500,
    ]:
        assert join_code_normalise(raw) is None


def test_codes_are_shown_in_two_groups():
    assert join_code_display("7K3M9Q") == "7K3 M9Q"
