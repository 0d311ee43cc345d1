"""Demo data: fictional clinics shaped like the seed pages."""
