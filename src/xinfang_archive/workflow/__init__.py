"""The case workflow's rules and clocks (办理期限, 复查, 复核), transition
inputs, replies, and the titles of every workflow's states (``titles``)."""
