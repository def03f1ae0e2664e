import pytest


@pytest.fixture
def seed_programmes(db):
    from khuyencong.programs.services import load_seed_programmes

    load_seed_programmes()
