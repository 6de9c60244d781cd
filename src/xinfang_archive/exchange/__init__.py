"""Exchange and archival packages: the XML exchange schema, safe bulk
import, BagIt export (DA/T 46 metadata, DA/T 48-style envelopes, PREMIS-style
events), package verification and transfer (移交)."""
