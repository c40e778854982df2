"""How passwords are hashed: Argon2id at OWASP's baseline cost."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane) rather than
    Django's 100 MiB over 8 lanes, which costs as much as PBKDF2 per sign-in on a 2-core
    server and needs 100 MiB for every sign-in in flight. The algorithm name stays "argon2",
    so a hash made with other parameters is read and rehashed on the next sign-in."""

    memory_cost = 19 * 1024
    time_cost = 2
    parallelism = 1
