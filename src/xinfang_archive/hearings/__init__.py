"""听证: hearings, their transcripts and the publication of masked minutes."""
