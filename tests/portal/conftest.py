from tests.pathway.world import cw

__all__ = ["cw"]
