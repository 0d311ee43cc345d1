import pytest

from tests.web.clinical_world import ClinicalWorld, build_clinical_world


@pytest.fixture
def world(db: None) -> ClinicalWorld:
    return build_clinical_world()
