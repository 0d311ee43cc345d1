"""The booking locks' keys: one global order, practitioners before rooms."""

from facetcare.booking.locks import PRACTITIONER_LOCKS, ROOM_LOCKS, lock_keys


def test_practitioners_come_before_rooms_and_each_in_ascending_order() -> None:
    keys = lock_keys([9, 3, 3], [12, 2])

    assert keys == [
        (PRACTITIONER_LOCKS, 3),
        (PRACTITIONER_LOCKS, 9),
        (ROOM_LOCKS, 2),
        (ROOM_LOCKS, 12),
    ]


def test_ids_beyond_the_32_bit_range_fold_onto_it_and_still_sort() -> None:
    keys = lock_keys([2**31 + 5, 4], [])

    assert keys == [(PRACTITIONER_LOCKS, 4), (PRACTITIONER_LOCKS, 5)]
    assert all(0 <= number < 2**31 for _, number in keys)
