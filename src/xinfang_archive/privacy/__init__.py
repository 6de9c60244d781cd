"""Personal data and accusation material (举报).

``masking`` masks personal data for everyone without "View personal data", on
every channel, and ``redaction`` masks it in hearing minutes before
publication; ``accusation`` seals accusation material from the unit it
accuses and ``clearing`` lifts the flag with a second person; ``units`` grants
need-to-know by unit (属地管理); ``traversal`` answers nothing about a record
its reader may not view; ``idcard`` reads ID numbers and ``keys`` makes the
keyed fingerprints that find a petitioner's earlier cases."""
