"""Demo data: several years of cases, hearings, screening reports, warnings,
receptions, meetings and accountability records drawn from seeded random
numbers, committed in small units so that a serving site can take them."""
