"""Certificate codes: random, readable aloud, forgiving of case and spacing, and every
single mistyped character caught by the check character before any lookup."""

from hypothesis import given
from hypothesis import strategies as st

from certificates.codes import (
    ALPHABET,
    CODE_LENGTH,
    DATA_LENGTH,
    check_character,
    code_display,
    code_generate,
    code_normalise,
)

data_parts = st.text(alphabet=ALPHABET, min_size=DATA_LENGTH, max_size=DATA_LENGTH)


def with_check(data: str) -> str:
    return data + check_character(data)


def test_generated_codes_are_long_random_and_valid():
    codes = {code_generate() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert code_normalise(code) == code
    assert DATA_LENGTH * 5 >= 80  # bits of randomness


@given(data_parts)
def test_round_trip_through_display_and_sloppy_typing(data):
    code = with_check(data)
    shown = code_display(code)
    assert code_normalise(shown) == code
    sloppy = " ".join(shown.lower().replace("1", "l").replace("0", "o").split("-"))
    assert code_normalise(sloppy) == code
    assert code_normalise(f"  {shown.replace('-', ' - ')}  ") == code


@given(data_parts, st.integers(min_value=0, max_value=CODE_LENGTH - 1), st.sampled_from(ALPHABET))
def test_every_single_character_typo_is_caught(data, position, replacement):
    code = with_check(data)
    typo = code[:position] + replacement + code[position + 1 :]
    if typo != code:
        assert code_normalise(typo) is None


@given(data_parts)
def test_dropped_or_extra_characters_are_caught(data):
    code = with_check(data)
    assert code_normalise(code[:-1]) is None
    assert code_normalise(code + "A") is None


@given(st.text(max_size=100))
def test_anything_typed_is_either_a_valid_code_or_none(raw):
    result = code_normalise(raw)
    assert result is None or (
        len(result) == CODE_LENGTH and check_character(result[:-1]) == result[-1]
    )


def test_malformed_input():
    for raw in [
        "",
        "ABC",
        "Ü" * 17,
        "'; DROP TABLE certificates_certificate; --",
        "U" * 17,
        None,
        42,
        "x" * 5000,
    ]:
        assert code_normalise(raw) is None
