from tests.matching.fixtures import client, make_buyer  # noqa: F401
