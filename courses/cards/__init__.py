"""Printable cards: one page per audience and borough with the signs, what to do, the
borough's numbers and a QR code to the help page, as a PDF for a cab's sun visor (A6) or a
front desk (A5)."""
