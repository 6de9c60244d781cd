"""The life-cycle states filing and transfer give records."""

FILED = "filed"
TRANSFERRED = "transferred"  # 移交: the copy kept here stays frozen
# Filed here, or filed and transferred to the archives: frozen either way.
FILED_STATES = (FILED, TRANSFERRED)
