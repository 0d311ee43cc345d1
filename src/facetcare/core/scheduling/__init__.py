"""Availability engine: pure Python, no Django.

Free slots = opening hours ∩ working hours − time off − closures − bookings
(widened by their buffers), only where a room with the required equipment is
free. Public functions live in ``slots``; value types in ``types``.
"""
