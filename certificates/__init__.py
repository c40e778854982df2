"""Certificates: issuing, PDF and QR, verification and revocation."""
