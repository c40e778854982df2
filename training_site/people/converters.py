"""URL parts that name a row: digits a table could hold, so a forged id longer than any
key is a 404 at routing rather than an overflow in the database."""


class RecordIdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
